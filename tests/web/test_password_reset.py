"""Password reset by email, delivered to a real SMTP server and read back."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import Mailbox
from tests.factories import MemberFactory


@pytest.mark.django_db
def test_an_imported_member_chooses_a_password_through_the_emailed_link(mailbox: Mailbox) -> None:
    member = MemberFactory(language="fr", user__password=None)
    member.user.set_unusable_password()
    member.user.save()
    client = Client()
    response = client.post("/accounts/password_reset/", {"email": member.email.upper()})
    assert response.status_code == 302
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert message["To"] == member.email
    assert message["Subject"] == "Votre mot de passe serendip"
    body = message.get_content()
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    new_password = "a-brand-new-password-42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert Client().login(username=member.user.username, password=new_password)


@pytest.mark.django_db
def test_an_unknown_email_sends_nothing_and_says_nothing(mailbox: Mailbox) -> None:
    response = Client().post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailbox.messages == []
