"""Invited and imported members get an unusable password of their own, never a constant,
and still choose their first one through the emailed link."""

from __future__ import annotations

import copy
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client

from serendip.members.imports import import_members
from serendip.members.models import Member
from serendip.network.invitations import decide, invite
from tests.conftest import Mailbox
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def forged_token(user: object, guessed_password: str) -> str:
    """What an attacker computes for ``user`` when they guess its password field."""
    guess = copy.copy(user)
    guess.password = guessed_password  # type: ignore[attr-defined]
    return default_token_generator.make_token(guess)  # type: ignore[arg-type]


def test_invited_members_reset_tokens_cannot_be_computed_from_a_known_password_field() -> None:
    inviter = MemberFactory()
    organiser = UserFactory(is_staff=True)
    invited = []
    for email in ("zoe@example.org", "yan@example.org"):
        invitation = decide(
            invite(inviter, email=email, name="Zoé Yan", note=""), approve=True, by=organiser
        )
        invited.append(invitation.member.user)
    zoe, yan = invited
    assert not zoe.has_usable_password() and not yan.has_usable_password()
    assert zoe.password != yan.password  # no value shared between accounts
    # Whoever guesses the password field ("!" was every invitee's) cannot make a valid link.
    assert not default_token_generator.check_token(zoe, forged_token(zoe, "!"))
    assert not default_token_generator.check_token(zoe, forged_token(zoe, yan.password))


def test_imported_members_each_get_their_own_unusable_password() -> None:
    import_members(
        b"email,first_name,last_name\nada@acme.fr,Ada,Lovelace\nbob@acme.fr,Bob,Martin\n"
    )
    ada, bob = (Member.objects.get(email=e).user for e in ("ada@acme.fr", "bob@acme.fr"))
    assert not ada.has_usable_password() and not bob.has_usable_password()
    assert ada.password != bob.password
    assert not default_token_generator.check_token(ada, forged_token(ada, bob.password))


def test_an_imported_member_chooses_a_first_password_through_the_emailed_link(
    mailbox: Mailbox,
) -> None:
    import_members(b"email,first_name,last_name\nada@acme.fr,Ada,Lovelace\n")
    client = Client()
    assert client.post("/accounts/password_reset/", {"email": "ada@acme.fr"}).status_code == 302
    (message,) = mailbox.messages
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.get_content())
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    password = "a-first-password-of-mine"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    assert Client().login(username="ada@acme.fr", password=password)
