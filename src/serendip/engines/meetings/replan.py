"""Re-planning on the day: keep the past, keep what still works, refill what was freed."""

from __future__ import annotations

import time
from dataclasses import replace

from serendip.engines.checks import ProblemError
from serendip.engines.meetings.fill import eject_for_minimums, fill
from serendip.engines.meetings.formats import check_fixed
from serendip.engines.meetings.gaps import reduce_gaps
from serendip.engines.meetings.solve import plan_of, relax
from serendip.engines.meetings.timetable import Timetable
from serendip.engines.meetings.types import Changes, Pair, Plan, Problem


def apply_changes(problem: Problem, changes: Changes, *, from_round: str) -> Problem:
    """The problem as it stands after the changes: new absences, declines and fixed meetings.

    Raises ProblemError when a new fixed meeting breaks a rule of the changed problem.
    """
    index = problem.round_ids.index(from_round)
    away: dict[str, set[str]] = {p.id: set(p.unavailable) for p in problem.people}
    for person_id in changes.absent:
        away[person_id] |= set(problem.round_ids[index:])
    for person_id, rounds in changes.unavailable:
        # The past happened: only rounds from ``from_round`` on can become unavailable.
        away[person_id] |= {r for r in rounds if problem.round_ids.index(r) >= index}
    people = tuple(replace(p, unavailable=frozenset(away[p.id])) for p in problem.people)
    for f in changes.fixed:
        if problem.round_ids.index(f.round) < index:
            raise ProblemError(
                "fixed",
                f"{f.boss} with {f.sponsor} is fixed in {f.round}, before {from_round}",
                person=f.boss,
            )
    declines = problem.declines | changes.declines
    # A fixed meeting whose boss or sponsor is now away, or that is now declined, is cancelled.
    still_fixed = tuple(
        f
        for f in problem.fixed
        if problem.round_ids.index(f.round) < index
        or (
            f.round not in away[f.boss]
            and f.round not in away[f.sponsor]
            and (f.boss, f.sponsor) not in declines
        )
    )
    changed = replace(problem, people=people, declines=declines, fixed=still_fixed + changes.fixed)
    check_fixed(changed)
    return changed


def replan(
    problem: Problem,
    plan: Plan,
    changes: Changes,
    *,
    from_round: str,
    time_limit: float = 5.0,
    seed: int = 0,
) -> tuple[Problem, Plan]:
    """The changed problem and a new plan that equals ``plan`` before ``from_round``.

    Meetings from ``from_round`` on stay in their round and at their table when
    they still obey every rule; the freed slots are refilled for minimums first,
    then value. ``stats.moved`` counts the meetings added, dropped or moved.
    """
    started = time.perf_counter()
    if from_round not in problem.round_ids:
        raise ProblemError("from_round", f"unknown round id {from_round!r}")
    changed = apply_changes(problem, changes, from_round=from_round)
    start = problem.round_ids.index(from_round)
    table = Timetable(changed, open_rounds=range(start, len(problem.rounds)))
    rounds = {r: i for i, r in enumerate(problem.round_ids)}
    new_fixed = {(f.boss, f.sponsor): f for f in changes.fixed}
    # The past and the old fixed meetings are pinned; later meetings are kept where they still fit.
    past = [m for m in plan.meetings if rounds[m.round] < start]
    for m in past:
        table.place((m.boss, m.sponsor), rounds[m.round], pinned=True)
    for f in changes.fixed:
        pair = (f.boss, f.sponsor)
        if pair in table.round_of:
            raise ProblemError(
                "fixed",
                f"{f.boss} with {f.sponsor} already met in "
                f"{problem.round_ids[table.round_of[pair]]}",
                person=f.boss,
            )
    later = [
        m
        for m in plan.meetings
        if rounds[m.round] >= start and (m.boss, m.sponsor) not in new_fixed
    ]
    # Fixed meetings go in first; a kept meeting that is in their way is re-planned.
    for f in changed.fixed:
        pair = (f.boss, f.sponsor)
        if rounds[f.round] >= start and pair not in table.round_of:
            table.place(pair, rounds[f.round], pinned=True)
    kept: dict[tuple[Pair, int], int] = {}
    for m in later:
        pair, r = (m.boss, m.sponsor), rounds[m.round]
        if pair not in changed.declines and table.fits(pair, r) and table.has_room(pair):
            table.place(pair, r)
            kept[(pair, r)] = m.table
    for m in past:
        kept[((m.boss, m.sponsor), rounds[m.round])] = m.table
    _, result = relax(_pinned_only(table))
    fill(table)
    if eject_for_minimums(table):
        fill(table)
    reduce_gaps_of_new(table, kept, deadline=started + time_limit)
    new_plan = plan_of(table, result, started, kept=kept)
    before = {(m.boss, m.sponsor, m.round, m.table) for m in plan.meetings}
    after = {(m.boss, m.sponsor, m.round, m.table) for m in new_plan.meetings}
    moved = len(after - before)  # new or moved meetings
    moved += len(
        {(b, s) for b, s, _r, _t in before - after}
        - {(m.boss, m.sponsor) for m in new_plan.meetings}
    )
    return changed, replace(new_plan, stats=replace(new_plan.stats, moved=moved))


def _pinned_only(table: Timetable) -> Timetable:
    """A copy of the timetable holding only its pinned meetings, for the bound."""
    copy = Timetable(table.problem, open_rounds=table.open_rounds)
    for pair in table.pinned:
        copy.place(pair, table.round_of[pair], pinned=True)
    return copy


def reduce_gaps_of_new(
    table: Timetable, kept: dict[tuple[Pair, int], int], *, deadline: float
) -> None:
    """Compact the day by moving only meetings the re-plan added, never the ones kept."""
    frozen = {pair for pair, _r in kept if pair in table.round_of and pair not in table.pinned}
    table.pinned |= frozen
    reduce_gaps(table, deadline=deadline)
    table.pinned -= frozen
