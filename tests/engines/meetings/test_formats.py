"""Bad input is refused with one message naming the field and the reason."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from serendip.engines.checks import ProblemError
from serendip.engines.meetings.formats import (
    parse_changes,
    parse_problem,
    problem_to_dict,
)

GOOD: dict[str, Any] = {
    "rounds": [
        {"id": "r1", "start": "2027-03-10T09:00:00+01:00", "minutes": 7},
        {"id": "r2"},
        {"id": "r3"},
    ],
    "tables": 3,
    "people": [
        {"id": "b1", "side": "boss", "min_meetings": 1, "max_meetings": 2, "unavailable": ["r1"]},
        {"id": "b2", "side": "boss"},
        {"id": "s1", "side": "sponsor", "capacity": 2},
        {"id": "s2", "side": "sponsor"},
    ],
    "wishes": [{"from": "s1", "to": "b1", "weight": 5}],
    "declines": [["b2", "s2"]],
    "fixed": [{"a": "b1", "b": "s1", "round": "r2", "table": 1}],
    "already_met": [["b2", "s1"]],
}


def changed(path: str, value: Any) -> dict[str, Any]:
    """GOOD with the value at a dotted path (list indexes as numbers) replaced."""
    data = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


def test_pairs_of_one_side_in_declines_and_already_met_are_harmless() -> None:
    problem = parse_problem({**GOOD, "declines": [["b1", "b2"]], "already_met": [["s1", "s2"]]})
    assert problem.declines == frozenset() and problem.already_met == frozenset()


def test_a_good_problem_parses_and_writes_back_the_same() -> None:
    problem = parse_problem(GOOD)
    assert problem.person("s1").max_meetings == 6  # capacity times rounds by default
    assert problem.pair_values() == {("b1", "s1"): 5}
    assert problem.declines == frozenset({("b2", "s2")})
    assert parse_problem(problem_to_dict(problem)) == problem


BAD = [
    (changed("colour", "blue"), "colour: unknown key"),
    ({k: v for k, v in GOOD.items() if k != "tables"}, "tables: required"),
    (changed("tables", 0), "tables: must be at least 1, got 0"),
    (changed("tables", True), "tables: must be a whole number, got True"),
    (changed("rounds", []), "rounds: at least one round is needed"),
    (changed("rounds.1", {"id": "r1"}), "rounds: duplicate id 'r1'"),
    (changed("rounds.0.start", "tomorrow"), "rounds[0].start: not an ISO 8601 date"),
    (changed("people.1.id", "b1"), "people: duplicate id 'b1'"),
    (changed("people.2.capacity", 0), "people[2] (s1).capacity: must be at least 1, got 0"),
    (changed("people.2.capacity", -2), "people[2] (s1).capacity: must be at least 1, got -2"),
    (
        changed("people.0.min_meetings", 3),
        "people[0] (b1).min_meetings: 3 is more than max_meetings 2",
    ),
    (changed("people.0.side", "vendor"), "people[0] (b1).side: must be boss or sponsor"),
    (
        changed("people.0.unavailable", ["r9"]),
        "people[0] (b1).unavailable[0]: unknown round id 'r9'",
    ),
    (changed("people.0.shoe", 42), "people[0].shoe: unknown key"),
    (changed("wishes.0.to", "b9"), "wishes[0].to: unknown person id 'b9'"),
    (
        changed("wishes.0", {"from": "s1", "to": "s1"}),
        "wishes[0]: 's1' cannot wish to meet themselves",
    ),
    (changed("wishes.0", {"from": "s1", "to": "s2"}), "wishes[0]: 's1' and 's2' are both sponsors"),
    (changed("wishes.0.weight", 0), "wishes[0].weight: must be at least 1, got 0"),
    (
        {**GOOD, "wishes": [{"from": "b1", "to": "s1"}, {"from": "b1", "to": "s1"}]},
        "wishes[1]: a second wish from 'b1' to 's1'",
    ),
    (changed("declines.0", ["b2", "b2"]), "declines[0]: names 'b2' twice"),
    (changed("already_met.0", ["b2"]), "already_met[0]: must name two people, got 1"),
    (changed("fixed.0.round", "r1"), "fixed[0]: 'b1' is unavailable in round 'r1'"),
    (changed("fixed.0.b", "b2"), "fixed[0]: 'b1' and 'b2' are on the same side"),
    (changed("fixed.0.table", 4), "fixed[0].table: 4 is beyond the 3 tables"),
    (
        {**GOOD, "fixed": [{"a": "b2", "b": "s2", "round": "r1"}]},
        "fixed[0]: 'b2' and 's2' declined to meet",
    ),
    (
        {
            **GOOD,
            "fixed": [{"a": "b2", "b": "s1", "round": "r1"}, {"a": "s1", "b": "b2", "round": "r3"}],
        },
        "fixed[1]: the pair is already fixed at fixed[0]",
    ),
    (
        {
            **GOOD,
            "declines": [],
            "fixed": [{"a": "b2", "b": "s1", "round": "r1"}, {"a": "b2", "b": "s2", "round": "r1"}],
        },
        "fixed[1]: 'b2' has more fixed meetings in round 'r1' than their capacity 1",
    ),
    (
        {
            **GOOD,
            "fixed": [
                {"a": "b2", "b": "s1", "round": "r3", "table": 2},
                {"a": "b1", "b": "s2", "round": "r3", "table": 2},
            ],
        },
        "fixed[1]: table 2 in round 'r3' is already taken by fixed[0]",
    ),
    ([1, 2], ": must be an object, got list"),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_input_is_refused_with_its_reason(data: Any, message: str) -> None:
    with pytest.raises(ProblemError) as refused:
        parse_problem(data)
    assert str(refused.value).startswith(message)


def test_changes_turn_departures_and_arrivals_into_unavailable_rounds() -> None:
    problem = parse_problem(GOOD)
    changes = parse_changes(
        {"absent": ["b2"], "leaves_after": {"s1": "r2"}, "arrives_at": {"s2": "r2"}}, problem
    )
    assert changes.absent == {"b2"}
    assert dict(changes.unavailable) == {"s1": {"r3"}, "s2": {"r1"}}
    with pytest.raises(ProblemError, match="absent\\[0\\]: unknown person id 'x'"):
        parse_changes({"absent": ["x"]}, problem)
    with pytest.raises(ProblemError, match=r"leaves_after\.s1: unknown round id .r9."):
        parse_changes({"leaves_after": {"s1": "r9"}}, problem)
