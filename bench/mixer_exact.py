"""An exact CP-SAT model of a small benchmark dinner: the most new pairs any seating reaches.

Run: .venv/bin/python bench/mixer_exact.py [--seconds 900] [--workers 1] [--at-least K]
[--no-hint | --hint-best]

The 34-people karate dinner (tables of 6, 3 rotations) is the one benchmark dinner whose
gap to the bound is open. The model keeps every hard rule and role bound as constraints,
orders the tables of each round by their first member (symmetry), and maximises the
pairs seated less the acquaintances seated together (equal to the new pairs when no pair
meets twice and colleagues sit apart); the mixer's seating is its hint (or the best one
known, ``--hint-best``, or none). The counting bound per round and the bound from two
rounds at a time (``measure._two_rounds_bound``: 241) are added as redundant constraints;
``--at-least K`` asks only for a seating of K new pairs or more, so that INFEASIBLE proves
that none exists. It prints each better seating and the proved bound as it goes.
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import combinations
from pathlib import Path

from ortools.sat.python import cp_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.social_graphs import BEST_SEATINGS, graph_dinner

from serendip.engines.mixer import parse_problem, solve
from serendip.engines.mixer.measure import _fits


class _Progress(cp_model.CpSolverSolutionCallback):
    """Prints each better seating's value and the bound proved so far."""

    def __init__(self) -> None:
        super().__init__()
        self.started = time.time()

    def on_solution_callback(self) -> None:
        print(
            f"{time.time() - self.started:.0f} s: {self.objective_value:.0f} new pairs, "
            f"at most {self.best_objective_bound:.0f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=900.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--at-least",
        type=int,
        default=0,
        help="ask only for a seating with at least this many new pairs: INFEASIBLE proves none",
    )
    parser.add_argument("--no-hint", action="store_true", help="skip the mixer's 10 s seating")
    parser.add_argument(
        "--hint-best", action="store_true", help="the best seating known as the hint instead"
    )
    args = parser.parse_args()
    problem = parse_problem(graph_dinner("karate club", copies=1, table_size=6, rounds=3))
    ids = [p.id for p in problem.people]
    n, tables, rounds, size = len(ids), len(problem.tables), problem.rounds, problem.tables[0]
    index = {person: i for i, person in enumerate(ids)}
    colleagues = {tuple(sorted((index[a], index[b]))) for a, b in problem.colleagues}
    known = {tuple(sorted((index[a], index[b]))) for a, b in problem.known_pairs}
    bounds = {role: (low, high) for role, low, high in problem.roles_per_table}
    hint: dict[tuple[int, int], int] = {}
    plan = None if args.no_hint or args.hint_best else solve(problem, time_limit=10, seed=0)
    if plan is not None:
        print(f"mixer: {plan.stats.new_pairs} new pairs of at most {plan.stats.new_pairs_bound}")
    layouts = plan.rounds if plan is not None else ()
    if args.hint_best:
        layouts, known_best = BEST_SEATINGS[("karate club", 1, 6, 3)]
        print(f"hint: the best seating known, {known_best} new pairs")
    for r, layout in enumerate(layouts):
        ordered = sorted((sorted(index[p] for p in t) for t in layout if t), key=lambda t: t[0])
        for t, members in enumerate(ordered):
            for i in members:
                hint[r, i] = t
    model = cp_model.CpModel()
    x = {
        (r, i, t): model.new_bool_var(f"x{r}_{i}_{t}")
        for r in range(rounds)
        for i in range(n)
        for t in range(tables)
    }
    seated_pairs = []
    for r in range(rounds):
        for i in range(n):
            model.add_exactly_one(x[r, i, t] for t in range(tables))
            for t in range(tables):
                if hint:
                    model.add_hint(x[r, i, t], int(hint[r, i] == t))
                if t > i:  # table t opens with one of the first t people at the latest
                    model.add(x[r, i, t] == 0)
                elif t > 0:  # i opens table t only after someone before i opened t - 1
                    before = sum(x[r, j, t - 1] for j in range(i))
                    model.add(before >= 1).only_enforce_if(x[r, i, t])
        for t in range(tables):
            count = model.new_int_var(0, size, f"n{r}_{t}")
            model.add(count == sum(x[r, i, t] for i in range(n)))
            pairs = model.new_int_var(0, size * (size - 1) // 2, f"p{r}_{t}")
            model.add_element(count, [k * (k - 1) // 2 for k in range(size + 1)], pairs)
            seated_pairs.append(pairs)
            for role, (low, high) in bounds.items():
                of_role = sum(x[r, i, t] for i, p in enumerate(problem.people) if p.role == role)
                model.add(of_role <= high)
                model.add(of_role >= low)  # 34 people at 6 tables of 6: no table is empty
    # Redundant: per round, at most the pairs the fullest tables seat (the counting bound).
    fullest, left = 0, n
    for _ in range(tables):
        seated = min(size, left)
        fullest, left = fullest + seated * (seated - 1) // 2, left - seated
    for r in range(rounds):
        model.add(sum(seated_pairs[r * tables : (r + 1) * tables]) <= fullest)
    # Redundant too: two rounds cannot both take the fullest sizes (measure._two_rounds_bound).
    sizes = [min(size, max(0, n - t * size)) for t in range(tables)]
    if not _fits(sizes, sizes):
        for r, q in combinations(range(rounds), 2):
            both = (
                seated_pairs[r * tables : (r + 1) * tables]
                + seated_pairs[q * tables : (q + 1) * tables]
            )
            model.add(sum(both) <= 2 * fullest - 1)
    acquainted = []
    for i, j in combinations(range(n), 2):
        if (i, j) in colleagues:
            for r in range(rounds):
                for t in range(tables):
                    model.add_bool_or([x[r, i, t].Not(), x[r, j, t].Not()])
            continue
        meets = []
        for r in range(rounds):
            met = model.new_bool_var(f"m{r}_{i}_{j}")
            for t in range(tables):
                model.add_bool_or([x[r, i, t].Not(), x[r, j, t].Not(), met])
            if hint:
                model.add_hint(met, int(hint[r, i] == hint[r, j]))
            meets.append(met)
        model.add(sum(meets) <= 1)  # no pair twice
        if (i, j) in known:
            acquainted += meets
    value = sum(seated_pairs) - sum(acquainted)
    if args.at_least:
        model.add(value >= args.at_least)
        model.add(sum(acquainted) <= rounds * fullest - args.at_least)
    model.maximize(value)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = args.seconds
    solver.parameters.num_workers = args.workers
    status = solver.solve(model, _Progress())
    print(
        f"{solver.status_name(status)}: {solver.objective_value:.0f} new pairs, "
        f"at most {solver.best_objective_bound:.0f} ({solver.wall_time:.0f} s)"
    )


if __name__ == "__main__":
    main()
