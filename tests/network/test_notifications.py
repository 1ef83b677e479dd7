"""In-app notifications: left by the network's services, marked read by the member."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from serendip.network.notifications import mark_all_read, notify
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


def test_marking_read_takes_every_unread_one_once() -> None:
    member, other = MemberFactory(), MemberFactory()
    notify(member, "First %(n)s", n=1)
    notify(member, "Second")
    notify(other, "Not theirs")
    assert mark_all_read(member) == 2
    assert mark_all_read(member) == 0
    assert other.notifications.filter(read__isnull=True).count() == 1


def test_the_hub_marks_the_members_notifications_read() -> None:
    member = MemberFactory()
    notify(member, "An introduction waits for you")
    client = Client()
    assert client.login(username=member.user.username, password=PASSWORD)
    assert client.post(reverse("network")).status_code == 302
    assert not member.notifications.filter(read__isnull=True).exists()
