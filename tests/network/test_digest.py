"""The weekly digest, delivered to a real local SMTP server and read back."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from serendip.network.asks import create_ask
from serendip.network.digest import send_digests
from serendip.network.introductions import propose_introduction
from serendip.network.models import Audience
from serendip.network.relationships import set_cadence
from tests.conftest import Mailbox
from tests.network.club import circle

pytestmark = pytest.mark.django_db


def test_digest_lists_each_kind_and_each_kind_can_be_unsubscribed(mailbox: Mailbox) -> None:
    c = circle()
    set_cadence(c.ben, c.ana, 30)
    propose_introduction(c.ana, seeker=c.ben, helper=c.cleo, note="Meet")
    create_ask(
        c.cleo, kind="service", topic="A cloud cost review", details="", audience=Audience.CLUB
    )
    assert send_digests.call() >= 1
    to_ben = [m for m in mailbox.messages if m["To"] == c.ben.email]
    assert len(to_ben) == 1
    body = to_ben[0].get_content()
    assert "Follow-ups due" in body and c.ana.full_name in body
    assert "Introductions waiting for you" in body
    assert "Asks you could help with" in body and "A cloud cost review" in body
    # Each section has its own signed link; following one removes only that section.
    links = re.findall(r"http://127\.0\.0\.1:8000(/network/unsubscribe/\S+/)", body)
    assert len(links) == 3
    assert Client().get(links[0]).status_code == 200  # asks first: opening it changes nothing
    assert Client().post(links[0]).status_code == 200  # the confirmation's button
    assert Client().get(links[0][:-5] + "xxxx/").status_code == 404  # tampered
    mailbox.messages.clear()
    send_digests.call()
    again = next(m for m in mailbox.messages if m["To"] == c.ben.email).get_content()
    assert "Follow-ups due" not in again and "Introductions waiting for you" in again
    # Eve has nothing this week: no empty mail.
    assert all(m["To"] != c.eve.email for m in mailbox.messages)
