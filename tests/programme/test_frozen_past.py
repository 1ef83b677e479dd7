"""The past is frozen: once a round has started, no path changes or deletes its meetings or
their ratings (plan, re-plan, hand edits, check-in, an attendee's answer, the back office)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import ProtectedError

from serendip.engines.meetings import solve
from serendip.events.models import RegistrationStatus
from serendip.events.services import PastIsFrozen, answer_coming, set_attendance
from serendip.programme.models import Meeting, PlanningRun, Rating
from serendip.programme.planning import (
    place_meeting,
    programme_of,
    publish,
    remove_meeting,
    replan_from,
    save_plan,
)
from serendip.programme.services import rate
from serendip.programme.tasks import start_planning
from tests.api.test_api import Api
from tests.programme.seminar import build_seminar

pytestmark = pytest.mark.django_db

# A fixed clock: the seminar's rounds start at 9:00, 9:10, 9:20... (7 minutes + 3 to change).
START = dt.datetime(2031, 3, 11, 9, 0, tzinfo=dt.UTC)
DURING_ROUND_3 = START + dt.timedelta(minutes=23)


def held_seminar():
    """A planned, published seminar whose first three rounds have started, each rated."""
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        seminar = build_seminar(bosses=10, sponsors=3, rounds=6, tables=4, start=START)
        run = start_planning(seminar.event, actor=None)
        assert run.status == PlanningRun.Status.DONE, run.error
        publish(seminar.event, actor=None)
    for meeting in Meeting.objects.filter(event=seminar.event, round__number__lte=3):
        rate(meeting, meeting.boss, colour="green", note="", follow_up=False)
    return seminar


def snapshot(seminar, *, through: int = 3) -> set[tuple]:
    """The meetings of the rounds up to ``through``, row by row."""
    return set(
        Meeting.objects.filter(event=seminar.event, round__number__lte=through).values_list(
            "pk", "round__number", "table", "boss_id", "sponsor_id", "seat"
        )
    )


@time_machine.travel(DURING_ROUND_3, tick=False)
def test_planning_again_during_the_event_replans_from_the_next_round_and_keeps_the_past():
    seminar = held_seminar()
    past, ratings = snapshot(seminar), Rating.objects.count()
    assert past and ratings
    absent = seminar.bosses[0]
    set_attendance(seminar.registration(absent), RegistrationStatus.NO_SHOW, actor=None)
    run = start_planning(seminar.event, actor=None)
    assert run.status == PlanningRun.Status.DONE, run.error
    assert run.from_round == 4
    assert snapshot(seminar) == past
    assert Rating.objects.count() == ratings
    later = Meeting.objects.filter(event=seminar.event, round__number__gt=3)
    assert later.exists() and not later.filter(boss=absent).exists()


@time_machine.travel(DURING_ROUND_3, tick=False)
def test_replanning_from_a_round_that_has_started_is_refused():
    seminar = held_seminar()
    before = snapshot(seminar, through=6)
    for number in (1, 3):
        with pytest.raises(PastIsFrozen, match="re-plan from round 4"):
            replan_from(seminar.event, seminar.event.rounds.get(number=number), actor=None)
    assert snapshot(seminar, through=6) == before


@time_machine.travel(DURING_ROUND_3, tick=False)
def test_a_held_rated_meeting_cannot_be_removed_nor_deleted():
    seminar = held_seminar()
    held = Meeting.objects.filter(event=seminar.event, round__number=2).first()
    with pytest.raises(PastIsFrozen):
        remove_meeting(held, actor=None)
    with pytest.raises(ProtectedError):
        held.delete()  # its rating protects it whatever the path
    assert Meeting.objects.filter(pk=held.pk).exists()
    assert Rating.objects.filter(meeting=held).exists()
    ahead = Meeting.objects.filter(event=seminar.event, round__number=5).first()
    remove_meeting(ahead, actor=None)
    assert not Meeting.objects.filter(pk=ahead.pk).exists()


@time_machine.travel(DURING_ROUND_3, tick=False)
def test_no_meeting_is_placed_in_a_round_that_has_started():
    seminar = held_seminar()
    taken = Meeting.objects.filter(event=seminar.event, round__number=2)
    boss = next(b for b in seminar.bosses if not taken.filter(boss=b).exists())
    sponsor = seminar.sponsors[2]
    with pytest.raises(PastIsFrozen, match="round 2 has started"):
        place_meeting(
            seminar.event,
            boss=boss,
            sponsor=sponsor,
            round=seminar.event.rounds.get(number=2),
            table=4,
            actor=None,
        )


@time_machine.travel(DURING_ROUND_3, tick=False)
def test_a_no_show_or_early_leaver_keeps_the_started_rounds_and_partners_are_told(
    mailbox, django_capture_on_commit_callbacks
):
    seminar = held_seminar()
    sponsor = seminar.sponsors[1]
    theirs = Meeting.objects.filter(event=seminar.event, sponsor=sponsor)
    started = set(theirs.filter(round__number__lte=3).values_list("pk", flat=True))
    partners = set(theirs.filter(round__number__gt=1).values_list("boss__email", flat=True))
    assert started and partners
    # Left after round 1: rounds 2 and 3 have started, so their rows stay; 4 to 6 are freed.
    with django_capture_on_commit_callbacks(execute=True):
        set_attendance(
            seminar.registration(sponsor),
            RegistrationStatus.LEFT_EARLY,
            actor=None,
            left_after=seminar.event.rounds.get(number=1),
        )
    assert set(theirs.values_list("pk", flat=True)) == started
    freed_partners = partners - set(
        Meeting.objects.filter(pk__in=started).values_list("boss__email", flat=True)
    )
    told = {to for message in mailbox.messages for to in message["To"].split(", ")}
    assert freed_partners and freed_partners <= told
    assert sponsor.email not in told


@time_machine.travel(DURING_ROUND_3, tick=False)
def test_an_attendee_cannot_cancel_nor_undo_a_check_in_once_the_event_is_under_way():
    seminar = held_seminar()
    boss = seminar.bosses[2]
    registration = seminar.registration(boss)
    set_attendance(registration, RegistrationStatus.CHECKED_IN, actor=None)
    mine = set(Meeting.objects.filter(boss=boss).values_list("pk", flat=True))
    for coming in (False, True):
        with pytest.raises(PastIsFrozen):
            answer_coming(registration, coming=coming, actor=None)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CHECKED_IN
    assert set(Meeting.objects.filter(boss=boss).values_list("pk", flat=True)) == mine


def test_before_the_event_a_checked_in_attendee_stays_checked_in():
    with time_machine.travel(START - dt.timedelta(hours=1), tick=False):
        seminar = build_seminar(start=START)
        registration = seminar.registration(seminar.bosses[0])
        set_attendance(registration, RegistrationStatus.CHECKED_IN, actor=None)
        with pytest.raises(PastIsFrozen):
            answer_coming(registration, coming=True, actor=None)
        other = seminar.registration(seminar.bosses[1])
        answer_coming(other, coming=False, actor=None)
        other.refresh_from_db()
        assert other.status == RegistrationStatus.CANCELLED


def test_a_meeting_placed_by_hand_while_the_planner_runs_survives_its_save():
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        seminar = build_seminar(bosses=10, sponsors=3, rounds=4, tables=4, start=START)
        programme = programme_of(seminar.event)
        plan = solve(programme.problem, time_limit=2, seed=0)
        # The organiser places a meeting while the planner works on the programme read above.
        boss, sponsor = seminar.bosses[9], seminar.sponsors[0]
        placed = place_meeting(
            seminar.event,
            boss=boss,
            sponsor=sponsor,
            round=seminar.event.rounds.get(number=2),
            table=1,
            actor=None,
        )
        save_plan(seminar.event, plan, programme, actor=None)
        kept = Meeting.objects.get(pk=placed.pk)
        assert (kept.round.number, kept.table, kept.pinned) == (2, 1, True)
        # The plan gave way: one meeting per table, boss and pair in every round.
        assert Meeting.objects.filter(event=seminar.event, boss=boss, sponsor=sponsor).count() == 1
        assert Meeting.objects.filter(round=kept.round, table=1).count() == 1


@time_machine.travel(DURING_ROUND_3, tick=False)
def test_the_api_refuses_a_members_cancellation_once_the_event_is_under_way():
    seminar = held_seminar()
    boss = seminar.bosses[3]
    registration = seminar.registration(boss)
    mine = set(Meeting.objects.filter(boss=boss).values_list("pk", flat=True))
    api = Api(boss)
    answer = api.send("patch", f"/registrations/{registration.pk}", {"status": "cancelled"})
    assert answer.status_code == 409
    assert "started" in answer.json()["detail"]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert set(Meeting.objects.filter(boss=boss).values_list("pk", flat=True)) == mine


@time_machine.travel(DURING_ROUND_3, tick=False)
def test_a_check_in_leaves_the_attendees_cached_pages_valid_an_absence_does_not():
    seminar = held_seminar()
    event = seminar.event
    event.refresh_from_db()
    before = event.programme_version
    set_attendance(
        seminar.registration(seminar.bosses[4]), RegistrationStatus.CHECKED_IN, actor=None
    )
    event.refresh_from_db()
    assert event.programme_version == before
    set_attendance(seminar.registration(seminar.bosses[5]), RegistrationStatus.NO_SHOW, actor=None)
    event.refresh_from_db()
    assert event.programme_version > before
