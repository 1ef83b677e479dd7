"""Concurrent edits never double-book a person or a table (run on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import DatabaseError, IntegrityError, connections
from django.db.models import Q

from serendip.events.models import RegistrationStatus
from serendip.events.services import set_attendance
from serendip.programme.models import Meeting
from serendip.programme.planning import RefusedChange, place_meeting, replan_from
from serendip.programme.tasks import start_planning
from tests.programme.seminar import build_seminar

pytestmark = pytest.mark.django_db(transaction=True)


def race(jobs: list[Callable[[], object]]) -> list[object]:
    """Run the jobs at the same moment, each on its own database connection."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[object] = [None] * len(jobs)

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = jobs[i]()
        except (RefusedChange, IntegrityError, DatabaseError) as refused:
            outcomes[i] = refused
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def no_double_booking(event) -> None:
    meetings = list(Meeting.objects.filter(event=event))
    for key in (
        lambda m: (m.round_id, m.table),
        lambda m: (m.round_id, m.boss_id),
        lambda m: (m.round_id, m.sponsor_id, m.seat),
    ):
        keys = [key(m) for m in meetings]
        assert len(keys) == len(set(keys))


def test_two_organisers_place_at_the_same_table_at_once():
    seminar = build_seminar(bosses=4, sponsors=4, rounds=2, tables=4)
    first = seminar.event.rounds.get(number=1)
    jobs = [
        (
            lambda b=b, s=s: place_meeting(
                seminar.event, boss=b, sponsor=s, round=first, table=1, actor=None
            )
        )
        for b, s in zip(seminar.bosses, seminar.sponsors, strict=True)
    ]
    outcomes = race(jobs)
    placed = [o for o in outcomes if isinstance(o, Meeting)]
    assert len(placed) == 1, outcomes
    assert Meeting.objects.filter(round=first, table=1).count() == 1
    no_double_booking(seminar.event)


def test_a_replan_racing_check_ins_leaves_no_one_double_booked():
    seminar = build_seminar(bosses=10, sponsors=3, rounds=5, tables=4)
    start_planning(seminar.event, actor=None)
    first = seminar.event.rounds.get(number=1)
    jobs: list[Callable[[], object]] = [
        lambda: replan_from(seminar.event, first, actor=None, time_limit=1),
        lambda: set_attendance(
            seminar.registration(seminar.sponsors[0]), RegistrationStatus.NO_SHOW, actor=None
        ),
        lambda: set_attendance(
            seminar.registration(seminar.bosses[0]), RegistrationStatus.CANCELLED, actor=None
        ),
        lambda: replan_from(seminar.event, first, actor=None, time_limit=1),
    ]
    race(jobs)
    no_double_booking(seminar.event)
    # Edits take turns: whichever order they ran in (or whichever SQLite refused as locked),
    # no re-plan gave back the meetings of someone whose absence was recorded.
    absent = seminar.event.registrations.filter(
        status__in=[RegistrationStatus.NO_SHOW, RegistrationStatus.CANCELLED]
    ).values("member")
    assert absent.exists()
    assert not Meeting.objects.filter(Q(boss__in=absent) | Q(sponsor__in=absent)).exists()
