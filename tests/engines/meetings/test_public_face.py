"""The meetings engine's public face: structured violations and refusals, and ``evaluate``."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from serendip.engines import meetings
from serendip.engines.meetings import Meeting, ProblemError, Violation
from tests.engines.meetings.strategies import problems

PROBLEM: dict[str, Any] = {
    "rounds": [{"id": "r1"}, {"id": "r2"}],
    "tables": 2,
    "people": [
        {"id": "b1", "side": "boss", "unavailable": ["r2"]},
        {"id": "b2", "side": "boss", "max_meetings": 1},
        {"id": "s1", "side": "sponsor"},
        {"id": "s2", "side": "sponsor"},
    ],
    "wishes": [{"from": "s1", "to": "b1", "weight": 3}, {"from": "s2", "to": "b2", "weight": 2}],
    "declines": [["b2", "s1"]],
}


def test_a_violation_names_the_rule_people_round_and_table() -> None:
    problem = meetings.parse_problem(PROBLEM)
    broken = meetings.validate(
        problem,
        (
            Meeting("b1", "s1", "r2", 1),  # b1 is away in r2
            Meeting("b2", "s2", "r2", 1),  # the same table, and b2's second meeting
            Meeting("b2", "s1", "r1", 2),  # declined
        ),
    )
    assert (
        Violation(
            "unavailable",
            "b1 with s1 in r2: b1 is unavailable in that round",
            ("b1", "s1"),
            "r2",
            1,
        )
        in broken
    )
    table = next(v for v in broken if v.rule == "table")
    assert (table.people, table.round, table.table) == (("b2", "s2", "b1", "s1"), "r2", 1)
    decline = next(v for v in broken if v.rule == "decline")
    assert (decline.people, decline.round, decline.table) == (("b2", "s1"), "r1", 2)
    most = next(v for v in broken if v.rule == "max_meetings")
    assert (most.people, most.round, most.table) == (("b2",), None, None)


def test_a_refusal_names_the_person_and_the_figures() -> None:
    bad = {**PROBLEM, "people": [{"id": "b9", "side": "boss", "min_meetings": 3}]}
    with pytest.raises(ProblemError) as refused:
        meetings.parse_problem(bad)
    error = refused.value
    assert error.field == "people[0] (b9).min_meetings"
    assert (error.person, error.numbers) == ("b9", (3, 2))


def test_a_refusal_deep_in_a_person_still_names_them() -> None:
    bad = {**PROBLEM, "people": [{"id": "b9", "side": "boss", "unavailable": ["r7"]}]}
    with pytest.raises(ProblemError) as refused:
        meetings.parse_problem(bad)
    assert refused.value.person == "b9" and "unknown round id 'r7'" in str(refused.value)


def test_evaluate_proves_the_bound_of_any_plan() -> None:
    problem = meetings.parse_problem(PROBLEM)
    plan = meetings.solve(problem, time_limit=2)
    assert meetings.evaluate(problem, plan).upper_bound == plan.stats.upper_bound == 5
    empty = meetings.evaluate(problem, ())
    assert (empty.meetings, empty.value, empty.upper_bound) == (0, 0, 5)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_evaluate_agrees_with_the_planner(problem: meetings.Problem) -> None:
    plan = meetings.solve(problem, time_limit=2, seed=2)
    again = meetings.evaluate(problem, plan.meetings)
    assert (again.value, again.shortfall, again.upper_bound) == (
        plan.stats.value,
        plan.stats.shortfall,
        plan.stats.upper_bound,
    )


def test_a_plan_file_reads_back_into_the_same_plan() -> None:
    problem = meetings.parse_problem(PROBLEM)
    plan = meetings.solve(problem, time_limit=2)
    again = meetings.parse_plan(meetings.plan_to_dict(plan), problem)
    assert again.meetings == plan.meetings and again.stats.value == plan.stats.value
