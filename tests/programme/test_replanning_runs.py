"""A re-plan from a chosen round is a planning run: queued, worked by the queue, refused
before it starts for a round under way or while another run is busy.

Transactions are real here (as in a worker): the run's own checks lock the event inside
a transaction, which PostgreSQL requires of ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from serendip.events.models import RegistrationStatus
from serendip.events.services import PastIsFrozen, set_attendance
from serendip.programme import tasks
from serendip.programme.models import Meeting, PlanningRun
from serendip.programme.planning import publish
from serendip.programme.tasks import PlanningBusy, start_planning, start_replanning
from tests.programme.seminar import build_seminar

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2031, 3, 11, 9, 0, tzinfo=dt.UTC)  # rounds at 9:00, 9:10, 9:20...
DURING_ROUND_2 = START + dt.timedelta(minutes=13)
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def seminar():
    """Planned and published the day before; round 2 under way, a boss marked no-show."""
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        seminar = build_seminar(bosses=8, sponsors=3, rounds=5, tables=4, start=START)
        assert start_planning(seminar.event, actor=None).status == PlanningRun.Status.DONE
        publish(seminar.event, actor=None)
    with time_machine.travel(DURING_ROUND_2, tick=False):
        set_attendance(seminar.registration(seminar.bosses[0]), "no_show", actor=None)
        mail.outbox.clear()
        yield seminar


def rows(seminar, rounds: range) -> set[tuple]:
    return set(
        Meeting.objects.filter(event=seminar.event, round__number__in=rounds).values_list(
            "pk", "round__number", "table", "boss_id", "sponsor_id"
        )
    )


def test_a_replan_from_a_round_keeps_the_rounds_before_and_tells_who_moved(seminar):
    kept = rows(seminar, range(1, 4))
    run = start_replanning(seminar.event, seminar.event.rounds.get(number=4), actor=None)
    assert run.status == PlanningRun.Status.DONE, run.error  # the immediate backend: at once
    assert (run.from_round, run.progress, run.step) == (4, 100, "done")
    assert rows(seminar, range(1, 4)) == kept  # round 3's freed slot is not refilled
    assert not Meeting.objects.filter(boss=seminar.bosses[0], round__number__gte=4).exists()
    assert run.moved is not None and run.people_told == len(mail.outbox)
    asked = seminar.event.activity.filter(action="plan requested").latest("pk")
    assert asked.params == {"from_round": 4}
    assert asked.sentence == "Planning asked: re-planning from round 4"
    assert seminar.event.activity.filter(action="replan").exists()


def test_a_round_under_way_is_refused_before_any_run_starts(seminar):
    with pytest.raises(PastIsFrozen, match="round 2 has started: re-plan from round 3"):
        start_replanning(seminar.event, seminar.event.rounds.get(number=2), actor=None)
    assert not seminar.event.planning_runs.filter(from_round__isnull=False).exists()


def test_one_run_at_a_time(seminar, settings):
    settings.TASKS = NO_WORKER
    waiting = start_replanning(seminar.event, seminar.event.rounds.get(number=3), actor=None)
    with pytest.raises(PlanningBusy, match="already under way") as busy:
        start_replanning(seminar.event, seminar.event.rounds.get(number=4), actor=None)
    assert busy.value.run == waiting
    assert start_planning(seminar.event, actor=None) == waiting  # planning answers the busy one


def test_a_round_that_started_while_the_job_waited_fails_the_run_with_the_reason(seminar, settings):
    settings.TASKS = NO_WORKER
    before = rows(seminar, range(1, 6))
    run = start_replanning(seminar.event, seminar.event.rounds.get(number=3), actor=None)
    with time_machine.travel(START + dt.timedelta(minutes=21), tick=False):
        tasks.plan_programme.call(run.pk)  # the worker took it once round 3 had begun
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.FAILED
    assert run.error == "round 3 has started: re-plan from round 4"
    assert rows(seminar, range(1, 6)) == before


def test_the_dashboards_replan_of_an_event_under_way_records_the_people_told(seminar):
    run = start_planning(seminar.event, actor=None)
    assert run.status == PlanningRun.Status.DONE, run.error
    assert run.from_round == 3 and run.people_told == len(mail.outbox)
    assert seminar.registration(seminar.bosses[0]).status == RegistrationStatus.NO_SHOW
