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
from bench.social_graphs import BEST_SEATINGS, PROVED_AT_MOST, graph_dinner

from serendip.engines.mixer import parse_problem, solve, validate
from serendip.engines.mixer.measure import seating_stats
from serendip.engines.mixer.types import Plan, Problem

# Best known rounds without a repeat for g tables of s, every 2 <= s <= g <= 10 (s > g seats
# one round only: two people of a first-round table meet again in the second), with where
# the value comes from. The counting bound is (gs - 1) // (s - 1): everyone meets s - 1 new
# people a round. Sources: OEIS A107431 (the triangle up to 7 tables of 4; 7-5 "7 or 8"),
# Harvey's results page for CSPLib problem 10, and design theory: round robins, affine
# planes and spaces, Kirkman and nearly Kirkman triple systems (an NKTS(v) exists for every
# v = 0 mod 6 from 18, (v - 2) / 2 rounds), resolvable (v, 4, 1) designs (v = 4 mod 12),
# transversal designs from a field of order g (g rounds for any s <= g), and g-g = the
# number of mutually orthogonal Latin squares of order g, plus 2. "open" marks a value that
# is only a lower bound here: no published table at hand confirms it as the best known.
# MVA 2026: Miller, Valkov and Abel, Symmetry 18(2), 269 (arXiv 2507.23376), read through
# guwidoe/GroupMixer's transcription (backend/core/src/solver5): its starter blocks
# (catalog/ownsg.rs, the paper's Table A1), its ITD(6, 10; 2) (catalog/ritd.rs, the paper's
# Figure 8, "RITD(10,2;5)+G(1)", 9 rounds) and its table of literature lower bounds
# (targets/solver5_optimality_lower_bounds.v1.json, no source per cell), which lists g
# rounds for 7-6, 8-5..8-7 and 9-5..9-8, as the transversal designs give.
BEST_KNOWN: dict[tuple[int, int], tuple[int, str]] = {
    **{(g, 2): (2 * g - 1, "round robin (optimal)") for g in range(2, 11)},
    (3, 3): (4, "affine plane AG(2, 3) (optimal)"),
    (4, 3): (4, "A107431 (5 is impossible)"),
    (5, 3): (7, "Kirkman triple system of 15 (optimal)"),
    (6, 3): (8, "nearly Kirkman triple system of 18 (optimal)"),
    (7, 3): (10, "Kirkman triple system of 21 (optimal)"),
    (8, 3): (11, "nearly Kirkman triple system of 24 (optimal)"),
    (9, 3): (13, "affine space AG(3, 3) (optimal)"),
    (10, 3): (14, "nearly Kirkman triple system of 30 (optimal)"),
    (4, 4): (5, "affine plane AG(2, 4) (optimal)"),
    (5, 4): (5, "A107431"),
    (6, 4): (7, "A107431 (optimal)"),
    (7, 4): (9, "resolvable (28, 4, 1) design (optimal)"),
    (8, 4): (10, "Aguado 2004 (optimal)"),
    (9, 4): (11, "resolvable 4-GDD of type 3^12 (optimal)"),
    (10, 4): (13, "resolvable (40, 4, 1) design (optimal)"),
    (5, 5): (6, "affine plane AG(2, 5) (optimal)"),
    (6, 5): (6, "A107431"),
    (7, 5): (7, "A107431: 7 or 8"),
    (8, 5): (8, "transversal design; same in GroupMixer's literature table"),
    (9, 5): (
        9,
        "transversal design; same in GroupMixer's literature table (11 needs an RBIBD(45, 5, 1))",
    ),
    (10, 5): (10, "ITD(6, 10; 2) less a group, + holes + groups (ours; MVA 2026: 9)"),
    (6, 6): (3, "A107431: no two orthogonal Latin squares of order 6"),
    (7, 6): (7, "transversal design; same in GroupMixer's literature table"),
    (8, 6): (8, "transversal design; same in GroupMixer's literature table"),
    (9, 6): (9, "transversal design; same in GroupMixer's literature table"),
    (10, 6): (7, "starter blocks, MVA 2026 Table A1"),
    (7, 7): (8, "affine plane AG(2, 7) (optimal)"),
    (8, 7): (8, "transversal design; same in GroupMixer's literature table"),
    (9, 7): (9, "transversal design; same in GroupMixer's literature table"),
    (10, 7): (7, "starter blocks, MVA 2026 Table A1"),
    (8, 8): (9, "affine plane AG(2, 8) (optimal)"),
    (9, 8): (9, "transversal design; same in GroupMixer's literature table"),
    (10, 8): (5, "starter blocks, MVA 2026 Table A1"),
    (9, 9): (10, "affine plane AG(2, 9) (optimal)"),
    (10, 9): (5, "starter blocks, MVA 2026 Table A1"),
    (10, 10): (4, "two orthogonal Latin squares of order 10 (a third is open)"),
}


def counting_bound(groups: int, size: int) -> int:
    """The most rounds anyone can have new table-mates: (gs - 1) // (s - 1), one round if s > g."""
    return 1 if size > groups else (groups * size - 1) // (size - 1)


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
    at once with half the time, then one round fewer at a time with half of what is left.
    Where the best known is open (only a lower bound here), one round more at a time is
    asked for too, up to the counting bound, while time is left."""
    started = time.perf_counter()
    best, source = BEST_KNOWN[(groups, size)]
    rounds, reached = best, 0
    while rounds > 1:
        left = seconds - (time.perf_counter() - started)
        if left <= 0:
            break
        plan = solve(golfers(groups, size, rounds), time_limit=left / 2, seed=0)
        if not plan.stats.repeated_pairs:
            reached = rounds
            break
        rounds -= 1
    spent = time.perf_counter() - started
    if reached < best or "open" not in source:
        return max(reached, 1), spent
    while reached < counting_bound(groups, size):
        left = seconds - (time.perf_counter() - started)
        if left <= 1:
            break
        plan = solve(golfers(groups, size, reached + 1), time_limit=left / 2, seed=0)
        if plan.stats.repeated_pairs:
            break
        reached, spent = reached + 1, time.perf_counter() - started
    return reached, spent


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


def _dinner_row(
    name: str, problem: Problem, seconds: float, best_known: int = 0, at_most: int = 0
) -> list[str]:
    """Table rows for one dinner: the mixer and the random-restart baseline for the same time
    (with the best seating known when the mixer is short of it, and the most any seating
    reaches where proved offline below the mixer's bound)."""
    cpu = time.process_time()
    plan = solve(problem, time_limit=seconds, seed=0)
    cpu = time.process_time() - cpu
    # A dinner no known seating keeps every rule of is no test of the mixer's rules: the
    # row says so (its Done is "as few repeats as it can"), and the mixer's own reason.
    unproved = [c for c in plan.conflicts if not c.proved and c.rule == "latin squares"]
    if unproved:
        squares, order = unproved[0].numbers[3], unproved[0].numbers[1]
        name = (
            f"{name} (open problem: needs {squares} mutually orthogonal Latin squares of "
            f"order {order}, none known)"
        )
    rows = []
    for method, result in (
        ("serendip", plan),
        ("random restarts, same time", random_restarts(problem, max(plan.stats.seconds, 1.0), 0)),
    ):
        s = result.stats
        share = 100 * s.new_pairs / s.new_pairs_bound if s.new_pairs_bound else 100.0
        kept = not (validate(problem, result) or s.role_bound_misses)
        proved = " (optimal)" if kept and s.new_pairs == s.new_pairs_bound else ""
        if result is plan and best_known > s.new_pairs:
            proved += f"; best known {best_known}"
        if result is plan and 0 < at_most < s.new_pairs_bound:
            proved += f"; no seating above {at_most}: {100 * s.new_pairs / at_most:.2f}% of it"
        used = f"{s.seconds:.1f} ({cpu:.1f} CPU)" if result is plan else f"{s.seconds:.1f}"
        rows.append(
            f"| {name} | {method} | {used} | {len(validate(problem, result))} | "
            f"{s.role_bound_misses} | {s.known_pairs_together} | "
            f"{s.new_pairs} of at most {s.new_pairs_bound} ({share:.2f}%){proved} |"
        )
    return rows


def _dinner_job(args: tuple[str, str, int, int, int, float]) -> list[str]:
    kind, graph, people_or_copies, size, rounds, seconds = args
    best_known = at_most = 0
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
        key = (graph, people_or_copies, size, rounds)
        best_known = BEST_SEATINGS.get(key, ((), 0))[1]
        at_most = PROVED_AT_MOST.get(key, 0)
    return _dinner_row(name, problem, seconds, best_known, at_most)


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


def _seed_rows(dinners: list[tuple[str, str, int, int, int]], seeds: int, seconds: float) -> None:
    """One row per dinner and seed 0..seeds-1: the mixer's result, one run at a time."""
    print(
        "| dinner | seed | seconds (CPU) | broken rules | role misses | acquaintances | new pairs |"
    )
    print("|---|---|---|---|---|---|---|")
    for kind, graph, people_or_copies, size, rounds in dinners:
        if kind == "synthetic":
            data = dinner(1, people=people_or_copies, table_size=size, rounds=rounds)
            name = f"{people_or_copies} people, tables of {size}"
        else:
            data = graph_dinner(graph, copies=people_or_copies, table_size=size, rounds=rounds)
            name = f"{graph} x {people_or_copies}, tables of {size}"
        problem = parse_problem(data)
        for seed in range(seeds):
            cpu = time.process_time()
            plan = solve(problem, time_limit=seconds, seed=seed)
            s = plan.stats
            print(
                f"| {name}, {rounds} rotations | {seed} | {s.seconds:.1f} "
                f"({time.process_time() - cpu:.1f}) | {len(validate(problem, plan))} | "
                f"{s.role_bound_misses} | {s.known_pairs_together} | {s.new_pairs} of at most "
                f"{s.new_pairs_bound} |",
                flush=True,
            )


def _chosen(dinner_: tuple[str, str, int, int, int], only: list[str]) -> bool:
    """Whether ``--only`` keeps this dinner (every dinner without it)."""
    _kind, graph, people_or_copies, size, _rounds = dinner_
    label = f"{graph}:{people_or_copies}" if graph else f"{people_or_copies}:{size}"
    return not only or label in only


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 s per classic instance")
    parser.add_argument("--dinner-seconds", type=float, default=10.0)
    parser.add_argument("--dinners-only", action="store_true", help="skip the classic instances")
    parser.add_argument("--classic-only", action="store_true", help="skip the dinners")
    parser.add_argument(
        "--jobs", type=int, default=2, help="runs at a time (2: the tables in docs/benchmarks.md)"
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=0,
        help="run the chosen dinners' mixer with seeds 0..N-1 instead (one row per seed, no "
        "baseline): how much the result hangs on the seed",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="run only the dinners whose graph or size matches, e.g. 'karate club:1' (graph and "
        "copies) or '120:8' (synthetic people and table size); may repeat",
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="read the time limits as CPU seconds of this process (its clock is process time; "
        "CP-SAT's own limits stay wall-clock): what the mixer reaches with that much CPU, "
        "whatever else runs on the machine",
    )
    args = parser.parse_args()
    if args.cpu:
        time.perf_counter = time.process_time
    seconds = 10.0 if args.quick else 60.0
    print(
        f"Run on {dt.date.today()}, {platform.machine()}, {multiprocessing.cpu_count()} cores, "
        f"Python {platform.python_version()}; {seconds:.0f} s per classic instance, "
        f"{args.dinner_seconds:.0f} {'CPU ' if args.cpu else ''}s per dinner, {args.jobs} run(s) "
        f"at a time; load average "
        f"{os.getloadavg()[0]:.1f} at the start (other work on the machine included).\n"
    )
    if args.seeds:
        _seed_rows([d for d in DINNERS if _chosen(d, args.only)], args.seeds, args.dinner_seconds)
        return
    if not args.dinners_only:
        print(
            "| tables x size | people | best known rounds | counting bound | rounds reached "
            "| seconds | source of the best known |"
        )
        print("|---|---|---|---|---|---|---|")
    jobs = [] if args.dinners_only else [(g, s, seconds) for (g, s) in sorted(BEST_KNOWN)]
    with multiprocessing.Pool(args.jobs) as pool:
        for groups, size, reached, spent in pool.imap(_golf_job, jobs):
            best, source = BEST_KNOWN[(groups, size)]
            mark = " (below)" if reached < best else " (more than listed)" if reached > best else ""
            print(
                f"| {groups} x {size} | {groups * size} | {best} | "
                f"{counting_bound(groups, size)} | {reached}{mark} | {spent:.1f} | {source} |",
                flush=True,
            )
        if args.classic_only:
            return
        print()
        print(
            "| dinner | method | seconds (CPU) | broken rules | role misses "
            "| acquaintances side by side | new pairs |"
        )
        print("|---|---|---|---|---|---|---|")
        dinner_jobs = [(*d, args.dinner_seconds) for d in DINNERS if _chosen(d, args.only)]
        for rows in pool.imap(_dinner_job, dinner_jobs):
            for row in rows:
                print(row, flush=True)
    print(f"\nLoad average {os.getloadavg()[0]:.1f} at the end.")


if __name__ == "__main__":
    main()
