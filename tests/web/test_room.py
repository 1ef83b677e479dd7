"""A worker's walk of the room reads once what each page reads for itself (a room of one):
the parts it renders from that one read are, byte for byte, the ones each page renders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from serendip.events.models import RegistrationStatus
from serendip.events.services import set_attendance
from serendip.members.models import Member
from serendip.programme.models import Meeting, Wish
from serendip.programme.planning import publish
from serendip.programme.services import rate
from serendip.web.agenda_part import render_agenda_part
from serendip.web.now_part import render_now_part
from serendip.web.room import room_of
from tests.factories import UserFactory
from tests.programme.seminar import build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db


def test_parts_rendered_from_the_whole_room_are_the_pages_own_at_every_moment_of_the_day() -> None:
    seminar = build_seminar(bosses=6, sponsors=3, rounds=3, tables=3)
    plan_beforehand(seminar)
    organiser = UserFactory(is_staff=True, is_superuser=True)
    publish(seminar.event, actor=organiser)
    event = seminar.event
    rounds = list(event.rounds.order_by("number"))
    people = seminar.bosses + seminar.sponsors
    Wish.objects.create(member=seminar.bosses[0], wanted=seminar.sponsors[1], event=event, weight=5)
    seminar.bosses[1].language = "fr"
    seminar.bosses[1].save(update_fields=["language"])
    first_round = list(Meeting.objects.filter(round=rounds[0]).order_by("pk"))
    assert len(first_round) >= 3
    away = first_round[0].boss  # did not come: their first meeting did not take place
    with time_machine.travel(rounds[0].start + dt.timedelta(minutes=1), tick=False):
        set_attendance(seminar.registration(away), RegistrationStatus.NO_SHOW, actor=organiser)
    with time_machine.travel(rounds[0].end + dt.timedelta(minutes=1), tick=False):
        # The first round rated both ways, a follow-up asked by one side or both; a sponsor
        # leaves after it.
        for n, meeting in enumerate(first_round[1:]):
            rate(meeting, meeting.boss, colour="green", note="", follow_up=True)
            rate(meeting, meeting.sponsor, colour="orange", note="", follow_up=n % 2 == 0)
        set_attendance(
            seminar.registration(seminar.sponsors[2]),
            RegistrationStatus.LEFT_EARLY,
            actor=organiser,
            left_after=rounds[0],
        )
    moments = [
        rounds[0].start - dt.timedelta(minutes=5),
        rounds[0].start + dt.timedelta(minutes=2),
        rounds[1].start + dt.timedelta(minutes=2),
        rounds[2].end + dt.timedelta(minutes=5),
    ]
    room = room_of(event, [member.pk for member in people])
    compared = 0
    for moment in moments:
        for member in people:
            registration = seminar.registration(member)
            with translation.override(member.language):
                own_now = render_now_part(event, member, registration, now=moment, csrf_token="T")
                walked_now = render_now_part(
                    event, member, registration, now=moment, csrf_token="T", room=room
                )
                own_agenda = render_agenda_part(event, member, now=moment)
                walked_agenda = render_agenda_part(event, member, now=moment, room=room)
            assert walked_now == own_now, (member, moment)
            assert walked_agenda == own_agenda, (member, moment)
            compared += 1
    assert compared == len(moments) * len(people)

    # What the pages show after the first round: who did not come, whose follow-up is asked.
    def now_part(member: Member) -> str:
        registration = seminar.registration(member)
        with translation.override("en"):
            return render_now_part(event, member, registration, now=moments[2], csrf_token="T")

    missed = now_part(first_round[0].sponsor)
    assert "Did not take place" in missed and away.full_name in missed
    asked, not_asked = first_round[1], first_round[2]  # the sponsor asked on the first only
    assert asked.sponsor.email in now_part(asked.boss)
    assert not_asked.sponsor.email not in now_part(not_asked.boss)
    assert not_asked.boss.email in now_part(not_asked.sponsor)  # every boss asked


def test_the_room_is_read_in_a_handful_of_queries_whatever_its_size() -> None:
    seminar = build_seminar(bosses=6, sponsors=3, rounds=3, tables=3)
    plan_beforehand(seminar)
    people = [member.pk for member in seminar.bosses + seminar.sponsors]
    with CaptureQueriesContext(connection) as small:
        room_of(seminar.event, people[:2])
    with CaptureQueriesContext(connection) as whole:
        room = room_of(seminar.event, people)
    assert len(whole) == len(small) <= 6
    assert sum(len(room.agenda(pk)) for pk in people) == 2 * seminar.event.meetings.count()
