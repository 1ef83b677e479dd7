"""The planner: select pairs, schedule them into rounds, repair, fill, compact, seat."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from serendip.engines.meetings import exact
from serendip.engines.meetings.fill import eject_for_minimums, fill
from serendip.engines.meetings.gaps import reduce_gaps
from serendip.engines.meetings.schedule import schedule_pairs
from serendip.engines.meetings.select import Selection, candidates, select_pairs
from serendip.engines.meetings.stats import plan_stats
from serendip.engines.meetings.tables import assign_tables
from serendip.engines.meetings.timetable import Timetable
from serendip.engines.meetings.types import Meeting, Pair, Plan, Problem, Stats

# Shares of the time limit: the exact model may use most of it, the gap search the rest.
EXACT_SHARE = 0.7


@dataclass(frozen=True)
class Bound:
    """What the relaxation proves: least shortfall, and the most value at that shortfall."""

    shortfall: int
    value: int
    value_at_any_shortfall: int

    def for_shortfall(self, shortfall: int) -> int:
        """The proven bound on value for plans with this shortfall."""
        return self.value if shortfall == self.shortfall else self.value_at_any_shortfall


def relax(table: Timetable) -> tuple[Selection, Bound]:
    """The flow relaxation of what is still open: the pairs it picks and what it proves."""
    problem = table.problem
    values = problem.pair_values()
    pinned = set(table.pinned)
    fixed = Counter(person for pair in pinned for person in pair)
    open_slots = sum(problem.tables - table.round_load[r] for r in table.open_rounds)
    pool = candidates(problem, open_rounds=table.open_rounds, exclude=pinned)
    best, loose = (
        select_pairs(
            problem,
            pool,
            fixed=fixed,
            open_rounds=table.open_rounds,
            table_slots=open_slots,
            with_minimums=with_minimums,
        )
        for with_minimums in (True, False)
    )
    pinned_value = sum(values.get(p, 0) for p in pinned)
    return best, Bound(best.shortfall, best.value + pinned_value, loose.value + pinned_value)


def plan_of(
    table: Timetable,
    result: Bound,
    started: float,
    *,
    kept: dict[tuple[Pair, int], int] | None = None,
) -> Plan:
    """Seat the timetable and measure it; the bound reported matches the plan's shortfall."""
    meetings = assign_tables(table, kept=kept)
    stats = plan_stats(table.problem, meetings, upper_bound=0, seconds=0.0)
    return Plan(
        tuple(meetings),
        replace(
            stats,
            upper_bound=result.for_shortfall(stats.shortfall),
            seconds=time.perf_counter() - started,
        ),
    )


def is_optimal(table: Timetable, result: Bound) -> bool:
    """Whether the timetable reaches the bound: least shortfall and the most value there."""
    problem = table.problem
    values = problem.pair_values()
    counts = table.counts()
    shortfall = sum(max(0, p.min_meetings - counts.get(p.id, 0)) for p in problem.people)
    value = sum(values.get(p, 0) for p in table.round_of)
    return shortfall == result.shortfall and value == result.value


def optimise(table: Timetable, *, deadline: float, seed: int) -> Bound:
    """Fill the timetable's open rounds as well as possible; returns the bound it proved."""
    rng = random.Random(seed)
    chosen, result = relax(table)
    schedule_pairs(table, list(chosen.pairs), rng)
    fill(table)
    if eject_for_minimums(table):
        fill(table)
    if not is_optimal(table, result) and exact.size(table) <= exact.MAX_LITERALS:
        left = deadline - time.perf_counter()
        exact.solve_exactly(table, seconds=left * EXACT_SHARE, seed=seed)
    reduce_gaps(table, deadline=deadline)
    return result


def pin_fixed(table: Timetable) -> None:
    """Put the problem's fixed meetings in place; they never move."""
    for f in table.problem.fixed:
        table.place((f.boss, f.sponsor), table.round_ids.index(f.round), pinned=True)


def solve(problem: Problem, *, time_limit: float = 10.0, seed: int = 0) -> Plan:
    """The best plan found within ``time_limit`` seconds; the same seed gives the same plan.

    Raises nothing for unreachable minimums: the plan's stats say who is short.
    """
    started = time.perf_counter()
    table = Timetable(problem)
    pin_fixed(table)
    result = optimise(table, deadline=started + time_limit, seed=seed)
    return plan_of(table, result, started)


def evaluate(problem: Problem, plan: Plan | Iterable[Meeting], *, seconds: float = 0.0) -> Stats:
    """What a plan achieves, with the bound the relaxation proves for plans of its shortfall.

    The one way to measure a plan made elsewhere (by hand, by an older run, read from a
    file): the problem's fixed meetings are pinned, so the bound holds for every plan that
    keeps them.
    """
    meetings = plan.meetings if isinstance(plan, Plan) else tuple(plan)
    table = Timetable(problem)
    pin_fixed(table)
    _, bound = relax(table)
    stats = plan_stats(problem, meetings, upper_bound=0, seconds=seconds)
    return replace(stats, upper_bound=bound.for_shortfall(stats.shortfall))
