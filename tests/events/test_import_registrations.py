"""Importing an event's registrations from CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from serendip.csvrows import ImportRefused
from serendip.events.imports import import_registrations
from serendip.events.models import Registration
from serendip.programme.models import Meeting
from tests.factories import EventFactory, MemberFactory
from tests.programme.seminar import build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db


def refusal(slug: str, data: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        import_registrations(slug, data)
    return [str(e) for e in refused.value.errors]


def test_registrations_are_created_then_updated() -> None:
    event = EventFactory(slug="spring")
    MemberFactory(email="ada@acme.fr", side="boss")
    MemberFactory(email="bob@vendor.io", side="sponsor")
    data = (
        b"email,status,guaranteed_meetings,representatives\n"
        b"ada@acme.fr,confirmed,,\nBOB@vendor.io,confirmed,40,3\n"
    )
    assert import_registrations("spring", data).created == 2
    bob = Registration.objects.get(member__email="bob@vendor.io")
    assert (bob.side, bob.guaranteed_meetings, bob.representatives) == ("sponsor", 40, 3)
    result = import_registrations("spring", b"email,status\nada@acme.fr,cancelled\n")
    assert (result.created, result.updated) == (0, 1)
    assert event.registrations.get(member__email="ada@acme.fr").status == "cancelled"


def test_an_unknown_event_is_refused() -> None:
    assert refusal("nope", b"email\na@b.fr\n") == ["no event with the short name 'nope'"]


def test_unknown_members_bad_numbers_and_packages_for_bosses_are_all_reported() -> None:
    EventFactory(slug="spring")
    MemberFactory(email="ada@acme.fr", side="boss")
    MemberFactory(email="bob@vendor.io", side="sponsor")
    errors = refusal(
        "spring",
        b"email,side,status,guaranteed_meetings,representatives\n"
        b"ghost@nowhere.fr,boss,confirmed,,\n"
        b"ada@acme.fr,boss,confirmed,12,\n"
        b"bob@vendor.io,sponsor,maybe,lots,0\n",
    )
    assert errors == [
        "line 2, column email: no member with the email 'ghost@nowhere.fr'",
        "line 3, column guaranteed_meetings: only sponsors have a package",
        "line 4, column status: 'maybe' is not one of invited, confirmed, checked_in, "
        "no_show, cancelled, left_early",
        "line 4, column guaranteed_meetings: 'lots' is not a whole number",
        "line 4, column representatives: 0 is below the minimum of 1",
    ]
    assert not Registration.objects.exists()


def test_a_member_listed_twice_is_refused() -> None:
    EventFactory(slug="spring")
    MemberFactory(email="ada@acme.fr")
    assert refusal("spring", b"email\nada@acme.fr\nAda@acme.fr\n") == [
        "line 3, column email: ada@acme.fr already appears on line 2"
    ]


def test_a_cancellation_imported_frees_the_meetings_like_the_desk_does() -> None:
    """A CSV that cancels an attendee goes through set_attendance: their meetings to come are
    freed for the re-plan, as from the day page and the back office."""
    seminar = build_seminar(start=timezone.now() + dt.timedelta(days=2))
    plan_beforehand(seminar)
    boss = seminar.bosses[0]
    assert Meeting.objects.filter(boss=boss).exists()
    data = f"email,status\n{boss.email},cancelled\n".encode()
    result = import_registrations(seminar.event.slug, data)
    assert (result.created, result.updated) == (0, 1)
    assert seminar.registration(boss).status == "cancelled"
    assert not Meeting.objects.filter(boss=boss).exists()
    assert Meeting.objects.filter(boss=seminar.bosses[1]).exists()
