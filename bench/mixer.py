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
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.instances import dinner

from serendip.engines.mixer import parse_problem, solve, validate
from serendip.engines.mixer.measure import seating_stats
from serendip.engines.mixer.types import Plan, Problem

# Best known rounds without a repeat (the social golfer problem, g tables of s people).
BEST_KNOWN = {
    (2, 2): 3, (3, 2): 5, (4, 2): 7, (5, 2): 9, (6, 2): 11, (7, 2): 13, (8, 2): 15,
    (3, 3): 4, (4, 3): 4, (5, 3): 7, (6, 3): 8, (7, 3): 10, (8, 3): 10,
    (4, 4): 5, (5, 4): 5, (6, 4): 7, (7, 4): 9, (8, 4): 10,
    (5, 5): 6, (7, 7): 8, (8, 8): 9,
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
    """The most rounds without a repeat found within ``seconds`` in all, counting up."""
    started = time.perf_counter()
    reached, rounds = 0, 1
    while time.perf_counter() - started < seconds:
        left = seconds - (time.perf_counter() - started)
        plan = solve(golfers(groups, size, rounds), time_limit=left, seed=0)
        if plan.stats.repeated_pairs:
            break
        reached, rounds = rounds, rounds + 1
        if rounds > BEST_KNOWN[(groups, size)]:
            break
    return reached, time.perf_counter() - started


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 s per classic instance")
    args = parser.parse_args()
    seconds = 10.0 if args.quick else 60.0
    print(
        f"Run on {dt.date.today()}, {platform.machine()}, {multiprocessing.cpu_count()} cores, "
        f"Python {platform.python_version()}; {seconds:.0f} s per classic instance.\n"
    )
    print("| tables x size | people | best known rounds | rounds reached | seconds |")
    print("|---|---|---|---|---|")
    jobs = [(g, s, seconds) for (g, s) in sorted(BEST_KNOWN)]
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
        "| dinner | method | seconds | broken rules | known pairs together | role misses "
        "| new pairs / bound |"
    )
    print("|---|---|---|---|---|---|---|")
    dinners = ((120, 8, 3), (120, 10, 6), (400, 10, 4), (400, 8, 6), (100, 10, 4), (100, 10, 5))
    for people, size, rounds in dinners:
        problem = parse_problem(dinner(1, people=people, table_size=size, rounds=rounds))
        name = f"{people} people, tables of {size}, {rounds} rotations"
        plan = solve(problem, time_limit=30, seed=0)
        for method, result in (
            ("serendip", plan),
            (
                "random restarts, same time",
                random_restarts(problem, max(plan.stats.seconds, 1.0), 0),
            ),
        ):
            s = result.stats
            print(
                f"| {name} | {method} | {s.seconds:.1f} | {len(validate(problem, result))} | "
                f"{s.known_pairs_together} | {s.role_bound_misses} | "
                f"{s.new_pairs} / {s.new_pairs_bound} "
                f"({100 * s.new_pairs / s.new_pairs_bound:.2f}%) |",
                flush=True,
            )


if __name__ == "__main__":
    main()
