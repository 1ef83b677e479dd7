"""Meetings planned and held for many events at once, in a bounded number of queries.

``serendip.programme.reports.meeting_state`` is the one definition of "held": the round has
ended and both people were there (not a no-show, not cancelled, not gone before that round).
A club's dashboard counts millions of meetings, so the same rule is written here as SQL over
whole querysets; tests/reports/test_held.py checks both agree meeting by meeting.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from serendip.events.models import Registration, RegistrationStatus, Round
from serendip.programme.models import Meeting
from serendip.programme.reports import Attendance

AWAY = (RegistrationStatus.NO_SHOW, RegistrationStatus.CANCELLED)
# No round lasts longer than this: rounds that started before it are over (checked anyway).
LONGEST_ROUND = dt.timedelta(days=1)


def rounds_not_over(event_ids: Iterable[int] | None, now: dt.datetime) -> list[int]:
    """The ids of the rounds still to come or under way (few: only today's and later events)."""
    rounds = Round.objects.filter(start__gt=now - LONGEST_ROUND)
    if event_ids is not None:
        rounds = rounds.filter(event_id__in=list(event_ids))
    return [r.pk for r in rounds.only("start", "minutes") if r.end > now]


def _away(side: str) -> Q:
    """Meetings where that side's person was away for the meeting's round."""
    registration = f"{side}__registrations"
    return Q(**{f"{registration}__event": F("event")}) & (
        Q(**{f"{registration}__status__in": AWAY})
        | Q(
            **{
                f"{registration}__status": RegistrationStatus.LEFT_EARLY,
                f"{registration}__left_after__number__lt": F("round__number"),
            }
        )
    )


def planned_and_held(
    meetings: QuerySet[Meeting], now: dt.datetime, *, event_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int]]:
    """(planned, held) per event id for these meetings; four queries whatever their number."""
    found = planned_and_held_by(meetings, now, None, event_ids=event_ids)
    return {event_id: counts for (event_id, _none), counts in found.items()}


def planned_and_held_by(
    meetings: QuerySet[Meeting],
    now: dt.datetime,
    by: str | None,
    *,
    event_ids: Iterable[int] | None = None,
) -> dict[tuple[int, Any], tuple[int, int]]:
    """(planned, held) per (event id, value of the field ``by``), e.g. the sponsor's
    organisation; ``by=None`` groups by event only (the key's second part is None)."""
    meetings = meetings.order_by()
    fields = ["event_id"] if by is None else ["event_id", by]

    def key(row: tuple[Any, ...]) -> tuple[int, Any]:
        return (row[0], row[1] if by is not None else None)

    planned = {key(row): row[-1] for row in meetings.values_list(*fields).annotate(n=Count("pk"))}
    over = meetings.exclude(round_id__in=rounds_not_over(event_ids, now))
    ended: Counter[tuple[int, Any]] = Counter(
        {key(row): row[-1] for row in over.values_list(*fields).annotate(n=Count("pk"))}
    )
    # Meetings with someone away are few (the planner frees them): fetched, not counted, so
    # that a meeting with both people away is taken off once.
    away: set[tuple[Any, ...]] = set()
    for side in ("boss", "sponsor"):
        away.update(over.filter(_away(side)).values_list("pk", *fields))
    for row in away:
        ended[key(row[1:])] -= 1
    return {k: (n, ended.get(k, 0)) for k, n in planned.items()}


def attendances(event_ids: Iterable[int]) -> dict[int, Attendance]:
    """Each event's absentees and early leavers (``attendance_of`` for many events, one query)."""
    ids = set(event_ids)  # read once: a generator would be empty the second time
    absent: dict[int, set[int]] = {}
    left: dict[int, dict[int, int]] = {}
    for event_id, member_id, status, last in (
        Registration.objects.filter(event_id__in=ids)
        .filter(
            Q(status__in=AWAY) | Q(status=RegistrationStatus.LEFT_EARLY, left_after__isnull=False)
        )
        .values_list("event_id", "member_id", "status", "left_after__number")
    ):
        if status in AWAY:
            absent.setdefault(event_id, set()).add(member_id)
        else:
            left.setdefault(event_id, {})[member_id] = last
    return {
        e: Attendance(frozenset(absent.get(e, set())), left.get(e, {}))
        for e in set(absent) | set(left) | ids
    }
