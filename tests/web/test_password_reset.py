"""Password reset by email, delivered to a real SMTP server and read back."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.test import Client, override_settings

from tests.factories import MemberFactory


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content: bytes = envelope.content  # type: ignore[attr-defined]
        self.messages.append(message_from_bytes(content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    with socket.socket() as probe:  # aiosmtpd cannot start on port 0: find a free port first
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
    ):
        yield box
    controller.stop()


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
