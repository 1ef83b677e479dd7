"""The mixer: seatings obey the rules, classic instances reach their best-known rounds."""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serendip.engines.checks import ProblemError
from serendip.engines.mixer import parse_problem, solve, validate
from serendip.engines.mixer.designs import (
    DIFFERENCE_12,
    LATIN_10,
    MIRRORED_8_4,
    ROTATIONAL,
    affine_plane,
    binary_spread,
    kirkman,
    mirrored,
    orthogonal_squares,
    rotational,
    round_robin,
    transversal,
)
from serendip.engines.mixer.formats import parse_plan, plan_to_dict
from serendip.engines.mixer.measure import new_pairs_bound

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from bench.instances import dinner

# What a search may fail to avoid when the rules leave no way out; the rest holds by construction.
SOFT_FAILURES = {"repeated pair", "colleagues"}


@st.composite
def problems(draw: st.DrawFn) -> dict[str, Any]:
    tables = draw(st.lists(st.integers(2, 4), min_size=1, max_size=4))
    rounds = draw(st.integers(1, 4))
    n = draw(st.integers(1, sum(tables)))
    ids = [f"p{i}" for i in range(n)]
    people = []
    for person in ids:
        entry: dict[str, Any] = {"id": person}
        if draw(st.booleans()):
            entry["organization"] = draw(st.sampled_from(["A", "B", "C"]))
        if draw(st.booleans()):
            entry["role"] = draw(st.sampled_from(["boss", "sponsor"]))
        if draw(st.integers(0, 4)) == 0:
            entry["leaves_after"] = draw(st.integers(1, rounds))
        people.append(entry)
    pairs = [[a, b] for i, a in enumerate(ids) for b in ids[i + 1 :]]
    data: dict[str, Any] = {
        "people": people,
        "tables": tables,
        "rounds": rounds,
        "known_pairs": draw(st.lists(st.sampled_from(pairs), max_size=3)) if pairs else [],
        "rules": {
            "separate_organizations": draw(st.booleans()),
            "roles_per_table": {"sponsor": [0, 2]} if draw(st.booleans()) else {},
        },
    }
    if pairs and draw(st.booleans()):
        data["together"] = [draw(st.sampled_from(pairs))]
    stayers = [p["id"] for p in people if "leaves_after" not in p]
    if stayers and draw(st.booleans()):
        data["hosts"] = {draw(st.sampled_from(stayers)): draw(st.integers(1, len(tables)))}
    return data


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(problems())
def test_every_seating_keeps_the_structural_rules(data: dict[str, Any]) -> None:
    try:
        problem = parse_problem(data)
    except ProblemError:
        return  # refused up front, with its reason: covered by the refusal tests
    plan = solve(problem, time_limit=0.5, seed=1)
    broken = {v.rule for v in validate(problem, plan)}
    assert broken <= SOFT_FAILURES
    assert plan.stats.new_pairs <= plan.stats.new_pairs_bound
    # Round trip through the file format keeps the seating.
    assert parse_plan(plan_to_dict(plan), problem) == plan.rounds


def golfers(groups: int, size: int, rounds: int) -> dict[str, Any]:
    return {
        "people": [{"id": f"g{i}"} for i in range(groups * size)],
        "tables": [size] * groups,
        "rounds": rounds,
    }


@pytest.mark.parametrize(
    ("groups", "size", "rounds"),
    [
        (2, 2, 3),
        (3, 3, 4),
        (4, 4, 5),
        (5, 5, 6),
        (4, 2, 7),
        (5, 3, 7),
        (8, 8, 9),
        (6, 3, 6),
        # Seated from a design in a fraction of a second; bench/mixer.py runs every other one.
        (10, 3, 14),
        (10, 4, 13),
        (7, 5, 7),
        (8, 6, 8),
        (9, 7, 9),
        (10, 5, 6),
    ],
)
def test_classic_instances_reach_their_best_known_rounds_without_a_repeat(
    groups: int, size: int, rounds: int
) -> None:
    problem = parse_problem(golfers(groups, size, rounds))
    plan = solve(problem, time_limit=30, seed=0)
    assert validate(problem, plan) == []
    assert plan.stats.new_pairs == plan.stats.new_pairs_bound


def assert_no_repeat(rounds: list[list[list[int]]], tables: int, size: int) -> set[tuple[int, int]]:
    """Each round seats everyone once at ``tables`` tables of ``size``, no pair meets twice;
    returns the pairs who met."""
    met: list[tuple[int, int]] = []
    for r in rounds:
        assert len(r) == tables and all(len(t) == size for t in r)
        assert sorted(p for t in r for p in t) == list(range(tables * size))
        met += [(min(a, b), max(a, b)) for t in r for a, b in combinations(t, 2)]
    assert len(met) == len(set(met))
    return set(met)


def assert_every_pair_once(rounds: list[list[list[int]]], people: int) -> None:
    """Each round seats everyone once, and every pair meets exactly once over all rounds."""
    met: set[tuple[int, int]] = set()
    for tables in rounds:
        assert sorted(p for t in tables for p in t) == list(range(people))
        for t in tables:
            for i, a in enumerate(t):
                for b in t[i + 1 :]:
                    assert (min(a, b), max(a, b)) not in met
                    met.add((min(a, b), max(a, b)))
    assert len(met) == people * (people - 1) // 2


@pytest.mark.parametrize("order", [2, 3, 4, 5, 7, 8, 9, 16])
def test_affine_planes_meet_every_pair_exactly_once(order: int) -> None:
    assert_every_pair_once(affine_plane(order), order * order)
    assert len(round_robin(8)) == 7


@pytest.mark.parametrize("q", [7, 13, 19])
def test_kirkman_triple_systems_seat_3q_people_in_threes_for_all_rounds(q: int) -> None:
    rounds = kirkman(q)
    assert len(rounds) == (3 * q - 1) // 2
    assert all(len(t) == 3 for tables in rounds for t in tables)
    assert_every_pair_once(rounds, 3 * q)
    with pytest.raises(ValueError):
        kirkman(25)  # 25 = 6 * 4 + 1 is not prime


@pytest.mark.parametrize("tables, size", sorted(ROTATIONAL))
def test_rotational_designs_meet_every_pair_at_most_once(tables: int, size: int) -> None:
    assert_no_repeat(rotational(tables, size), tables, size)


def test_the_rotational_designs_reach_the_counting_bound_where_it_is_known_to_be_reached() -> None:
    # 10 x 3: a nearly Kirkman triple system, everyone meets 28 of 29 (each misses one);
    # 10 x 4: a resolvable (40, 4, 1) design, every pair exactly once.
    assert len(rotational(10, 3)) == 14
    met = assert_no_repeat(rotational(10, 3), 10, 3)
    assert len(met) == 30 * 29 // 2 - 15
    assert len(rotational(10, 4)) == 13
    assert_every_pair_once(rotational(10, 4), 40)


def test_binary_spreads_seat_32_people_in_fours_for_nine_rounds() -> None:
    rounds = binary_spread(5)
    assert len(rounds) == 9
    assert_no_repeat(rounds, 8, 4)
    assert len(binary_spread(4)) == 5  # a full spread: every pair of 16 people meets once
    assert_every_pair_once(binary_spread(6), 64)  # 16 tables of four for 21 rounds


def test_the_mirrored_design_seats_32_people_in_fours_for_ten_rounds() -> None:
    rounds = mirrored(MIRRORED_8_4)
    assert len(rounds) == 10
    met = assert_no_repeat(rounds, 8, 4)
    assert len(met) == 32 * 31 // 2 - 16
    assert not {(2 * i, 2 * i + 1) for i in range(16)} & met  # couples never meet


@pytest.mark.parametrize(
    "tables, size, rounds",
    [(5, 3, 7), (6, 3, 8), (6, 4, 7), (7, 3, 10), (7, 4, 9), (8, 4, 10), (16, 4, 21)],
)
def test_best_known_rounds_without_a_repeat(tables: int, size: int, rounds: int) -> None:
    problem = parse_problem(golfers(tables, size, rounds))
    plan = solve(problem, time_limit=5, seed=0)
    assert validate(problem, plan) == []
    assert plan.stats.repeated_pairs == 0 and len(plan.rounds) == rounds


def test_a_club_dinner_keeps_strangers_first_and_every_rule() -> None:
    problem = parse_problem(dinner(3, people=80, table_size=8, rounds=3))
    plan = solve(problem, time_limit=20, seed=0)
    assert validate(problem, plan) == []
    assert plan.stats.known_pairs_together == 0
    assert plan.stats.colleagues_together == 0
    assert plan.stats.role_bound_misses == 0
    assert plan.stats.new_pairs == plan.stats.new_pairs_bound


def test_a_difference_matrix_of_order_12_has_distinct_differences_between_rows() -> None:
    def minus(a: int, b: int) -> int:  # in Z_6 x Z_2, element k being (k % 6, k // 6)
        return (a % 6 - b % 6) % 6 + 6 * ((a // 6 - b // 6) % 2)

    for upper, lower in combinations(DIFFERENCE_12, 2):
        assert sorted(minus(a, b) for a, b in zip(upper, lower, strict=True)) == list(range(12))


@pytest.mark.parametrize(
    ("tables", "rounds"), [(5, 5), (8, 8), (9, 9), (11, 11), (12, 6), (16, 16)]
)
def test_transversal_designs_seat_up_to_g_per_table_without_a_repeat(
    tables: int, rounds: int
) -> None:
    for size in (2, tables - 2, tables):
        seating = transversal(tables, size)
        assert len(seating) == rounds
        assert_no_repeat(seating, tables, size)


def test_two_orthogonal_latin_squares_of_order_10_seat_ten_tables_for_four_rounds() -> None:
    first, second = LATIN_10
    cells = [(x, y) for x in range(10) for y in range(10)]
    assert len({(first[x][y], second[x][y]) for x, y in cells}) == 100  # orthogonal
    for square in LATIN_10:
        assert all(sorted(row) == list("0123456789") for row in square)
        assert all(sorted(row[y] for row in square) == list("0123456789") for y in range(10))
    for size, rounds in ((10, 4), (7, 3)):
        seating = orthogonal_squares(LATIN_10, size)
        assert len(seating) == rounds
        assert_no_repeat(seating, 10, size)


def test_the_dense_dinner_meets_every_rule_and_the_bound_on_a_design() -> None:
    # 120 people at 12 tables of 10 for 6 rotations: a quarter with colleagues present,
    # 240 known pairs, one or two of 18 sponsors at every table.
    problem = parse_problem(dinner(1, people=120, table_size=10, rounds=6))
    plan = solve(problem, time_limit=20, seed=0)
    assert validate(problem, plan) == []
    assert plan.stats.repeated_pairs == 0
    assert plan.stats.known_pairs_together == 0
    assert plan.stats.role_bound_misses == 0
    assert plan.stats.new_pairs == plan.stats.new_pairs_bound == 3240


def test_a_design_with_empty_seats_hosts_together_pairs_and_a_leaver() -> None:
    people: list[dict[str, Any]] = [{"id": f"p{i}"} for i in range(23)]
    people[4]["leaves_after"] = 2
    for i in (5, 6, 7):
        people[i]["organization"] = "Acme"
    problem = parse_problem(
        {
            "people": people,
            "tables": [5] * 5,
            "rounds": 5,
            "together": [["p2", "p3"]],
            "hosts": {"p0": 2, "p1": 5},
            "rules": {"separate_organizations": True},
        }
    )
    plan = solve(problem, time_limit=2, seed=0)
    assert validate(problem, plan) == []
    assert plan.stats.repeated_pairs == 0
    assert all("p0" in r[1] and "p1" in r[4] for r in plan.rounds)
    assert any({"p2", "p3"} <= set(table) for table in plan.rounds[0])
    assert all("p4" not in table for r in plan.rounds[2:] for table in r)


def test_together_hosts_and_leavers_are_respected() -> None:
    problem = parse_problem(
        {
            "people": [{"id": f"p{i}"} for i in range(9)] + [{"id": "late", "leaves_after": 1}],
            "tables": [4, 3, 3],
            "rounds": 3,
            "together": [["p1", "p2"], ["p2", "p3"]],
            "hosts": {"p0": 2},
        }
    )
    plan = solve(problem, time_limit=2, seed=0)
    assert validate(problem, plan) == []
    first = plan.rounds[0]
    assert any({"p1", "p2", "p3"} <= set(table) for table in first)
    assert all("p0" in rounds[1] for rounds in plan.rounds)
    assert all("late" not in table for rounds in plan.rounds[1:] for table in rounds)


def test_the_bound_counts_what_the_table_sizes_allow() -> None:
    problem = parse_problem(
        {"people": [{"id": f"p{i}"} for i in range(7)], "tables": [4, 4], "rounds": 1}
    )
    assert new_pairs_bound(problem) == 6 + 3  # 4 at one table, 3 at the other


REFUSED = [
    ({"people": [], "tables": [1], "rounds": 1}, "tables[0]: must be at least 2, got 1"),
    (
        {"people": [{"id": "a"}, {"id": "a"}], "tables": [2], "rounds": 1},
        "people: duplicate id 'a'",
    ),
    (
        {"people": [{"id": "a"}], "tables": [2], "rounds": 1, "hosts": {"a": 3}},
        "hosts.a: table 3 does not exist; there are 1",
    ),
    (
        {"people": [{"id": "a"}], "tables": [2], "rounds": 1, "known_pairs": [["a", "z"]]},
        "known_pairs[0][1]: unknown person id 'z'",
    ),
    (
        {
            "people": [{"id": x, "organization": "Acme"} for x in "abc"],
            "tables": [2, 2],
            "rounds": 1,
            "rules": {"separate_organizations": True},
        },
        "rules.separate_organizations: 'Acme' has 3 people but there are only 2 tables",
    ),
    (
        {
            "people": [{"id": "a", "organization": "Acme"}, {"id": "b", "organization": "Acme"}],
            "tables": [2, 2],
            "rounds": 1,
            "together": [["a", "b"]],
            "rules": {"separate_organizations": True},
        },
        "together: 'a' and 'b' are colleagues, and colleagues must sit apart",
    ),
    (
        {"people": [{"id": x} for x in "abc"], "tables": [2], "rounds": 1},
        "people: 3 people but only 2 seats",
    ),
    ({"people": [], "tables": [2], "rounds": 1, "colour": 1}, "colour: unknown key"),
    (
        {"people": [{"id": "a", "leaves_after": 3}], "tables": [2], "rounds": 2},
        "people[0] (a).leaves_after: 3 is after the last round 2",
    ),
]


@pytest.mark.parametrize(("data", "message"), REFUSED)
def test_impossible_rules_and_bad_input_are_refused_with_the_reason(
    data: Any, message: str
) -> None:
    with pytest.raises(ProblemError) as refused:
        parse_problem(data)
    assert str(refused.value).startswith(message)
