"""Search for rotational social-golfer designs, the bases in ``mixer.designs.ROTATIONAL``.

Run: .venv/bin/python bench/designs.py TABLES SIZE ROUNDS [--order M] [--seconds S]

People are Z_m x {0..L-1} (m = ``--order``, g tables of s by default m = g, and
L = g * s / m levels). The design is assumed invariant under x -> x + 1: ``rounds // m``
base rounds are each shifted m times, and each of the ``rounds % m`` remaining
rounds is left unchanged by the shift: its levels are grouped s by s, and each
group gives one base table (one person per level) shifted m times. Under that
symmetry a pair of people stands for its whole orbit (same levels, same
difference), so CP-SAT only seats the base rounds and picks the base tables so
that every orbit of pairs is used at most once. Prints the entry to paste into
``ROTATIONAL`` when it finds one, after checking it.

With ``--multiplier a`` (one person left in place, tables of levels + 1, a^levels = 1 mod m)
the base round is also left unchanged by mu: (x, level) -> (a * x, level + 1): the person in
place sits with (0, 0), (0, 1)...; every other table comes with its images under mu, so
only (m - 1) / s base tables are searched, depth first (10 x 4 for 13 rounds, a resolvable
(40, 4, 1) design, takes a second with a = 3 over Z_13).
"""

from __future__ import annotations

import argparse
import sys
from itertools import combinations, product
from pathlib import Path

from ortools.sat.python import cp_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

Orbit = tuple[int, int, int]  # (level a, level b, difference), with a <= b
Point = tuple[int, int]  # (x, level)


def orbit(m: int, p: Point, q: Point) -> Orbit:
    """The orbit of the pair {p, q} under the shift, as (level, level, difference).

    A person the shift leaves in place (x < 0) counts as a level of its own.
    """
    if p[0] < 0 or q[0] < 0:
        i, j = sorted(point[0] if point[0] < 0 else point[1] for point in (p, q))
        return (i, j, 0)
    (x, i), (y, j) = sorted([p, q], key=lambda point: (point[1], point[0]))
    d = (y - x) % m
    return (i, j, min(d, m - d)) if i == j else (i, j, d)


def find(
    g: int,
    s: int,
    rounds: int,
    m: int,
    seconds: float,
    still: int = 0,
    leave: frozenset[Orbit] = frozenset(),
) -> tuple | None:
    """(base rounds, fixed rounds) of a rotational design, or None within the time.

    ``still`` people are left in place by the shift: (-1, 0), (-2, 0)... (the last ones).
    The orbits in ``leave`` are never used (people who never meet, e.g. the groups of a
    group divisible design), and when given every other orbit is used exactly once.
    """
    levels = (g * s - still) // m
    if (g * s - still) % m or (rounds % m and (levels % s or still)):
        raise SystemExit(
            "the order must divide the people who move, s the levels for fixed rounds,"
            " and fixed rounds leave nobody in place"
        )
    whole, single = divmod(rounds, m)
    points = [(x, j) for j in range(levels) for x in range(m)]
    points += [(-1 - f, 0) for f in range(still)]
    model = cp_model.CpModel()
    seat = {
        (k, p, t): model.new_bool_var("") for k in range(whole) for p in points for t in range(g)
    }
    for k in range(whole):
        for p in points:
            model.add_exactly_one(seat[k, p, t] for t in range(g))
        for t in range(g):
            model.add(sum(seat[k, p, t] for p in points) == s)
    if whole:
        model.add(seat[0, (0, 0), 0] == 1)  # symmetry: the first person at the first table
    groups = levels // s
    # Fixed round f: level j belongs to group c, and in its group's base table it is x.
    member = {
        (f, j, c): model.new_bool_var("")
        for f in range(single)
        for j in range(levels)
        for c in range(groups)
    }
    pick = {
        (f, j, x): model.new_bool_var("")
        for f in range(single)
        for j in range(levels)
        for x in range(m)
    }
    for f in range(single):
        for j in range(levels):
            model.add_exactly_one(member[f, j, c] for c in range(groups))
            model.add_exactly_one(pick[f, j, x] for x in range(m))
        for c in range(groups):
            model.add(sum(member[f, j, c] for j in range(levels)) == s)
    uses: dict[Orbit, list] = {}
    for k in range(whole):
        for p, q in combinations(points, 2):
            o = orbit(m, p, q)
            # Two people left in place meet again at every shift; a half orbit is covered twice.
            half = o[0] == o[1] and 2 * o[2] == m
            weight = m if o[1] < 0 else 2 if half else 1
            for t in range(g):
                both = model.new_bool_var("")
                model.add_multiplication_equality(both, [seat[k, p, t], seat[k, q, t]])
                uses.setdefault(o, []).append(weight * both)
    for f in range(single):
        for i, j in combinations(range(levels), 2):
            together = model.new_bool_var("")
            model.add_max_equality(
                together, [_and(model, member[f, i, c], member[f, j, c]) for c in range(groups)]
            )
            for x in range(m):
                for y in range(m):
                    both = model.new_bool_var("")
                    model.add_multiplication_equality(
                        both, [pick[f, i, x], pick[f, j, y], together]
                    )
                    uses.setdefault(orbit(m, (x, i), (y, j)), []).append(both)
    for o, terms in uses.items():
        if o in leave:
            model.add(sum(terms) == 0)
        elif leave and o[1] >= 0 and not (o[0] == o[1] and 2 * o[2] == m):
            model.add(sum(terms) == 1)
        elif leave:
            model.add(sum(terms) == 0)
        else:
            model.add(sum(terms) <= 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        print(
            f"{g} x {s}, {rounds} rounds, order {m}: {solver.status_name(status)} after {seconds} s"
        )
        return None
    base_rounds = [
        [sorted(p for p in points if solver.value(seat[k, p, t])) for t in range(g)]
        for k in range(whole)
    ]
    fixed_rounds = [
        [
            [
                (next(x for x in range(m) if solver.value(pick[f, j, x])), j)
                for j in range(levels)
                if solver.value(member[f, j, c])
            ]
            for c in range(groups)
        ]
        for f in range(single)
    ]
    return m, base_rounds, fixed_rounds


def find_multiplier(g: int, s: int, m: int, a: int) -> tuple | None:
    """(base rounds, fixed rounds) of a design over Z_m x levels and one person in place,
    invariant under x -> x + 1 and mu: (x, level) -> (a * x, level + 1); None if none exists."""
    levels = s - 1
    if g * s != m * levels + 1 or pow(a, levels, m) != 1 or (m - 1) % s:
        raise SystemExit("needs g * s = m * (s - 1) + 1, a^(s - 1) = 1 mod m and s | m - 1")

    def mu(p: Point, t: int) -> Point:
        return ((p[0] * pow(a, t, m)) % m, (p[1] + t) % levels)

    def covered(table: list[Point]) -> list[Orbit]:
        images = [[mu(p, t) for p in table] for t in range(levels)]
        return [orbit(m, p, q) for image in images for p, q in combinations(image, 2)]

    still = [(-1, 0)] + [(0, j) for j in range(levels)]
    start = {orbit(m, p, q) for p, q in combinations(still, 2)}
    # The other people fall into m - 1 orbits of mu, each named by its member at level 0;
    # a base table takes one person from each of s orbits (its images then never overlap).
    names = list(range(1, m))

    def extend(left: list[int], used: set[Orbit], tables: list[list[Point]]) -> list | None:
        if not left:
            return tables
        first, rest = left[0], left[1:]
        for others in combinations(rest, s - 1):
            for steps in product(range(levels), repeat=s - 1):
                table = [(first, 0)] + [mu((x, 0), t) for x, t in zip(others, steps, strict=True)]
                new = covered(table)
                if len(set(new)) < len(new) or used.intersection(new):
                    continue
                remaining = [x for x in rest if x not in others]
                found = extend(remaining, used | set(new), [*tables, table])
                if found is not None:
                    return found
        return None

    tables = extend(names, start, [])
    if tables is None:
        print(f"{g} x {s}, order {m}, multiplier {a}: none")
        return None
    base = [still] + [[mu(p, t) for p in table] for table in tables for t in range(levels)]
    return m, [base], []


def _and(model: cp_model.CpModel, a: cp_model.IntVar, b: cp_model.IntVar) -> cp_model.IntVar:
    both = model.new_bool_var("")
    model.add_multiplication_equality(both, [a, b])
    return both


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tables", type=int)
    parser.add_argument("size", type=int)
    parser.add_argument("rounds", type=int)
    parser.add_argument("--order", type=int, help="the cyclic symmetry's order (default: tables)")
    parser.add_argument("--still", type=int, default=0, help="people the shift leaves in place")
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument(
        "--leave",
        default="",
        help="orbits never used, as level,level,difference separated by spaces; then every"
        " other orbit (the people left in place apart) is used exactly once",
    )
    parser.add_argument("--multiplier", type=int, help="also invariant under x -> a x, levels + 1")
    args = parser.parse_args()
    if args.multiplier:
        order = args.order or (args.tables * args.size - 1) // (args.size - 1)
        found = find_multiplier(args.tables, args.size, order, args.multiplier)
    else:
        order = args.order or args.tables
        leave: set[Orbit] = set()
        for item in args.leave.split():
            a, b, d = (int(v) for v in item.split(","))
            leave.add((a, b, d))
        found = find(
            args.tables, args.size, args.rounds, order, args.seconds, args.still, frozenset(leave)
        )
    if found is None:
        return
    from serendip.engines.mixer import designs

    designs.ROTATIONAL[(args.tables, args.size)] = found
    rounds = designs.rotational(args.tables, args.size)
    met: set[tuple[int, int]] = set()
    for tables in rounds:
        assert sorted(p for t in tables for p in t) == list(range(args.tables * args.size))
        for table in tables:
            for pair in combinations(sorted(table), 2):
                assert pair not in met, "a repeated pair: the search is wrong"
                met.add(pair)
    print(f"({args.tables}, {args.size}): {found!r},  # {len(rounds)} rounds, checked")


if __name__ == "__main__":
    main()
