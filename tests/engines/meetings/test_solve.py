"""The meetings planner: every plan obeys the rules, and small ones are optimal."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from serendip.engines.meetings import parse_problem, solve, validate
from serendip.engines.meetings.types import Problem
from tests.engines.meetings.exact_reference import best_shortfall_and_value
from tests.engines.meetings.strategies import problems

FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(problems())
def test_every_plan_obeys_every_hard_rule(problem: Problem) -> None:
    plan = solve(problem, time_limit=5, seed=1)
    assert validate(problem, plan) == []
    assert plan.stats.value <= plan.stats.upper_bound
    assert plan.stats.meetings == len(plan.meetings)


@FAST
@given(problems(max_bosses=4, max_sponsors=3))
def test_small_plans_reach_the_exact_optimum(problem: Problem) -> None:
    plan = solve(problem, time_limit=10, seed=3)
    assert (plan.stats.shortfall, plan.stats.value) == best_shortfall_and_value(problem)


@settings(max_examples=20, deadline=None)
@given(problems())
def test_the_same_seed_gives_the_same_plan(problem: Problem) -> None:
    first = solve(problem, time_limit=5, seed=7)
    again = solve(problem, time_limit=5, seed=7)
    assert first.meetings == again.meetings


def problem(**extra: object) -> Problem:
    base: dict[str, object] = {
        "rounds": [{"id": "r1"}, {"id": "r2"}, {"id": "r3"}],
        "tables": 10,
        "people": [
            {"id": "b1", "side": "boss", "min_meetings": 2},
            {"id": "b2", "side": "boss", "min_meetings": 2},
            {"id": "s1", "side": "sponsor", "capacity": 2},
            {"id": "s2", "side": "sponsor"},
        ],
    }
    return parse_problem({**base, **extra})


def test_unwished_pairs_meet_only_to_reach_a_minimum() -> None:
    plan = solve(problem(), time_limit=5)
    assert plan.stats.shortfall == 0 and plan.stats.meetings == 4
    relaxed = parse_problem(
        {
            "rounds": [{"id": "r1"}, {"id": "r2"}],
            "tables": 5,
            "people": [{"id": "b1", "side": "boss"}, {"id": "s1", "side": "sponsor"}],
        }
    )
    assert solve(relaxed, time_limit=5).meetings == ()


def test_a_declined_pair_never_meets_even_when_wished() -> None:
    plan = solve(
        problem(
            wishes=[{"from": "b1", "to": "s2", "weight": 5}],
            declines=[["s2", "b1"]],
        ),
        time_limit=5,
    )
    assert all((m.boss, m.sponsor) != ("b1", "s2") for m in plan.meetings)


def test_strangers_are_preferred_to_people_who_already_met() -> None:
    plan = solve(problem(already_met=[["b1", "s1"], ["b2", "s2"]]), time_limit=5)
    pairs = {(m.boss, m.sponsor) for m in plan.meetings}
    # Each boss needs two meetings and there are two sponsors: one old pair each is
    # unavoidable, so every stranger pair must be used.
    assert {("b1", "s2"), ("b2", "s1")} <= pairs


def test_unreachable_minimums_give_a_plan_that_says_who_is_short() -> None:
    plan = solve(
        parse_problem(
            {
                "rounds": [{"id": "r1"}],
                "tables": 1,
                "people": [
                    {"id": "b1", "side": "boss", "min_meetings": 1},
                    {"id": "b2", "side": "boss", "min_meetings": 1},
                    {"id": "s1", "side": "sponsor", "min_meetings": 1},
                ],
            }
        ),
        time_limit=5,
    )
    assert plan.stats.shortfall == 1
    assert [s.meetings for s in plan.stats.below_min] == [0]


def test_value_follows_wishes_in_both_directions() -> None:
    plan = solve(
        problem(
            wishes=[
                {"from": "b1", "to": "s1", "weight": 3},
                {"from": "s1", "to": "b1", "weight": 2},
                {"from": "b2", "to": "s2", "weight": 1},
            ]
        ),
        time_limit=5,
    )
    assert plan.stats.value == 6 == plan.stats.upper_bound


def test_a_sponsor_representative_keeps_the_same_table() -> None:
    data = {
        "rounds": [{"id": f"r{i}"} for i in range(4)],
        "tables": 6,
        "people": [{"id": f"b{i}", "side": "boss", "min_meetings": 2} for i in range(4)]
        + [{"id": "s1", "side": "sponsor", "capacity": 2}, {"id": "s2", "side": "sponsor"}],
    }
    plan = solve(parse_problem(data), time_limit=5)
    assert plan.stats.shortfall == 0
    tables: dict[str, set[int]] = {"s1": set(), "s2": set()}
    for m in plan.meetings:
        tables[m.sponsor].add(m.table)
    assert len(tables["s1"]) <= 2 and len(tables["s2"]) == 1


def test_fixed_meetings_keep_their_round_and_table() -> None:
    plan = solve(problem(fixed=[{"a": "s2", "b": "b2", "round": "r3", "table": 9}]), time_limit=5)
    assert [(m.round, m.table) for m in plan.meetings if (m.boss, m.sponsor) == ("b2", "s2")] == [
        ("r3", 9)
    ]


@pytest.mark.parametrize("seed", [0, 1])
def test_a_busy_seminar_reaches_its_bound(seed: int) -> None:
    people = [
        {"id": f"b{i}", "side": "boss", "min_meetings": 4, "max_meetings": 6} for i in range(30)
    ]
    people += [
        {
            "id": f"s{i}",
            "side": "sponsor",
            "capacity": 2,
            "min_meetings": 10,
            "unavailable": ["r0"] if i % 3 == 0 else [],
        }
        for i in range(10)
    ]
    wishes = [
        {"from": f"s{i}", "to": f"b{(i * 7 + k) % 30}", "weight": 1 + k % 3}
        for i in range(10)
        for k in range(8)
    ]
    data = {
        "rounds": [{"id": f"r{i}"} for i in range(8)],
        "tables": 16,
        "people": people,
        "wishes": wishes,
    }
    plan = solve(parse_problem(data), time_limit=10, seed=seed)
    assert validate(parse_problem(data), plan) == []
    assert plan.stats.shortfall == 0
    assert plan.stats.value == plan.stats.upper_bound
