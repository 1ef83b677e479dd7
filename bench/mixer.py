"""Benchmark of the table-rotation mixer: classic social golfer instances and club dinners.

Run: .venv/bin/python bench/mixer.py [--quick]   (prints Markdown tables)

Classic instances: for each g-s (g tables of s), the most rounds seated without
any repeated pair within the time limit, next to the best known. Dinners: time,
broken rules, known pairs together and new pairs against the bound, with a
random-restart baseline run for the same time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.instances import dinner
from bench.social_graphs import graph_dinner

from serendip.engines.mixer import parse_problem, solve, validate
from serendip.engines.mixer.measure import seating_stats
from serendip.engines.mixer.types import Plan, Problem

# Best known rounds without a repeat (the social golfer problem, g tables of s people, up to
# 10 tables): Harvey's table of results (CSPLib problem 10) and OEIS A107431. Round robins
# (g-2) and affine planes/spaces are optimal; g-s with s > g seats one round only. For
# 3g people in threes, g even, nearly Kirkman triple systems (they exist for 18, 24, 30...)
# give (3g - 2) / 2 rounds, the most possible: 8 for 6-3, 11 for 8-3, 14 for 10-3.
BEST_KNOWN = {
    (2, 2): 3, (3, 2): 5, (4, 2): 7, (5, 2): 9, (6, 2): 11, (7, 2): 13, (8, 2): 15,
    (9, 2): 17, (10, 2): 19,
    (3, 3): 4, (4, 3): 4, (5, 3): 7, (6, 3): 8, (7, 3): 10, (8, 3): 11, (9, 3): 13,
    (10, 3): 14,
    (4, 4): 5, (5, 4): 5, (6, 4): 7, (7, 4): 9, (8, 4): 10,
    (5, 5): 6, (6, 5): 6, (6, 6): 3, (7, 7): 8, (8, 8): 9, (9, 9): 10, (10, 10): 4,
}  # fmt: skip


def golfers(groups: int, size: int, rounds: int) -> Problem:
    """The pure social golfer instance g-s-w."""
    return parse_problem(
        {
            "people": [{"id": f"g{i}"} for i in range(groups * size)],
            "tables": [size] * groups,
            "rounds": rounds,
        }
    )


def most_rounds(groups: int, size: int, seconds: float) -> tuple[int, float]:
    """The most rounds without a repeat within ``seconds`` in all: the best known asked for
    at once with half the time, then one round fewer at a time with half of what is left."""
    started = time.perf_counter()
    rounds = BEST_KNOWN[(groups, size)]
    while rounds > 1:
        left = seconds - (time.perf_counter() - started)
        if left <= 0:
            break
        plan = solve(golfers(groups, size, rounds), time_limit=left / 2, seed=0)
        if not plan.stats.repeated_pairs:
            return rounds, time.perf_counter() - started
        rounds -= 1
    return 1 if rounds <= 1 else 0, time.perf_counter() - started


def random_restarts(problem: Problem, seconds: float, seed: int) -> Plan:
    """The baseline: random seatings (hosts and together pairs kept) for the same time; the best."""
    rng = random.Random(seed)
    started = time.perf_counter()
    best: Plan | None = None
    while best is None or time.perf_counter() - started < seconds:
        rounds = []
        for r in range(problem.rounds):
            order = [p.id for p in problem.people if p.present(r)]
            rng.shuffle(order)
            tables: list[list[str]] = [[] for _ in problem.tables]
            for host, t in problem.hosts:
                tables[t].append(host)
            if r == 0:
                for a, b in problem.together:
                    free = next(
                        t for t, size in enumerate(problem.tables) if size - len(tables[t]) >= 2
                    )
                    for person in (a, b):
                        if all(person not in table for table in tables):
                            tables[free].append(person)
            seated = {p for table in tables for p in table}
            for person in order:
                if person not in seated:
                    t = min(
                        (t for t, size in enumerate(problem.tables) if len(tables[t]) < size),
                        key=lambda t: len(tables[t]),
                    )
                    tables[t].append(person)
            rounds.append(tuple(tuple(t) for t in tables))
        seating = tuple(rounds)
        stats = seating_stats(problem, seating, seconds=time.perf_counter() - started)
        score = (
            len(validate(problem, seating)),
            stats.known_pairs_together,
            stats.role_bound_misses,
            -stats.new_pairs,
        )
        if best is None or score < (
            len(validate(problem, best.rounds)),
            best.stats.known_pairs_together,
            best.stats.role_bound_misses,
            -best.stats.new_pairs,
        ):
            best = Plan(seating, stats)
    return Plan(
        best.rounds, seating_stats(problem, best.rounds, seconds=time.perf_counter() - started)
    )


def _golf_job(args: tuple[int, int, float]) -> tuple[int, int, int, float]:
    groups, size, seconds = args
    reached, spent = most_rounds(groups, size, seconds)
    return groups, size, reached, spent


def _dinner_row(name: str, problem: Problem, seconds: float) -> list[str]:
    """Table rows for one dinner: the mixer and the random-restart baseline for the same time."""
    cpu = time.process_time()
    plan = solve(problem, time_limit=seconds, seed=0)
    cpu = time.process_time() - cpu
    rows = []
    for method, result in (
        ("serendip", plan),
        ("random restarts, same time", random_restarts(problem, max(plan.stats.seconds, 1.0), 0)),
    ):
        s = result.stats
        share = 100 * s.new_pairs / s.new_pairs_bound if s.new_pairs_bound else 100.0
        kept = not (validate(problem, result) or s.role_bound_misses)
        proved = " (optimal)" if kept and s.new_pairs == s.new_pairs_bound else ""
        used = f"{s.seconds:.1f} ({cpu:.1f} CPU)" if result is plan else f"{s.seconds:.1f}"
        rows.append(
            f"| {name} | {method} | {used} | {len(validate(problem, result))} | "
            f"{s.role_bound_misses} | {s.known_pairs_together} | "
            f"{s.new_pairs} of at most {s.new_pairs_bound} ({share:.2f}%){proved} |"
        )
    return rows


def _dinner_job(args: tuple[str, str, int, int, int, float]) -> list[str]:
    kind, graph, people_or_copies, size, rounds, seconds = args
    if kind == "synthetic":
        problem = parse_problem(dinner(1, people=people_or_copies, table_size=size, rounds=rounds))
        name = f"{people_or_copies} people, tables of {size}, {rounds} rotations"
    else:
        problem = parse_problem(
            graph_dinner(graph, copies=people_or_copies, table_size=size, rounds=rounds)
        )
        name = (
            f"{graph} x {people_or_copies} ({len(problem.people)} people), "
            f"tables of {size}, {rounds} rotations"
        )
    return _dinner_row(name, problem, seconds)


# Dinners: synthetic club dinners (bench/instances.py), then dinners from real social graphs
# (bench/social_graphs.py): copies of a graph, tables of 6 to 10, 3 to 6 courses.
DINNERS: list[tuple[str, str, int, int, int]] = [
    ("synthetic", "", 120, 8, 3),
    ("synthetic", "", 120, 10, 6),
    ("synthetic", "", 400, 10, 4),
    ("synthetic", "", 400, 8, 6),
    ("synthetic", "", 100, 10, 4),
    ("synthetic", "", 100, 10, 5),
    ("graph", "karate club", 1, 6, 3),
    ("graph", "karate club", 3, 7, 5),
    ("graph", "karate club", 5, 8, 5),
    ("graph", "karate club", 14, 10, 6),
    ("graph", "Florentine families", 8, 7, 5),
    ("graph", "Florentine families", 20, 9, 4),
    ("graph", "southern women", 6, 9, 3),
    ("graph", "southern women", 10, 6, 6),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 s per classic instance")
    parser.add_argument("--dinner-seconds", type=float, default=10.0)
    parser.add_argument("--dinners-only", action="store_true", help="skip the classic instances")
    args = parser.parse_args()
    seconds = 10.0 if args.quick else 60.0
    print(
        f"Run on {dt.date.today()}, {platform.machine()}, {multiprocessing.cpu_count()} cores, "
        f"Python {platform.python_version()}; {seconds:.0f} s per classic instance, "
        f"{args.dinner_seconds:.0f} s per dinner, two runs at a time; load average "
        f"{os.getloadavg()[0]:.1f} at the start (other work on the machine included).\n"
    )
    if not args.dinners_only:
        print("| tables x size | people | best known rounds | rounds reached | seconds |")
        print("|---|---|---|---|---|")
    jobs = [] if args.dinners_only else [(g, s, seconds) for (g, s) in sorted(BEST_KNOWN)]
    with multiprocessing.Pool(2) as pool:
        for groups, size, reached, spent in pool.imap(_golf_job, jobs):
            mark = "" if reached >= BEST_KNOWN[(groups, size)] else " (below)"
            print(
                f"| {groups} x {size} | {groups * size} | {BEST_KNOWN[(groups, size)]} | "
                f"{reached}{mark} | {spent:.1f} |",
                flush=True,
            )
        print()
        print(
            "| dinner | method | seconds (CPU) | broken rules | role misses "
            "| acquaintances side by side | new pairs |"
        )
        print("|---|---|---|---|---|---|---|")
        dinner_jobs = [(*d, args.dinner_seconds) for d in DINNERS]
        for rows in pool.imap(_dinner_job, dinner_jobs):
            for row in rows:
                print(row, flush=True)
    print(f"\nLoad average {os.getloadavg()[0]:.1f} at the end.")


if __name__ == "__main__":
    main()
