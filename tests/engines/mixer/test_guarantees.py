"""What the mixer guarantees: hard rules kept when a seating keeping them exists, a bound that
no seating beats, conflicts explained, and exact re-seating that touches only what it frees."""

from __future__ import annotations

import random
from itertools import combinations
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from serendip.engines.mixer import parse_problem, solve, validate
from serendip.engines.mixer.diagnose import conflicts
from serendip.engines.mixer.exact import apply, reseat
from serendip.engines.mixer.measure import new_pairs_bound, role_misses
from serendip.engines.mixer.search import Seats
from serendip.engines.mixer.types import Problem, Violation, pair


def planted(rng: random.Random) -> tuple[dict[str, Any], list[list[list[str]]]]:
    """A problem built around a random seating that keeps every hard rule and role bound."""
    tables = [rng.randint(2, 4) for _ in range(rng.randint(2, 4))]
    people = [f"p{i}" for i in range(rng.randint(len(tables) + 1, sum(tables)))]
    host, host_table = people[0], rng.randrange(len(tables))
    seating: list[list[list[str]]] = []
    met: set[tuple[str, str]] = set()
    for _ in range(rng.randint(1, 3)):
        for _attempt in range(200):
            order = people[1:]
            rng.shuffle(order)
            round_tables: list[list[str]] = [[] for _ in tables]
            round_tables[host_table].append(host)
            free = [t for t, size in enumerate(tables) for _ in range(size - (t == host_table))]
            rng.shuffle(free)
            for person, t in zip(order, free, strict=False):
                round_tables[t].append(person)
            pairs = {pair(a, b) for table in round_tables for a, b in combinations(table, 2)}
            if not pairs & met:
                met |= pairs
                seating.append(round_tables)
                break
        else:
            break
    # Organisations: people who never share a table in the planted seating.
    organisation: dict[str, str] = {}
    for person in people[1:]:
        if rng.random() < 0.5:
            for org in sorted(set(organisation.values())):
                mates = [p for p, o in organisation.items() if o == org]
                if all(pair(person, m) not in met for m in mates):
                    organisation[person] = org
                    break
            else:
                organisation[person] = f"org{len(organisation)}"
    sponsors = set(rng.sample(people, rng.randint(0, len(people) // 2)))
    counts = [sum(p in sponsors for p in table) for r in seating for table in r if table]
    entries = []
    for person in people:
        entry: dict[str, Any] = {"id": person, "role": "sponsor" if person in sponsors else "boss"}
        if person in organisation:
            entry["organization"] = organisation[person]
        entries.append(entry)
    unmet = [[a, b] for a, b in combinations(people, 2) if pair(a, b) not in met]
    data: dict[str, Any] = {
        "people": entries,
        "tables": tables,
        "rounds": len(seating),
        "hosts": {host: host_table + 1},
        "known_pairs": rng.sample(unmet, min(len(unmet), rng.randint(0, 4))),
        "rules": {
            "separate_organizations": True,
            "roles_per_table": {"sponsor": [min(counts), max(counts)]} if counts else {},
        },
    }
    guests = [[p for p in table if p != host] for table in seating[0]]
    guests = [table for table in guests if len(table) >= 2]
    if guests:
        data["together"] = [rng.sample(rng.choice(guests), 2)]
    return data, seating


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_every_plan_keeps_the_hard_rules_when_a_seating_keeping_them_exists(
    rng: random.Random,
) -> None:
    data, seating = planted(rng)
    problem = parse_problem(data)
    planted_seating = tuple(tuple(tuple(t) for t in r) for r in seating)
    assert validate(problem, planted_seating) == []  # the planted seating is a witness
    plan = solve(problem, time_limit=1.0, seed=rng.randrange(100))
    assert validate(problem, plan) == []
    assert plan.stats.role_bound_misses == 0
    assert plan.conflicts == ()
    assert plan.stats.new_pairs <= plan.stats.new_pairs_bound


def best_new_pairs(problem: Problem, *, roles: bool) -> int:
    """The most distinct new pairs of any seating (keeping the role bounds with ``roles``,
    colleagues apart under the rule), by CP-SAT: the exact reference for the bound (the
    best seating found if the optimum is not proved in time, still a floor for the bound)."""
    model = cp_model.CpModel()
    ids = [p.id for p in problem.people]
    tables = range(len(problem.tables))
    x = {
        (r, p, t): model.new_bool_var("")
        for r in range(problem.rounds)
        for p in ids
        if problem.by_id[p].present(r)
        for t in tables
    }
    excluded = problem.known_pairs | problem.together | problem.colleagues
    new_terms = []
    for r in range(problem.rounds):
        here = [p for p in ids if problem.by_id[p].present(r)]
        for p in here:
            model.add_exactly_one(x[r, p, t] for t in tables)
        for t, size in enumerate(problem.tables):
            model.add(sum(x[r, p, t] for p in here) <= size)
            if roles:
                occupied = model.new_bool_var("")
                model.add(sum(x[r, p, t] for p in here) <= size * occupied)
                for role, low, high in problem.roles_per_table:
                    count = sum(x[r, p, t] for p in here if problem.by_id[p].role == role)
                    model.add(count >= low * occupied)
                    model.add(count <= high)
    for a, b in combinations(ids, 2):
        both = [
            (r, t)
            for r in range(problem.rounds)
            if problem.by_id[a].present(r) and problem.by_id[b].present(r)
            for t in tables
        ]
        if problem.separate_organizations and pair(a, b) in problem.colleagues:
            for r, t in both:
                model.add_bool_or([x[r, a, t].Not(), x[r, b, t].Not()])
            continue
        if pair(a, b) in excluded or not both:
            continue
        meets = []
        for r, t in both:
            m = model.new_bool_var("")
            model.add_implication(m, x[r, a, t])
            model.add_implication(m, x[r, b, t])
            meets.append(m)
        new = model.new_bool_var("")
        model.add(new <= sum(meets))
        new_terms.append(new)
    model.maximize(sum(new_terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 20
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return int(solver.objective_value)


@st.composite
def small_problems(draw: st.DrawFn) -> dict[str, Any]:
    tables = draw(st.lists(st.integers(2, 3), min_size=2, max_size=3))
    n = draw(st.integers(3, min(6, sum(tables))))
    rounds = draw(st.integers(1, 3))
    ids = [f"p{i}" for i in range(n)]
    people = []
    for person in ids:
        entry: dict[str, Any] = {"id": person}
        if draw(st.booleans()):
            entry["organization"] = draw(st.sampled_from(["A", "B"]))
        entry["role"] = draw(st.sampled_from(["boss", "boss", "sponsor"]))
        if draw(st.integers(0, 5)) == 0:
            entry["leaves_after"] = draw(st.integers(1, rounds))
        people.append(entry)
    pairs = [[a, b] for a, b in combinations(ids, 2)]
    low, high = draw(st.sampled_from([(0, 1), (0, 2), (1, 2), (1, 1)]))
    return {
        "people": people,
        "tables": tables,
        "rounds": rounds,
        "known_pairs": draw(st.lists(st.sampled_from(pairs), max_size=6, unique_by=str)),
        "rules": {
            "separate_organizations": draw(st.booleans()),
            "roles_per_table": {"sponsor": [low, high]} if draw(st.booleans()) else {},
        },
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(small_problems())
def test_the_bound_is_never_below_the_exact_optimum(data: dict[str, Any]) -> None:
    try:
        problem = parse_problem(data)
    except ValueError:
        return
    assert new_pairs_bound(problem, roles=False) >= best_new_pairs(problem, roles=False)
    try:
        with_roles = best_new_pairs(problem, roles=True)
    except AssertionError:
        return  # no seating keeps the role bounds: nothing to bound
    assert new_pairs_bound(problem) >= with_roles


def people(n: int, **extra: Any) -> list[dict[str, Any]]:
    return [{"id": f"p{i}", **extra} for i in range(n)]


def test_the_bound_counts_acquaintances_that_must_sit_together() -> None:
    # Four people who all know each other, two tables of three: two of the four share a
    # table every round, so at most 6 - 2 = 4 new pairs a round.
    clique = [[f"p{a}", f"p{b}"] for a, b in combinations(range(4), 2)]
    problem = parse_problem(
        {"people": people(6), "tables": [3, 3], "rounds": 2, "known_pairs": clique}
    )
    assert new_pairs_bound(problem) == 2 * (6 - 2)
    assert best_new_pairs(problem, roles=False) <= new_pairs_bound(problem)


def test_the_bound_counts_someone_who_knows_most_of_the_room() -> None:
    # p0 knows four of the five others: over two rounds p0 meets one stranger at most.
    known = [["p0", f"p{i}"] for i in range(1, 5)]
    problem = parse_problem(
        {"people": people(6), "tables": [3, 3], "rounds": 2, "known_pairs": known}
    )
    assert new_pairs_bound(problem) == (1 + 4 * 4 + 4) // 2  # p0: 1, p1..p4: 4 each, p5: 4
    assert best_new_pairs(problem, roles=False) <= new_pairs_bound(problem)


def test_the_bound_counts_the_role_bounds() -> None:
    # Two sponsors, at most one a table: over three rounds everyone could meet everyone
    # (15 pairs), but the two sponsors never meet.
    data = {
        "people": [
            *people(2, role="sponsor"),
            *[{"id": f"b{i}", "role": "boss"} for i in range(4)],
        ],
        "tables": [3, 3],
        "rounds": 3,
        "rules": {"roles_per_table": {"sponsor": [0, 1]}},
    }
    problem = parse_problem(data)
    assert new_pairs_bound(problem, roles=False) == 15
    assert new_pairs_bound(problem) == 14
    assert best_new_pairs(problem, roles=True) == 13  # a real bound, one above the optimum


def test_counting_explains_why_the_hard_rules_cannot_all_hold() -> None:
    hosts = parse_problem(
        {"people": people(6), "tables": [3, 3], "rounds": 2, "hosts": {"p0": 1, "p1": 1}}
    )
    (found,) = conflicts(hosts)
    assert (found.rule, found.people, found.table, found.rules, found.numbers) == (
        "hosts",
        ("p0", "p1"),
        1,
        ("hosts", "repeated pair"),
        (2,),
    )
    assert found.message == (
        "hosts and no pair twice: p0 and p1 both host table 1, so they sit together in all 2 rounds"
    )
    golfers = parse_problem({"people": people(9), "tables": [3, 3, 3], "rounds": 5})
    assert conflicts(golfers)[0].message == (
        "no pair twice: the 5 rounds seat at least 45 pairs at shared tables but only 36 "
        "pairs may meet, so at least 9 meet twice"
    )
    assert conflicts(golfers)[0].numbers == (5, 45, 36, 9)
    plan = solve(golfers, time_limit=1)
    assert plan.conflicts and plan.stats.repeated_pairs >= 9
    # Colleagues: a may sit with p0 and p1 only, but has a table-mate in each of 3 rounds.
    colleagues = parse_problem(
        {
            "people": [
                {"id": "a", "organization": "Acme"},
                {"id": "b", "organization": "Acme"},
                *people(2),
            ],
            "tables": [2, 2],
            "rounds": 3,
            "rules": {"separate_organizations": True},
        }
    )
    mates = [c for c in conflicts(colleagues) if c.rule == "table-mates"]
    assert [(c.people, c.numbers, c.rules) for c in mates] == [
        (("a",), (3, 2), ("repeated pair", "colleagues"))
    ]
    assert mates[0].message == (
        "no pair twice and colleagues apart: a has at least 3 table-mates over the rounds but "
        "only 2 people they may sit with"
    )


def test_latin_squares_say_when_a_full_room_of_squares_has_no_repeat_free_seating() -> None:
    # 36 people at 6 tables of 6 for 4 rounds need two orthogonal Latin squares of order 6:
    # none exist (proved); 100 at 10 tables of 10 for 5 rounds need three of order 10: none
    # known (open). 4 rounds of 10 need two, which exist: no conflict.
    six = parse_problem({"people": people(36), "tables": [6] * 6, "rounds": 4})
    assert [(c.rule, c.proved, c.numbers) for c in conflicts(six)] == [
        ("latin squares", True, (36, 6, 4, 2))
    ]
    ten = parse_problem({"people": people(100), "tables": [10] * 10, "rounds": 5})
    assert [(c.rule, c.proved, c.numbers) for c in conflicts(ten)] == [
        ("latin squares", False, (100, 10, 5, 3))
    ]
    four = parse_problem({"people": people(100), "tables": [10] * 10, "rounds": 4})
    assert conflicts(four) == ()
    # One seat empty: the squares say nothing.
    fewer = parse_problem({"people": people(99), "tables": [10] * 10, "rounds": 5})
    assert conflicts(fewer) == ()


def test_an_exact_search_proves_a_small_problem_infeasible() -> None:
    # Two hosts of tables of two and two guests: each host needs a new guest every round,
    # and there are two guests for three rounds. The counts allow it (hosts of different
    # tables never meet, which counting does not see); the exact search proves it cannot.
    problem = parse_problem(
        {"people": people(4), "tables": [2, 2], "rounds": 3, "hosts": {"p0": 1, "p1": 2}}
    )
    assert conflicts(problem) == ()
    plan = solve(problem, time_limit=5)
    assert plan.stats.repeated_pairs > 0
    assert [c.rule for c in plan.conflicts] == ["exact"]
    assert "an exact search (CP-SAT) proves" in plan.conflicts[0].message


def test_exact_re_seating_moves_only_the_people_it_frees() -> None:
    problem = parse_problem({"people": people(12), "tables": [3] * 4, "rounds": 3})
    seats = Seats(problem)
    for r in range(3):
        for i in range(12):
            seats.sit(r, i, i // 3)  # the same tables every round: 24 repeats
    before = seats.table_of.copy()
    answer = reseat(seats, {1: [0, 1, 2, 3]}, seconds=5)
    assert answer.proved
    apply(seats, answer)
    assert (seats.table_of[[0, 2]] == before[[0, 2]]).all()
    # Round 2 re-seated alone cannot undo round 3's repeats, but loses round 2's.
    assert seats.met.max() == 2


def test_violations_say_who_where_and_when() -> None:
    problem = parse_problem(
        {
            "people": [
                {"id": "a", "organization": "Acme"},
                {"id": "b", "organization": "Acme"},
                *people(2),
            ],
            "tables": [2, 2],
            "rounds": 2,
            "rules": {"separate_organizations": True},
        }
    )
    broken = validate(problem, ((("a", "b"), ("p0", "p1")), (("a", "b"), ("p0", "p1"))))
    first = broken[0]
    assert isinstance(first, Violation)
    assert (first.rule, first.people, first.round, first.table) == ("colleagues", ("a", "b"), 1, 1)
    repeated = [v for v in broken if v.rule == "repeated pair"]
    assert [(v.people, v.round) for v in repeated] == [(("a", "b"), 2), (("p0", "p1"), 2)]
    assert str(repeated[0]) == "repeated pair: a and b sit together in 2 rounds (1, 2)"


@pytest.mark.parametrize(
    ("tables", "size", "rounds"), [(6, 5, 6), (8, 3, 11), (9, 3, 13), (10, 3, 13)]
)
def test_designs_seat_more_golfer_instances_without_a_repeat(
    tables: int, size: int, rounds: int
) -> None:
    problem = parse_problem(
        {"people": people(tables * size), "tables": [size] * tables, "rounds": rounds}
    )
    plan = solve(problem, time_limit=10)
    assert validate(problem, plan) == []
    assert plan.stats.new_pairs == plan.stats.new_pairs_bound


def test_a_plan_missing_role_bounds_is_measured_against_every_seating() -> None:
    data = {
        "people": people(4, role="sponsor"),
        "tables": [2, 2],
        "rounds": 1,
        "rules": {"roles_per_table": {"sponsor": [0, 1]}},
    }
    problem = parse_problem(data)
    assert role_misses(problem, ("p0", "p1")) == 1
    plan = solve(problem, time_limit=1)
    assert plan.stats.role_bound_misses == 2
    assert plan.stats.new_pairs == 2 == plan.stats.new_pairs_bound
