"""The database refuses what must never happen, whatever code path tries it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from serendip.events.models import Event, Registration
from serendip.members.models import Connection, Member
from serendip.members.services import connect, connections_of
from tests.factories import EventFactory, MemberFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_email_cannot_belong_to_two_members_whatever_its_case() -> None:
    MemberFactory(email="ada@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            user=UserFactory(), email="ADA@example.org", first_name="A", last_name="B"
        )


def test_a_member_cannot_be_registered_twice_to_one_event() -> None:
    registration = RegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=registration.event, member=registration.member, side="boss"
        )
    assert Registration.objects.count() == 1


def test_a_member_cannot_be_connected_to_themselves() -> None:
    member = MemberFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.create(member_a=member, member_b=member)


def test_the_same_connection_cannot_be_stored_twice_in_either_order() -> None:
    first, second = sorted([MemberFactory(), MemberFactory()], key=lambda m: m.pk)
    Connection.objects.create(member_a=first, member_b=second)
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.create(member_a=first, member_b=second)
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.create(member_a=second, member_b=first)
    assert Connection.objects.count() == 1


def test_connect_stores_one_row_whichever_order_it_is_called_in() -> None:
    a, b = MemberFactory(), MemberFactory()
    connect(b, a, since=dt.date(2024, 5, 1))
    connect(a, b)
    assert Connection.objects.count() == 1
    assert [c.other(a) for c in connections_of(a)] == [b]
    assert [c.other(b) for c in connections_of(b)] == [a]


def test_only_sponsors_hold_a_package() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(side="boss", guaranteed_meetings=14)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(side="guest", representatives=2)
    sponsor = RegistrationFactory(side="sponsor", guaranteed_meetings=40, representatives=3)
    assert sponsor.representatives == 3


def test_a_sponsor_has_at_least_one_representative() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(side="sponsor", representatives=0)


def test_an_event_ends_after_it_starts() -> None:
    event = EventFactory.build()
    event.end = event.start - dt.timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
    assert not Event.objects.exists()
