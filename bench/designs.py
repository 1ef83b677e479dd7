"""Search for rotational social-golfer designs, the bases in ``mixer.designs.ROTATIONAL``.

Run: .venv/bin/python bench/designs.py TABLES SIZE ROUNDS [--seconds S]

People are Z_g x {0..s-1} (g tables of s). The design is assumed invariant under
x -> x + 1: ``rounds // g`` base rounds are each shifted g times, and the
``rounds % g`` remaining rounds are one base table with one person per level,
shifted g times. Under that symmetry a pair of people stands for its whole orbit
(same levels, same difference), so CP-SAT only has to seat the base rounds and
choose the base tables so that every orbit of pairs is used at most once. Prints
the entry to paste into ``ROTATIONAL`` when it finds one, and checks it.
"""

from __future__ import annotations

import argparse
import sys
from itertools import combinations
from pathlib import Path

from ortools.sat.python import cp_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

Orbit = tuple[int, int, int]  # (level a, level b, difference), with a <= b


def orbit(g: int, p: tuple[int, int], q: tuple[int, int]) -> Orbit:
    """The orbit of the pair {p, q} under the shift, as (level, level, difference)."""
    (x, i), (y, j) = sorted([p, q], key=lambda point: (point[1], point[0]))
    d = (y - x) % g
    return (i, j, min(d, g - d)) if i == j else (i, j, d)


def find(g: int, s: int, rounds: int, seconds: float) -> tuple[list, list] | None:
    """Base rounds and base tables of a rotational design, or None within the time."""
    whole, single = divmod(rounds, g)
    points = [(x, j) for j in range(s) for x in range(g)]
    model = cp_model.CpModel()
    seat = {
        (k, p, t): model.new_bool_var(f"s{k}_{p}_{t}")
        for k in range(whole)
        for p in points
        for t in range(g)
    }
    for k in range(whole):
        for p in points:
            model.add_exactly_one(seat[k, p, t] for t in range(g))
        for t in range(g):
            model.add(sum(seat[k, p, t] for p in points) == s)
        model.add(seat[k, (0, 0), 0] == 1)  # symmetry: the first person at the first table
    pick = {
        (f, j, x): model.new_bool_var("") for f in range(single) for j in range(s) for x in range(g)
    }
    for f in range(single):
        for j in range(s):
            model.add_exactly_one(pick[f, j, x] for x in range(g))
        model.add(pick[f, 0, 0] == 1)
    uses: dict[Orbit, list] = {}
    for k in range(whole):
        for p, q in combinations(points, 2):
            o = orbit(g, p, q)
            # A pure orbit of difference g/2 has only g/2 pairs: one use covers it twice.
            weight = 2 if o[0] == o[1] and 2 * o[2] == g else 1
            for t in range(g):
                both = model.new_bool_var("")
                model.add_multiplication_equality(both, [seat[k, p, t], seat[k, q, t]])
                uses.setdefault(o, []).append(weight * both)
    for f in range(single):
        for i, j in combinations(range(s), 2):
            for x in range(g):
                for y in range(g):
                    both = model.new_bool_var("")
                    model.add_multiplication_equality(both, [pick[f, i, x], pick[f, j, y]])
                    uses.setdefault(orbit(g, (x, i), (y, j)), []).append(both)
    for terms in uses.values():
        model.add(sum(terms) <= 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        print(f"{g} x {s}, {rounds} rounds: {solver.status_name(status)} after {seconds} s")
        return None
    base_rounds = [
        [sorted(p for p in points if solver.value(seat[k, p, t])) for t in range(g)]
        for k in range(whole)
    ]
    base_tables = [
        [next(x for x in range(g) if solver.value(pick[f, j, x])) for j in range(s)]
        for f in range(single)
    ]
    return base_rounds, base_tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tables", type=int)
    parser.add_argument("size", type=int)
    parser.add_argument("rounds", type=int)
    parser.add_argument("--seconds", type=float, default=300)
    args = parser.parse_args()
    found = find(args.tables, args.size, args.rounds, args.seconds)
    if found is None:
        return
    from serendip.engines.mixer import designs

    designs.ROTATIONAL[(args.tables, args.size)] = found  # type: ignore[assignment]
    rounds = designs.rotational(args.tables, args.size)
    met: set[tuple[int, int]] = set()
    for tables in rounds:
        for table in tables:
            for pair in combinations(sorted(table), 2):
                assert pair not in met, "a repeated pair: the search is wrong"
                met.add(pair)
    print(f"({args.tables}, {args.size}): {found!r},  # {len(rounds)} rounds, checked")


if __name__ == "__main__":
    main()
