"""Filling free slots after scheduling: first whoever is below their minimum, then value."""

from __future__ import annotations

from collections.abc import Callable

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


def eject_for_minimums(table: Timetable) -> int:
    """Lift people below their minimum by taking the slot of a meeting nobody needs.

    When the rounds are full, ``fill`` finds no free slot for someone who is one
    meeting short. Here a short person's new meeting takes the place of a meeting
    in the same round whose two people are both above their minimum (the partner's
    own meeting in that round, or else the least valuable such meeting at a full
    round); the displaced meeting is placed elsewhere if it fits, dropped if not.
    Nobody ends below their minimum because of it. Returns how many were lifted.
    """
    problem = table.problem
    minimum = {p.id: p.min_meetings for p in problem.people}
    values = problem.pair_values()
    pool = candidates(problem, open_rounds=table.open_rounds, exclude=set(table.round_of))
    options: dict[str, list[tuple[int, int, Pair]]] = {}
    for k in range(len(pool.value)):
        pair = pool.pair(k)
        entry = (int(pool.penalty[k]), -int(pool.value[k]), pair)
        for person in pair:
            options.setdefault(person, []).append(entry)

    def spare(pair: Pair) -> bool:
        return pair not in table.pinned and all(table.total[p] > minimum[p] for p in pair)

    lifted = 0
    for person in sorted(minimum, key=lambda p: (table.total[p] - minimum[p], p)):
        for _penalty, _value, pair in sorted(options.get(person, [])):
            if table.total[person] >= minimum[person]:
                break
            if pair in table.round_of or table.total[person] >= table.maximum[person]:
                continue
            if _swap_in(table, pair, person, spare, values):
                lifted += 1
    return lifted


def _swap_in(
    table: Timetable, pair: Pair, short: str, spare: Callable[[Pair], bool], values: dict[Pair, int]
) -> bool:
    """Place ``pair`` in some open round by displacing one spare meeting; True if placed."""
    partner = pair[1] if pair[0] == short else pair[0]
    for r in table.open_rounds:
        if not (table.available[short][r] and table.available[partner][r]):
            continue
        if table.load[short][r] >= table.capacity[short]:
            continue
        # The partner's own meeting in this round frees their seat and a table at once.
        victims = [p for p in table.partners_in(partner, r) if spare(p)]
        if not victims and table.load[partner][r] < table.capacity[partner]:
            if table.total[partner] >= table.maximum[partner]:
                continue
            victims = sorted(
                (p for p in table.by_round[r] if spare(p)), key=lambda p: (values.get(p, 0), p)
            )[:1]
        if not victims and not table.fits(pair, r):
            continue
        displaced = victims[0] if victims else None
        if displaced is not None:
            table.remove(displaced)
        if table.fits(pair, r) and table.has_room(pair):
            table.place(pair, r)
            if displaced is not None and table.has_room(displaced):
                table.place_with_moves(displaced)
            return True
        if displaced is not None:
            table.place(displaced, r)
    return False
