"""Changing the sign-in email: the password, then a link sent to the new address."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from serendip.members.models import Member
from tests.conftest import Mailbox
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

NEW = "ada.new@example.org"


def _signed_in(member: Member) -> Client:
    client = Client()
    assert client.login(username=member.user.username, password=PASSWORD)
    return client


def _link(mailbox: Mailbox) -> str:
    body = mailbox.messages[-1].get_content()
    found = re.search(r"https?://[^/\s]+(/profile/account/email/[^\s]+/)", body)
    assert found, body
    return found.group(1)


def test_the_profile_form_no_longer_changes_the_email() -> None:
    member = MemberFactory()
    old = member.email
    client = _signed_in(member)
    assert b'name="email"' not in client.get("/profile/").content
    client.post(
        "/profile/",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "attacker@example.org",
            "language": "en",
            "side": "boss",
            "contact_visibility": "connections",
        },
    )
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.first_name == "Ada"
    assert member.email == old and member.user.email == old and member.user.username == old


def test_a_wrong_password_sends_nothing(mailbox: Mailbox) -> None:
    member = MemberFactory()
    client = _signed_in(member)
    response = client.post("/profile/account/email/", {"new_email": NEW, "password": "wrong"})
    assert response.status_code == 200
    assert b"This is not your current password." in response.content
    assert mailbox.messages == []


def test_the_new_address_confirms_and_the_old_one_is_told(
    mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    member = MemberFactory(first_name="Ada")
    old = member.email
    client = _signed_in(member)
    assert b"/profile/account/email/" in client.get("/profile/account/").content

    response = client.post(
        "/profile/account/email/", {"new_email": NEW.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert len(mailbox.messages) == 1
    assert mailbox.messages[0]["To"] == NEW
    assert mailbox.messages[0]["Subject"] == "Confirm your new sign-in email"
    member.refresh_from_db()
    assert member.email == old  # nothing changes before the link is followed

    link = _link(mailbox)
    # Opened anywhere (the new mailbox may be on another device): a page, then a POST.
    stranger = Client()
    page = stranger.get(link)
    assert page.status_code == 200 and NEW.encode() in page.content
    member.refresh_from_db()
    assert member.email == old
    # The old address is told once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        assert stranger.post(link).status_code == 302

    member.refresh_from_db()
    member.user.refresh_from_db()
    assert (member.email, member.user.email, member.user.username) == (NEW, NEW, NEW)
    told = mailbox.messages[-1]
    assert told["To"] == old
    assert told["Subject"] == "Your sign-in email has changed"
    assert NEW in told.get_content() and old in told.get_content()
    assert Client().login(username=NEW, password=PASSWORD)
    assert not Client().login(username=old, password=PASSWORD)

    # The link is spent once used.
    again = stranger.post(link)
    assert again.status_code == 400
    assert b"already been used" in again.content


def test_a_link_expires_after_two_days(mailbox: Mailbox) -> None:
    start = timezone.now()
    member = MemberFactory()
    old = member.email
    with time_machine.travel(start, tick=False):
        _signed_in(member).post("/profile/account/email/", {"new_email": NEW, "password": PASSWORD})
    link = _link(mailbox)
    with time_machine.travel(start + dt.timedelta(days=2, minutes=1), tick=False):
        response = Client().post(link)
    assert response.status_code == 400
    assert b"expired" in response.content
    member.refresh_from_db()
    assert member.email == old


def test_an_altered_link_or_a_taken_address_changes_nothing(mailbox: Mailbox) -> None:
    member = MemberFactory()
    old = member.email
    _signed_in(member).post("/profile/account/email/", {"new_email": NEW, "password": PASSWORD})
    link = _link(mailbox)
    assert Client().post(link.replace(":", ":x", 1)).status_code == 400
    MemberFactory(user__username=NEW)  # someone else takes the address meanwhile
    response = Client().post(link)
    assert response.status_code == 400
    assert b"Another account already uses this address." in response.content
    member.refresh_from_db()
    assert member.email == old
