"""A re-plan's search holds no write lock: on SQLite the room's ratings and check-ins would
wait behind it (a 4 s stall of every server thread in the live-round benchmark)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from serendip.events.models import RegistrationStatus
from serendip.events.services import PastIsFrozen, set_attendance
from serendip.members.models import Member
from serendip.programme import briefing, planning
from serendip.programme.models import Meeting
from serendip.programme.planning import publish, replan_from
from tests.programme.seminar import Seminar, build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db(transaction=True)


def watch_transactions(monkeypatch: pytest.MonkeyPatch, name: str) -> list[bool]:
    """Whether a transaction was open at each call of ``planning.<name>``."""
    seen: list[bool] = []
    real = getattr(planning, name)

    def watching(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(planning, name, watching)
    return seen


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether a transaction was open each time the engine searched."""
    return watch_transactions(monkeypatch, "replan")


@pytest.fixture
def seminar() -> Seminar:
    """A published seminar planned the day before, its first sponsor marked absent."""
    seminar = build_seminar(bosses=10, sponsors=3, rounds=5, tables=4)
    plan_beforehand(seminar)
    publish(seminar.event, actor=None)
    absent = seminar.sponsors[0]
    set_attendance(seminar.registration(absent), RegistrationStatus.NO_SHOW, actor=None)
    return seminar


def test_the_engine_searches_with_no_transaction_open(
    seminar: Seminar, searches: list[bool]
) -> None:
    absent = seminar.sponsors[0]
    _plan, affected = replan_from(
        seminar.event, seminar.event.rounds.get(number=1), actor=None, time_limit=2
    )
    assert searches == [False]
    assert affected and not Meeting.objects.filter(sponsor=absent).exists()
    assert seminar.event.activity.filter(action="replan").count() == 1


def test_a_change_during_the_search_is_seen_the_plan_is_worked_out_again(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch, searches: list[bool]
) -> None:
    first_absent, second_absent = seminar.sponsors[0], seminar.sponsors[1]
    real = planning._work_out_replan

    def desk_marks_another_no_show(*args, **kwargs):
        worked = real(*args, **kwargs)
        if len(searches) == 1:  # while the first search ran, the desk marked a no-show
            set_attendance(
                seminar.registration(second_absent), RegistrationStatus.NO_SHOW, actor=None
            )
        return worked

    monkeypatch.setattr(planning, "_work_out_replan", desk_marks_another_no_show)
    replan_from(seminar.event, seminar.event.rounds.get(number=1), actor=None, time_limit=2)
    assert searches == [False, False]  # worked out again, still without the lock
    # The saved plan is the second one: neither absent sponsor holds a meeting.
    assert not Meeting.objects.filter(sponsor__in=[first_absent, second_absent]).exists()


def test_what_the_plan_changes_is_read_with_no_transaction_open(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reading the programme's meetings took a low-priority queue worker up to a second at
    # 450 attendees, holding SQLite's write lock while the room's ratings waited.
    absent = seminar.sponsors[0]
    seen = watch_transactions(monkeypatch, "_to_store")
    replan_from(seminar.event, seminar.event.rounds.get(number=1), actor=None, time_limit=2)
    assert seen == [False]
    assert not Meeting.objects.filter(sponsor=absent).exists()


def test_a_round_that_starts_during_the_search_is_left_as_it_was(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = seminar.event.rounds.get(number=1)
    before = sorted(Meeting.objects.values_list("pk", "round__number", "boss_id", "sponsor_id"))
    real = planning._work_out_replan

    def slow_search(*args, **kwargs):
        worked = real(*args, **kwargs)
        traveller.shift(first.start - timezone.now() + dt.timedelta(seconds=1))  # the gong
        return worked

    monkeypatch.setattr(planning, "_work_out_replan", slow_search)
    minute_before = first.start - dt.timedelta(minutes=1)
    with (
        time_machine.travel(minute_before, tick=False) as traveller,
        pytest.raises(PastIsFrozen),
    ):
        replan_from(seminar.event, first, actor=None, time_limit=2)
    after = sorted(Meeting.objects.values_list("pk", "round__number", "boss_id", "sponsor_id"))
    assert after == before  # the absent sponsor's meetings stay: the round is history now
    assert not seminar.event.activity.filter(action="replan").exists()


def test_a_replan_explains_its_new_meetings_before_the_agendas_are_read(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After a re-plan the affected phones read their agendas at once: each explaining its
    # own new meetings cost 200-300 ms a page at 450 attendees.
    absent = seminar.sponsors[0]
    briefing.warm_briefs(seminar.event)  # the programme as planned was explained ahead
    _plan, affected = replan_from(
        seminar.event, seminar.event.rounds.get(number=1), actor=None, time_limit=2
    )
    asked: list[object] = []
    monkeypatch.setattr(briefing, "meeting_briefs", lambda pairs: asked.append(pairs) or {})
    readers = Member.objects.filter(pk__in=affected).exclude(pk=absent.pk)
    assert readers
    for member in readers:
        assert briefing.briefs(seminar.event, member)
    assert asked == []  # every new meeting's why and how was there already
