"""Numbering tables: a sponsor's representatives keep their tables and the bosses move."""

from __future__ import annotations

from collections import defaultdict

from serendip.engines.meetings.timetable import Timetable
from serendip.engines.meetings.types import Meeting, Pair, Side


def assign_tables(
    table: Timetable, *, kept: dict[tuple[Pair, int], int] | None = None
) -> list[Meeting]:
    """Give every meeting a table; fixed tables first, then each sponsor's home tables."""
    problem = table.problem
    fixed = {
        ((f.boss, f.sponsor), problem.round_ids.index(f.round)): f.table
        for f in problem.fixed
        if f.table is not None
    }
    # Fixed tables are rules, kept tables (a re-plan's) only wishes: fixed ones go first.
    wanted_tables = [fixed, kept or {}]
    # Home tables: each sponsor representative gets one, in the order of the problem,
    # as far as the room has tables; the others take whatever is free.
    home: dict[str, list[int]] = {}
    next_table = 1
    for person in problem.people:
        if person.side == Side.SPONSOR and next_table + person.capacity - 1 <= problem.tables:
            home[person.id] = list(range(next_table, next_table + person.capacity))
            next_table += person.capacity
    by_round: dict[int, list[Pair]] = defaultdict(list)
    for pair, r in table.round_of.items():
        by_round[r].append(pair)
    meetings = []
    for r, pairs in sorted(by_round.items()):
        taken: dict[int, Pair] = {}
        waiting = sorted(pairs)
        for wanted in wanted_tables:
            unseated = []
            for pair in waiting:
                spot = wanted.get((pair, r))
                if spot is not None and spot not in taken:
                    taken[spot] = pair
                else:
                    unseated.append(pair)
            waiting = unseated
        floating = []
        for pair in waiting:
            spot = next((t for t in home.get(pair[1], []) if t not in taken), None)
            if spot is None:
                floating.append(pair)
            else:
                taken[spot] = pair
        free = (t for t in range(1, problem.tables + 1) if t not in taken)
        for pair in floating:
            taken[next(free)] = pair
        round_id = problem.round_ids[r]
        meetings += [Meeting(p[0], p[1], round_id, t) for t, p in sorted(taken.items())]
    return meetings
