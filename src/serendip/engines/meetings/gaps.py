"""Fewer idle gaps: move meetings to rounds that make each person's day more compact."""

from __future__ import annotations

import time

from serendip.engines.meetings.timetable import Timetable
from serendip.engines.meetings.types import Pair


def _gaps(table: Timetable, person: str, rounds: list[int]) -> int:
    """Idle available rounds between the person's first and last busy round."""
    if not rounds:
        return 0
    first, last = min(rounds), max(rounds)
    busy = len(set(rounds))
    free = sum(1 for r in range(first, last + 1) if table.available[person][r])
    return free - busy


def _busy_rounds(table: Timetable, person: str) -> list[int]:
    return [table.round_of[p] for p in table.by_person[person]]


def reduce_gaps(table: Timetable, *, deadline: float) -> int:
    """Move single meetings while total idle gaps decrease; returns the gaps removed."""
    removed = 0
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for pair in sorted(table.round_of):
            if pair in table.pinned:
                continue
            if time.perf_counter() >= deadline:
                break
            removed_here = _best_move(table, pair)
            if removed_here:
                removed += removed_here
                improved = True
    return removed


def _best_move(table: Timetable, pair: Pair) -> int:
    """Move the meeting to the round that removes the most gaps; returns how many it removed."""
    boss, sponsor = pair
    current = table.round_of[pair]
    boss_rounds, sponsor_rounds = _busy_rounds(table, boss), _busy_rounds(table, sponsor)
    before = _gaps(table, boss, boss_rounds) + _gaps(table, sponsor, sponsor_rounds)
    if before == 0:
        return 0
    boss_rounds.remove(current)
    sponsor_rounds.remove(current)
    lo = min(boss_rounds + sponsor_rounds + [current]) - 1
    hi = max(boss_rounds + sponsor_rounds + [current]) + 1
    table.remove(pair)
    best, best_round = 0, current
    for r in table.open_rounds:
        if r == current or r < lo or r > hi or not table.fits(pair, r):
            continue
        after = _gaps(table, boss, [*boss_rounds, r]) + _gaps(table, sponsor, [*sponsor_rounds, r])
        if before - after > best:
            best, best_round = before - after, r
    table.place(pair, best_round)
    return best
