"""The bound on new pairs from two rounds at a time is never below what a seating reaches."""

from __future__ import annotations

import sys
from itertools import combinations, product
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from serendip.engines.mixer import parse_problem
from serendip.engines.mixer.measure import _fits, new_pairs_bound
from serendip.engines.mixer.types import Problem, pair

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from bench.social_graphs import graph_dinner


def _most_new_pairs(problem: Problem) -> int:
    """The most distinct new pairs of any seating of everyone in every round, by enumeration."""
    ids = [p.id for p in problem.people]
    excluded = problem.known_pairs | problem.colleagues | problem.together
    tables = problem.tables
    layouts = []
    for choice in product(range(len(tables)), repeat=len(ids)):
        if all(choice.count(t) <= size for t, size in enumerate(tables)):
            seats = list(zip(ids, choice, strict=True))
            layouts.append({pair(a, b) for (a, ta), (b, tb) in combinations(seats, 2) if ta == tb})
    best = 0
    for rounds in product(layouts, repeat=problem.rounds):
        met = set().union(*rounds)
        best = max(best, len(met - excluded))
    return best


def test_two_rounds_of_fullest_tables_need_a_matrix_with_those_sums() -> None:
    assert _fits([3, 3, 1], [3, 2, 2])
    assert not _fits([3, 3, 1], [3, 3, 1])  # two empty seats at one table twice
    assert not _fits([6, 6, 6, 6, 6, 4], [6, 6, 6, 6, 6, 4])
    assert _fits([6, 6, 6, 6, 6, 4], [6, 6, 6, 6, 5, 5])
    assert _fits([4, 4, 4, 4], [4, 4, 4, 4])  # full tables: any Latin square


def test_seven_people_at_three_tables_of_three_meet_at_most_eleven_in_two_rounds() -> None:
    """Tables (3, 3, 1) seat 6 pairs a round, 12 in two, but only with a pair seated twice."""
    people = [{"id": f"p{i}"} for i in range(7)]
    problem = parse_problem({"people": people, "tables": [3] * 3, "rounds": 2})
    assert new_pairs_bound(problem) == 11
    assert _most_new_pairs(problem) == 11


def test_the_karate_dinner_seats_at_most_241_new_pairs() -> None:
    problem = parse_problem(graph_dinner("karate club", copies=1, table_size=6, rounds=3))
    assert new_pairs_bound(problem) == 241


@st.composite
def small_problems(draw: st.DrawFn) -> dict[str, Any]:
    tables = draw(st.integers(2, 3))
    size = draw(st.integers(2, 3))
    rounds = draw(st.integers(2, 3))
    n = draw(st.integers(2, min(tables * size, 6 if rounds == 2 else 4)))
    ids = [f"p{i}" for i in range(n)]
    pairs = [[a, b] for i, a in enumerate(ids) for b in ids[i + 1 :]]
    return {
        "people": [{"id": person} for person in ids],
        "tables": [size] * tables,
        "rounds": rounds,
        "known_pairs": draw(st.lists(st.sampled_from(pairs), max_size=3, unique_by=tuple)),
    }


@settings(deadline=None, max_examples=40)
@given(small_problems())
def test_no_seating_of_a_small_dinner_beats_the_bound(data: dict[str, Any]) -> None:
    problem = parse_problem(data)
    assert _most_new_pairs(problem) <= new_pairs_bound(problem, roles=False)
