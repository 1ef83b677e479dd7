"""Measuring a set of meetings: value, shortfall below minimums, idle gaps.

Used by the solver to report on its plan and by ``check`` to report on any plan,
so that both always count the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from serendip.engines.meetings.types import Meeting, Problem, Shortfall, Stats


def meeting_counts(meetings: Iterable[Meeting]) -> Counter[str]:
    """How many meetings each person has."""
    counts: Counter[str] = Counter()
    for m in meetings:
        counts[m.boss] += 1
        counts[m.sponsor] += 1
    return counts


def below_minimum(problem: Problem, meetings: Iterable[Meeting]) -> tuple[Shortfall, ...]:
    """Everyone whose meetings fall short of their minimum, in the problem's order."""
    counts = meeting_counts(meetings)
    return tuple(
        Shortfall(p.id, counts[p.id], p.min_meetings)
        for p in problem.people
        if counts[p.id] < p.min_meetings
    )


def idle_gaps(problem: Problem, meetings: Iterable[Meeting]) -> int:
    """Rounds between a person's first and last meeting where they are available but idle."""
    position = {r: i for i, r in enumerate(problem.round_ids)}
    busy: dict[str, set[int]] = defaultdict(set)
    for m in meetings:
        busy[m.boss].add(position[m.round])
        busy[m.sponsor].add(position[m.round])
    gaps = 0
    for person_id, rounds in busy.items():
        away = {position[r] for r in problem.person(person_id).unavailable}
        span = range(min(rounds), max(rounds) + 1)
        gaps += sum(1 for i in span if i not in rounds and i not in away)
    return gaps


def plan_stats(
    problem: Problem,
    meetings: Iterable[Meeting],
    *,
    upper_bound: int,
    seconds: float,
    moved: int | None = None,
) -> Stats:
    """The stats block of a plan."""
    meetings = list(meetings)
    values = problem.pair_values()
    short = below_minimum(problem, meetings)
    return Stats(
        meetings=len(meetings),
        value=sum(values.get((m.boss, m.sponsor), 0) for m in meetings),
        upper_bound=upper_bound,
        shortfall=sum(s.min - s.meetings for s in short),
        below_min=short,
        idle_gaps=idle_gaps(problem, meetings),
        seconds=seconds,
        moved=moved,
    )
