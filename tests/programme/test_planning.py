"""Planning an event from the database: preferences in, meetings out, every rule kept."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from serendip.engines.meetings import validate
from serendip.events.models import RegistrationStatus
from serendip.events.services import set_attendance
from serendip.members.services import are_connected
from serendip.programme.models import Decline, Meeting, PairRule, PlanningRun, Wish
from serendip.programme.planning import (
    RefusedChange,
    current_plan,
    place_meeting,
    programme_of,
    publish,
    replan_from,
)
from serendip.programme.services import rate
from serendip.programme.tasks import start_planning
from tests.programme.seminar import build_seminar

pytestmark = pytest.mark.django_db


def plan(seminar):
    run = start_planning(seminar.event, actor=None)
    assert run.status == PlanningRun.Status.DONE, run.error
    return run


def test_plan_obeys_every_rule_and_reaches_minimums():
    seminar = build_seminar()
    run = plan(seminar)
    programme = programme_of(seminar.event)
    assert validate(programme.problem, current_plan(seminar.event, programme)) == []
    assert run.meetings == Meeting.objects.filter(event=seminar.event).count() > 0
    assert run.below_min == 0
    for boss in seminar.bosses:
        assert Meeting.objects.filter(boss=boss).count() >= 2
    assert seminar.event.activity.filter(action="plan").exists()


def test_preferences_forced_and_forbidden_pairs_are_obeyed():
    seminar = build_seminar()
    boss, sponsor = seminar.bosses[0], seminar.sponsors[0]
    other = seminar.sponsors[1]
    Decline.objects.create(member=boss, declined=sponsor, event=seminar.event)
    PairRule.objects.create(
        event=seminar.event, boss=seminar.bosses[1], sponsor=other, rule=PairRule.Rule.FORCE
    )
    PairRule.objects.create(
        event=seminar.event, boss=seminar.bosses[2], sponsor=other, rule=PairRule.Rule.FORBID
    )
    Wish.objects.create(member=seminar.bosses[3], wanted=other, event=seminar.event, weight=5)
    plan(seminar)
    meetings = Meeting.objects.filter(event=seminar.event)
    assert not meetings.filter(boss=boss, sponsor=sponsor).exists()
    assert meetings.filter(boss=seminar.bosses[1], sponsor=other).exists()
    assert not meetings.filter(boss=seminar.bosses[2], sponsor=other).exists()
    assert meetings.filter(boss=seminar.bosses[3], sponsor=other).exists()


def test_hand_placed_meeting_survives_planning_again():
    seminar = build_seminar()
    first_round = seminar.event.rounds.get(number=1)
    meeting = place_meeting(
        seminar.event,
        boss=seminar.bosses[5],
        sponsor=seminar.sponsors[2],
        round=first_round,
        table=4,
        actor=None,
    )
    plan(seminar)
    plan(seminar)
    kept = Meeting.objects.get(pk=meeting.pk)
    assert (kept.round.number, kept.table, kept.pinned) == (1, 4, True)


def test_hand_edit_breaking_a_rule_is_refused_with_the_reason():
    seminar = build_seminar(sponsors=5, rounds=3, tables=8)
    plan(seminar)
    taken = Meeting.objects.filter(event=seminar.event).first()
    free_sponsor = next(
        s
        for s in seminar.sponsors
        if not Meeting.objects.filter(boss=taken.boss, sponsor=s).exists()
    )
    before = Meeting.objects.count()
    with pytest.raises(RefusedChange, match=r"round|table|capacity"):
        place_meeting(
            seminar.event,
            boss=taken.boss,
            sponsor=free_sponsor,
            round=taken.round,
            table=seminar.event.tables,
            actor=None,
        )
    later = seminar.event.rounds.exclude(pk=taken.round_id).first()
    used = set(Meeting.objects.filter(round=later).values_list("table", flat=True))
    free_table = min(set(range(1, seminar.event.tables + 1)) - used)
    refusals = (("en", "and {} already meet at this event"), ("fr", "et {} se rencontrent déjà"))
    for language, words in refusals:
        with (
            translation.override(language),
            pytest.raises(RefusedChange, match=f"{taken.boss} {words.format(taken.sponsor)}"),
        ):
            place_meeting(
                seminar.event,
                boss=taken.boss,
                sponsor=taken.sponsor,
                round=later,
                table=free_table,
                actor=None,
            )
    assert Meeting.objects.count() == before


def test_database_refuses_a_double_booked_table_or_boss():
    seminar = build_seminar()
    plan(seminar)
    taken = Meeting.objects.filter(event=seminar.event).first()
    for clash in (
        {"table": taken.table, "boss": seminar.bosses[-1], "sponsor": seminar.sponsors[-1]},
        {"table": 99, "boss": taken.boss, "sponsor": seminar.sponsors[-1], "seat": 2},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Meeting.objects.create(event=seminar.event, round=taken.round, **clash)


def test_no_show_then_replan_refills_the_freed_slots_and_keeps_the_past():
    seminar = build_seminar(bosses=10, sponsors=3, rounds=5, tables=4)
    plan(seminar)
    publish(seminar.event, actor=None)
    absent = seminar.sponsors[0]
    lost = Meeting.objects.filter(sponsor=absent).count()
    assert lost > 0
    set_attendance(seminar.registration(absent), RegistrationStatus.NO_SHOW, actor=None)
    assert not Meeting.objects.filter(sponsor=absent).exists()
    new_plan, affected = replan_from(
        seminar.event, seminar.event.rounds.get(number=1), actor=None, time_limit=2
    )
    programme = programme_of(seminar.event, everyone=True)
    slots = current_plan(seminar.event, programme)
    assert len(slots) == len(new_plan.meetings)
    assert all(s.sponsor != f"m{absent.pk}" for s in slots)
    assert affected  # somebody got a new meeting in the freed slots
    assert seminar.event.activity.filter(action="replan").exists()


def test_two_greens_connect_the_pair():
    seminar = build_seminar()
    plan(seminar)
    meeting = Meeting.objects.filter(event=seminar.event).select_related("round").first()
    held = meeting.round.end  # a meeting is rated once it has taken place
    rate(meeting, meeting.boss, colour="green", note="great", follow_up=True, now=held)
    assert not are_connected(meeting.boss, meeting.sponsor)
    rate(meeting, meeting.sponsor, colour="green", note="", follow_up=False, now=held)
    assert are_connected(meeting.boss, meeting.sponsor)
