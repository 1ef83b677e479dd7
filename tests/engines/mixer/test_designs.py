"""The mixer's stored designs: 9 tables of 4 for 11 rounds, a resolvable 4-GDD of type 3^12."""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path

from serendip.engines.mixer import parse_problem, solve, validate
from serendip.engines.mixer.designs import ROTATIONAL, design_for, rotational

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
