"""Hypothesis strategies: small, valid meetings problems of every shape."""

from __future__ import annotations

from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from serendip.engines.meetings.formats import ProblemError, parse_problem
from serendip.engines.meetings.types import Problem


@st.composite
def problem_data(draw: st.DrawFn, *, max_bosses: int = 5, max_sponsors: int = 4) -> dict[str, Any]:
    """The JSON of a small problem, with unavailability, wishes, declines and fixed meetings."""
    rounds = [f"r{i}" for i in range(draw(st.integers(1, 5)))]
    bosses = [f"b{i}" for i in range(draw(st.integers(1, max_bosses)))]
    sponsors = [f"s{i}" for i in range(draw(st.integers(1, max_sponsors)))]
    people = []
    for person, side in [(b, "boss") for b in bosses] + [(s, "sponsor") for s in sponsors]:
        capacity = draw(st.integers(1, 2)) if side == "sponsor" else 1
        low = draw(st.integers(0, 3))
        people.append(
            {
                "id": person,
                "side": side,
                "capacity": capacity,
                "min_meetings": low,
                "max_meetings": draw(st.integers(low, low + 3)),
                "unavailable": draw(st.lists(st.sampled_from(rounds), unique=True, max_size=2)),
            }
        )
    pairs = [(b, s) for b in bosses for s in sponsors]
    wished = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    wishes = []
    for b, s in wished:
        source, target = draw(st.sampled_from([(b, s), (s, b)]))
        wishes.append({"from": source, "to": target, "weight": draw(st.integers(1, 5))})
    fixed = [
        {"a": b, "b": s, "round": draw(st.sampled_from(rounds))}
        for b, s in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2))
    ]
    return {
        "rounds": [{"id": r} for r in rounds],
        "tables": draw(st.integers(1, 4)),
        "people": people,
        "wishes": wishes,
        "declines": [
            list(p) for p in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2))
        ],
        "already_met": [
            list(p) for p in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3))
        ],
        "fixed": fixed,
    }


@st.composite
def problems(draw: st.DrawFn, **sizes: int) -> Problem:
    """A parsed problem; drawings whose fixed meetings conflict are discarded."""
    data = draw(problem_data(**sizes))
    try:
        return parse_problem(data)
    except ProblemError:
        assume(False)
        raise
