"""The search over a Latin square (three rounds at g tables of g): where it applies, that it
never seats a pair twice, and that plans keep the hard rules when a seating keeping them exists."""

from __future__ import annotations

import random
import time
from itertools import combinations
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serendip.engines.mixer import latin, parse_problem, solve, validate
from serendip.engines.mixer.measure import new_pairs_bound
from serendip.engines.mixer.search import Seats
from serendip.engines.mixer.types import pair


def planted(rng: random.Random) -> tuple[dict[str, Any], list[list[list[str]]]]:
    """A room of g tables of g over three rounds, fewer empty seats than tables, built around a
    seating over a random Latin square that keeps every hard rule and role bound: people who
    never meet in it may be colleagues, sponsors are counted per table, known pairs are drawn
    among those who never meet."""
    g = rng.randint(2, 6)
    n = rng.randint(g * (g - 1) + 1, g * g)
    people = [f"p{i}" for i in range(n)]
    # A Latin square with its rows, columns and symbols relabelled; the first n cells held.
    rows, columns, symbols = (rng.sample(range(g), g) for _ in range(3))
    cells = [(rows[r], columns[c], symbols[(r + c) % g]) for r in range(g) for c in range(g)]
    rng.shuffle(cells)
    held = dict(zip(people, cells, strict=False))
    seating = [[[p for p in people if held[p][k] == t] for t in range(g)] for k in range(3)]
    met = {pair(a, b) for tables in seating for table in tables for a, b in combinations(table, 2)}
    organisation: dict[str, str] = {}
    for person in people:
        if rng.random() < 0.6:
            for org in sorted(set(organisation.values())):
                mates = [p for p, o in organisation.items() if o == org]
                if all(pair(person, m) not in met for m in mates):
                    organisation[person] = org
                    break
            else:
                organisation[person] = f"org{len(organisation)}"
    sponsors = set(rng.sample(people, rng.randint(0, n // 2)))
    counts = [sum(p in sponsors for p in table) for tables in seating for table in tables]
    entries = []
    for person in people:
        entry: dict[str, Any] = {"id": person, "role": "sponsor" if person in sponsors else "boss"}
        if person in organisation:
            entry["organization"] = organisation[person]
        entries.append(entry)
    unmet = [[a, b] for a, b in combinations(people, 2) if pair(a, b) not in met]
    data: dict[str, Any] = {
        "people": entries,
        "tables": [g] * g,
        "rounds": 3,
        "known_pairs": rng.sample(unmet, min(len(unmet), rng.randint(0, 6))),
        "rules": {
            "separate_organizations": True,
            "roles_per_table": {"sponsor": [min(counts), max(counts)]},
        },
    }
    return data, seating


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_the_search_seats_everyone_once_a_round_and_no_pair_twice(rng: random.Random) -> None:
    data, _seating = planted(rng)
    problem = parse_problem(data)
    assert latin.applies(problem)
    seats = Seats(problem)
    started = time.perf_counter()
    seating = latin.search(seats, floor=-new_pairs_bound(problem), deadline=started + 0.05, rng=rng)
    g = len(problem.tables)
    assert seating.shape == (3, len(problem.people))
    assert ((seating >= 0) & (seating < g)).all()
    for r in range(3):
        assert max(list(seating[r]).count(t) for t in range(g)) <= g
    met = sum((seating[r][:, None] == seating[r][None, :]).astype(int) for r in range(3))
    assert met[~np.eye(len(problem.people), dtype=bool)].max() <= 1


def random_square(rng: random.Random, g: int) -> list[list[int]]:
    """A Latin square of order g: the cyclic one with its rows, columns and symbols relabelled,
    then intercalates (2 x 2 subsquares) switched at random, which moves it across classes."""
    rows, columns, symbols = (rng.sample(range(g), g) for _ in range(3))
    square = [[symbols[(rows[r] + columns[c]) % g] for c in range(g)] for r in range(g)]
    for _ in range(4 * g):
        r1, r2, c1 = rng.randrange(g), rng.randrange(g), rng.randrange(g)
        c2 = square[r1].index(square[r2][c1])
        if r1 != r2 and square[r2][c2] == square[r1][c1]:
            square[r1][c1], square[r1][c2] = square[r1][c2], square[r1][c1]
            square[r2][c1], square[r2][c2] = square[r2][c2], square[r2][c1]
    return square


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_the_search_over_any_latin_square_meets_nobody_twice(rng: random.Random) -> None:
    data, _seating = planted(rng)
    problem = parse_problem(data)
    g = len(problem.tables)
    square = random_square(rng, g)
    assert all(sorted(row) == list(range(g)) for row in square)
    assert all(sorted(column) == list(range(g)) for column in zip(*square, strict=True))
    seats = Seats(problem)
    seating = latin.search(
        seats,
        floor=-new_pairs_bound(problem),
        deadline=time.perf_counter() + 0.05,
        rng=rng,
        square=square,
    )
    met = sum((seating[r][:, None] == seating[r][None, :]).astype(int) for r in range(3))
    assert met[~np.eye(len(problem.people), dtype=bool)].max() <= 1
    for r in range(3):
        assert max(list(seating[r]).count(t) for t in range(g)) <= g


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_plans_over_a_latin_square_keep_the_hard_rules_when_a_seating_keeping_them_exists(
    rng: random.Random,
) -> None:
    data, seating = planted(rng)
    problem = parse_problem(data)
    witness = tuple(tuple(tuple(table) for table in tables) for tables in seating)
    assert validate(problem, witness) == []  # the planted seating keeps every rule
    plan = solve(problem, time_limit=1.0, seed=rng.randrange(100))
    assert validate(problem, plan) == []
    assert plan.stats.role_bound_misses == 0
    assert plan.conflicts == ()
    assert plan.stats.new_pairs <= plan.stats.new_pairs_bound


def test_the_search_applies_only_to_three_full_rounds_at_g_tables_of_g() -> None:
    people = [{"id": f"p{i}"} for i in range(34)]
    room = {"people": people, "tables": [6] * 6, "rounds": 3}
    assert latin.applies(parse_problem(room))
    assert not latin.applies(parse_problem({**room, "rounds": 4}))
    assert not latin.applies(parse_problem({**room, "tables": [7] * 5}))
    # Six empty seats at six tables: a table could be left empty.
    assert not latin.applies(parse_problem({**room, "people": people[:30]}))
    assert not latin.applies(parse_problem({**room, "hosts": {"p0": 1}}))
    assert not latin.applies(parse_problem({**room, "together": [["p0", "p1"]]}))
    leaver = [{"id": "p0", "leaves_after": 2}, *people[1:]]
    assert not latin.applies(parse_problem({**room, "people": leaver}))
    # Eleven tables of eleven over three rounds: each meets 30 of 120, not dense.
    big = {"people": [{"id": f"p{i}"} for i in range(121)], "tables": [11] * 11, "rounds": 3}
    assert not latin.applies(parse_problem(big))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_the_walk_prices_every_exchange_as_the_seating_it_leads_to_costs(
    rng: random.Random,
) -> None:
    data, _seating = planted(rng)
    seats = Seats(parse_problem(data))
    g = len(seats.sizes)
    grid = latin._Grid(random_square(rng, g))
    walk = latin._Walk(seats, grid, np.random.default_rng(rng.randrange(2**32)))
    walk.start(walk.draws.permutation(g * g))

    def cost_of(holder: np.ndarray) -> float:
        """The cost of a holding, computed afresh."""
        fresh = latin._Walk(seats, grid, np.random.default_rng(0))
        fresh.start(holder.copy())
        return fresh.cost

    for step in range(1, 60):
        delta = walk.deltas().copy()
        a, b = rng.randrange(g * g), rng.randrange(g * g)
        exchanged = walk.holder.copy()
        exchanged[a], exchanged[b] = exchanged[b], exchanged[a]
        if a != b:
            assert walk.cost + delta[a, b] == cost_of(exchanged)
        # Half the steps may take tabu exchanges (any beats a best of +inf).
        walk.step(step, np.inf if step % 2 else -np.inf)
        assert walk.cost == cost_of(walk.holder)
