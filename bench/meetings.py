"""Benchmark of the one-to-one meetings engine against first-come-first-served and CP-SAT.

Run: .venv/bin/python bench/meetings.py [--quick]   (prints a Markdown table)

Each solver runs in its own process so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.instances import seminar

from serendip.engines.meetings import exact
from serendip.engines.meetings.formats import parse_changes, parse_problem
from serendip.engines.meetings.replan import replan
from serendip.engines.meetings.solve import pin_fixed, plan_of, relax, solve
from serendip.engines.meetings.stats import plan_stats
from serendip.engines.meetings.tables import assign_tables
from serendip.engines.meetings.timetable import Timetable
from serendip.engines.meetings.types import Plan, Problem
from serendip.engines.meetings.validate import validate


def greedy(problem: Problem) -> Plan:
    """First come, first served: wishes in order, each in the first round free for both."""
    started = time.perf_counter()
    table = Timetable(problem)
    pin_fixed(table)
    requests = [problem.as_pair(w.source, w.target) for w in problem.wishes]
    # Then, as booking tools do when someone is short, anyone free with anyone free.
    minimum = {p.id: p.min_meetings for p in problem.people}
    bosses = [p.id for p in problem.people if p.side == "boss"]
    sponsors = [p.id for p in problem.people if p.side == "sponsor"]
    for pair in requests:
        if pair in problem.declines or pair in table.round_of or not table.has_room(pair):
            continue
        free = table.free_rounds(pair)
        if free:
            table.place(pair, free[0])
    for boss in bosses:
        for sponsor in sponsors:
            pair = (boss, sponsor)
            short = table.total[boss] < minimum[boss] or table.total[sponsor] < minimum[sponsor]
            if not short or pair in problem.declines or pair in table.round_of:
                continue
            if table.has_room(pair) and (free := table.free_rounds(pair)):
                table.place(pair, free[0])
    meetings = assign_tables(table)
    return Plan(
        tuple(meetings),
        plan_stats(problem, meetings, upper_bound=0, seconds=time.perf_counter() - started),
    )


def cp_sat(problem: Problem, seconds: float) -> Plan:
    """The whole problem as one CP-SAT model, from an empty programme."""
    started = time.perf_counter()
    table = Timetable(problem)
    pin_fixed(table)
    _, bound = relax(table)
    exact.solve_exactly(table, seconds=seconds, seed=0)
    return plan_of(table, bound, started)


def _run(job: Callable[[], Plan], queue: Any) -> None:
    plan = job()
    queue.put((plan, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measured(job: Callable[[], Plan]) -> tuple[Plan, float]:
    """The plan and the peak memory (MB) of the process that made it."""
    queue: Any = multiprocessing.Queue()
    process = multiprocessing.Process(target=_run, args=(job, queue))
    process.start()
    plan, peak = queue.get()
    process.join()
    return plan, peak


def row(name: str, method: str, problem: Problem, plan: Plan, peak: float, bound: int) -> str:
    """One line of the results table; the bound is the engine's, proven for its shortfall."""
    s = plan.stats
    broken = len(validate(problem, plan))
    share = f"{100 * s.value / bound:.2f}%" if bound else "—"
    return (
        f"| {name} | {method} | {s.meetings} | {s.value} | {bound} | {share} | "
        f"{len(s.below_min)} ({s.shortfall}) | {s.idle_gaps} | {s.seconds:.1f} | {peak:.0f} | "
        f"{broken} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the trade shows")
    args = parser.parse_args()
    families: list[tuple[str, dict[str, Any], float]] = [
        ("small seminar (35x10, 10 rounds)", small_seminar(), 30.0),
        ("seminar", seminar(1), 10.0),
        ("seminar, real life", seminar(1, real_life=True), 20.0),
    ]
    if not args.quick:
        families += [
            ("trade show (x10)", seminar(1, scale=10), 120.0),
            ("trade show, real life", seminar(1, scale=10, real_life=True), 120.0),
        ]
    print(
        f"Run on {dt.date.today()}, {platform.machine()}, {multiprocessing.cpu_count()} cores, "
        f"Python {platform.python_version()}.\n"
    )
    print(
        "| instance | method | meetings | value | bound | value/bound | below min (shortfall) "
        "| idle gaps | seconds | peak MB | broken rules |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, data, limit in families:
        problem = parse_problem(data)
        plan, peak = measured(lambda p=problem, t=limit: solve(p, time_limit=t, seed=0))
        bound = plan.stats.upper_bound
        print(row(name, "serendip", problem, plan, peak, bound), flush=True)
        plan, peak = measured(lambda p=problem: greedy(p))
        print(row(name, "first come, first served", problem, plan, peak, bound), flush=True)
        table = Timetable(problem)
        if exact.size(table) <= 200_000:
            plan, peak = measured(lambda p=problem, t=limit: cp_sat(p, t))
            print(
                row(name, f"CP-SAT alone ({limit:.0f} s)", problem, plan, peak, bound), flush=True
            )
        else:
            print(
                f"| {name} | CP-SAT alone | too large to build ({exact.size(table):,} literals) "
                "| | | | | | | | |"
            )
    print()
    replan_benchmark()


def small_seminar() -> dict[str, Any]:
    """A tenth of the seminar, small enough for CP-SAT alone."""
    data = seminar(5, real_life=True)
    bosses = {p["id"] for p in data["people"] if p["side"] == "boss"}
    keep = {f"b{i}" for i in range(35)} | {f"s{i}" for i in range(10)}
    rounds = data["rounds"][:10]
    ids = {r["id"] for r in rounds}
    people = []
    for p in data["people"]:
        if p["id"] in keep:
            p = dict(p, unavailable=[r for r in p.get("unavailable", []) if r in ids])
            if p["id"] in bosses:
                p.update(min_meetings=4, max_meetings=6)
            else:
                p.update(
                    min_meetings=3 * p.get("capacity", 1), max_meetings=8 * p.get("capacity", 1)
                )
            people.append(p)
    return {
        "rounds": rounds,
        "tables": 24,
        "people": people,
        "wishes": [w for w in data["wishes"] if w["from"] in keep and w["to"] in keep],
        "declines": [d for d in data["declines"] if set(d) <= keep],
    }


def replan_benchmark() -> None:
    """Ten bosses do not come back after the morning of day 1: re-plan from midday."""
    print(
        "| re-plan | no-shows | from round | seconds | meetings moved | remaining meetings "
        "| moved share | shortfall before → after | broken rules |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, data in (("seminar", seminar(1)), ("seminar, real life", seminar(1, real_life=True))):
        problem = parse_problem(data)
        plan = solve(problem, time_limit=20, seed=0)
        from_round = problem.round_ids[10]
        bosses = [p.id for p in problem.people if p.side == "boss"]
        changes = parse_changes({"absent": bosses[:10]}, problem)
        started = time.perf_counter()
        changed, new = replan(problem, plan, changes, from_round=from_round, time_limit=5)
        seconds = time.perf_counter() - started
        remaining = sum(1 for m in plan.meetings if problem.round_ids.index(m.round) >= 10)
        moved = new.stats.moved or 0
        print(
            f"| {name} | 10 bosses | {from_round} | {seconds:.2f} | {moved} | {remaining} | "
            f"{100 * moved / remaining:.1f}% | {plan.stats.shortfall} → {new.stats.shortfall} | "
            f"{len(validate(changed, new))} |"
        )


if __name__ == "__main__":
    main()
