"""The live pages answer conditional requests: a 304 until the programme, the clock's round,
the attendee's ratings or the club's profiles change; every process sees the same version."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serendip.events.models import Event, RegistrationStatus
from serendip.events.services import set_attendance
from serendip.members.services import update_profile
from serendip.programme.planning import publish
from serendip.programme.services import rate
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import Seminar, build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar() -> Seminar:
    seminar = build_seminar(bosses=4, sponsors=2, rounds=3, tables=2)
    plan_beforehand(seminar)
    organiser = UserFactory(is_staff=True, is_superuser=True)
    publish(seminar.event, actor=organiser)
    seminar.organiser = organiser  # type: ignore[attr-defined]
    return seminar


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def during_round(seminar: Seminar, number: int) -> dt.datetime:
    return seminar.event.rounds.get(number=number).start + dt.timedelta(minutes=2)


def test_the_now_page_is_not_sent_again_until_something_changed(seminar: Seminar) -> None:
    meeting = seminar.event.meetings.order_by("round__number").first()
    boss = meeting.boss
    client = signed_in(boss.user)
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    with time_machine.travel(meeting.round.start + dt.timedelta(minutes=2), tick=False):
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"]
        assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
    # The round ends: the meeting is now one to rate.
    with time_machine.travel(meeting.round.end + dt.timedelta(minutes=1), tick=False):
        after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert after.status_code == 200
        assert f'id="rate-{meeting.pk}"' in after.content.decode()
        rate(meeting, boss, colour="green", note="", follow_up=False)
        rated = client.get(url, HTTP_IF_NONE_MATCH=after["ETag"])
        assert rated.status_code == 200 and rated["ETag"] != after["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=rated["ETag"]).status_code == 304


def test_a_programme_change_made_anywhere_changes_the_version_every_process_reads(
    seminar: Seminar,
) -> None:
    boss = seminar.event.meetings.first().boss
    client = signed_in(boss.user)
    url = reverse("agenda", args=[seminar.event.slug])
    before = Event.objects.get(pk=seminar.event.pk).programme_version
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # The desk marks a sponsor as a no-show (in another process: only the database is shared).
    sponsor = seminar.event.meetings.filter(boss=boss).first().sponsor
    set_attendance(
        seminar.registration(sponsor),
        RegistrationStatus.NO_SHOW,
        actor=seminar.organiser,
        now=seminar.event.rounds.order_by("number").first().start - dt.timedelta(hours=1),
    )
    assert Event.objects.get(pk=seminar.event.pk).programme_version > before
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert sponsor.full_name not in changed.content.decode()


def test_a_profile_edit_changes_the_agenda_version(seminar: Seminar) -> None:
    boss = seminar.event.meetings.first().boss
    client = signed_in(boss.user)
    url = reverse("agenda", args=[seminar.event.slug])
    first = client.get(url)
    other = seminar.event.meetings.filter(boss=boss).first().sponsor
    update_profile(other, first_name="Renamed")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "Renamed" in changed.content.decode()


def test_the_gong_is_not_sent_again_until_the_programme_changes(seminar: Seminar) -> None:
    client = signed_in(seminar.organiser)
    url = reverse("organise-gong", args=[seminar.event.slug])
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    set_attendance(
        seminar.registration(seminar.bosses[1]),
        RegistrationStatus.NO_SHOW,
        actor=seminar.organiser,
        now=seminar.event.rounds.order_by("number").first().start - dt.timedelta(hours=1),
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_message_to_show_is_never_answered_with_a_304(seminar: Seminar) -> None:
    boss = seminar.bosses[0]
    client = signed_in(boss.user)
    url = reverse("agenda", args=[seminar.event.slug])
    first = client.get(url)
    client.post(url)  # a new calendar link, and a message saying so
    page = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert page.status_code == 200 and "new private calendar link" in page.content.decode()
    assert timezone.now()  # the clock is the real one here: nothing depends on the hour
