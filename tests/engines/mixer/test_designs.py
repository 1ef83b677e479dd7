"""The mixer's stored designs: 9 tables of 4 for 11 rounds, a resolvable 4-GDD of type 3^12."""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path

import pytest

from serendip.engines.mixer import parse_problem, solve, validate
from serendip.engines.mixer.designs import (
    ROTATIONAL,
    STARTER_BLOCKS,
    design_for,
    rotational,
    starter_rounds,
    transversal_50,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from bench.golfer_9_4 import search


def test_nine_tables_of_four_seat_eleven_rounds_with_only_the_groups_never_meeting() -> None:
    rounds = rotational(9, 4)
    assert len(rounds) == 11
    met: list[tuple[int, int]] = []
    for tables in rounds:
        assert len(tables) == 9
        assert all(len(table) == 4 for table in tables)
        assert sorted(p for table in tables for p in table) == list(range(36))
        met += [pair for table in tables for pair in combinations(sorted(table), 2)]
    assert len(met) == len(set(met))  # no pair meets twice
    # Person (x, level) is level * 11 + x; the three left in place are 33, 34, 35.
    groups = [[x, 11 + x, 22 + x] for x in range(11)] + [[33, 34, 35]]
    never = {pair for group in groups for pair in combinations(group, 2)}
    assert set(combinations(range(36), 2)) - set(met) == never


def test_the_engine_seats_nine_tables_of_four_from_the_design_up_to_eleven_rounds() -> None:
    tables = (4,) * 9
    assert design_for(tables, 36, 11) == rotational(9, 4)
    assert design_for(tables, 36, 10) == rotational(9, 4)[:10]
    assert design_for(tables, 36, 12) is None  # 11 is the counting bound
    people = [{"id": f"g{i}"} for i in range(36)]
    problem = parse_problem({"people": people, "tables": list(tables), "rounds": 11})
    plan = solve(problem, time_limit=5, seed=0)
    assert validate(problem, plan) == []
    assert plan.stats.repeated_pairs == 0 and len(plan.rounds) == 11


def test_the_stored_base_round_is_the_first_the_search_finds() -> None:
    order, base_rounds, fixed_rounds = ROTATIONAL[(9, 4)]
    assert (order, fixed_rounds) == (11, [])
    assert search(stop_at_first=True) == base_rounds


def met_pairs(rounds: list[list[list[int]]], tables: int, size: int) -> set[tuple[int, int]]:
    """The pairs who share a table; fails unless every round seats everyone once at
    ``tables`` tables of ``size`` and no pair meets twice."""
    met: list[tuple[int, int]] = []
    for round_tables in rounds:
        assert len(round_tables) == tables
        assert all(len(table) == size for table in round_tables)
        assert sorted(p for table in round_tables for p in table) == list(range(tables * size))
        met += [pair for table in round_tables for pair in combinations(sorted(table), 2)]
    assert len(met) == len(set(met))  # no pair meets twice
    return set(met)


@pytest.mark.parametrize(("size", "rounds"), [(6, 7), (7, 7), (8, 5), (9, 5)])
def test_ten_tables_of_six_to_nine_seat_the_starter_blocks_rounds_without_a_repeat(
    size: int, rounds: int
) -> None:
    seated = starter_rounds(10, size)
    assert len(seated) == len(STARTER_BLOCKS[(10, size)]) == rounds
    assert len(met_pairs(seated, 10, size)) == rounds * 10 * size * (size - 1) // 2
    tables = (size,) * 10
    assert design_for(tables, 10 * size, rounds) == seated
    assert design_for(tables, 10 * size, 2) == seated[:2]


def test_ten_tables_of_five_seat_ten_rounds_one_more_than_the_paper() -> None:
    seated = transversal_50()
    met = met_pairs(seated, 10, 5)
    assert len(seated) == 10 and len(met) == 10 * 10 * 10
    # A hole person (10j + 8 or 10j + 9) meets the 32 people of the other groups outside
    # the holes in the first eight rounds, then the four at their hole table and the four
    # of their group's half: never the other hole people of the other groups.
    hole = 18
    mates = {b if a == hole else a for a, b in met if hole in (a, b)}
    assert len(mates) == 40
    assert not mates & {10 * j + e for j in (0, 2, 3, 4) for e in (9,)}
    tables = (5,) * 10
    assert design_for(tables, 50, 10) == seated
    assert design_for(tables, 50, 6) == seated[:6]
    assert design_for(tables, 50, 11) is None
    people = [{"id": f"g{i}"} for i in range(50)]
    problem = parse_problem({"people": people, "tables": list(tables), "rounds": 10})
    plan = solve(problem, time_limit=5, seed=0)
    assert validate(problem, plan) == []
    assert plan.stats.repeated_pairs == 0 and len(plan.rounds) == 10
