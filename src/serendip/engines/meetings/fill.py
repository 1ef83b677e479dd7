"""Filling free slots after scheduling: first whoever is below their minimum, then value."""

from __future__ import annotations

from serendip.engines.meetings.select import candidates
from serendip.engines.meetings.timetable import Timetable
from serendip.engines.meetings.types import Pair


def fill(table: Timetable) -> int:
    """Add meetings in free slots where they reduce shortfall or add value; returns how many."""
    problem = table.problem
    pool = candidates(problem, open_rounds=table.open_rounds, exclude=set(table.round_of))
    minimum = {p.id: p.min_meetings for p in problem.people}

    def short(person: str) -> bool:
        return table.total[person] < minimum[person]

    scored: list[tuple[int, int, int, Pair]] = []
    for k in range(len(pool.value)):
        pair = pool.pair(k)
        helps = short(pair[0]) + short(pair[1])
        if helps or pool.value[k] > 0:
            scored.append((-helps, -int(pool.value[k]), int(pool.penalty[k]), pair))
    scored.sort()
    added = 0
    for _helps, minus_value, _penalty, pair in scored:
        if pair in table.round_of or not table.has_room(pair):
            continue
        # Re-check: an earlier addition may have lifted this pair's people to their minimum.
        if minus_value == 0 and not (short(pair[0]) or short(pair[1])):
            continue
        if table.place_with_moves(pair):
            added += 1
    return added
