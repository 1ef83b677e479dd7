"""The karate club at 6 tables of 6 over 3 rotations: no seating keeping every rule and role
bound reaches 241 new pairs (the mixer's bound), proved over the 22 Latin squares of order 6
(``--case abb0``); ``--case abb1 --first 1`` finds one of 240, so 240 is the optimum.

Run: .venv/bin/python bench/mixer_latin_proof.py [--case abb0 | abb1 | bbb0] [--seconds 600]
[--witness]  (``--witness``: the model accepts the best seating known, 240 new pairs, with
its one acquaintance pair allowed, and refuses it with none: a check of the model itself)

The argument (docs/benchmarks.md, "The gap that stays"):

1. 34 people at 6 tables of 6: a round is five tables of 6 and one of 4 (81 pairs, "A") or
   four of 6 and two of 5 (80 pairs, "B"); two rounds cannot both be A without a pair
   meeting twice (``measure._two_rounds_bound``). With no pair twice and colleagues apart,
   the new pairs are the pairs seated (241 at most: A, B, B) less the acquaintances side by
   side. 241 needs rounds A, B, B and no acquaintance side by side (``--case abb0``); 240
   needs A, B, B and one acquaintance pair side by side (``abb1``) or B, B, B and none
   (``bbb0``).
2. Three rounds meeting nobody twice are a partial Latin square of order 6: each person is
   the cell (their table in one round, their table in another) holding their table in the
   third as symbol; two people share at most one of the three. Take the A round as rows:
   its two empty cells lie in one row, the two symbols missing from that row appear five
   times each, so each misses exactly one column, which can only be an empty cell's: the
   square completes. Every A, B, B seating is a Latin square with two cells of a row empty.
   (A B, B, B seating completes when the symbol a row with an empty cell misses is the one
   its column misses; ``bbb0`` covers only those.)
3. Relabelling the tables of a round changes nothing (isotopy). Order 6 has 22 isotopy
   classes (McKay, Meynert and Myrvold 2007, J. Combin. Designs 15, 98-119); the 9408
   reduced squares are enumerated here and one kept per value of an isotopy invariant
   (the transversals, then per row, column and symbol the cycle types of the permutations
   to every other one, and the intercalates through each cell); it takes 22 values, so
   one square per class exactly.
4. Per class, CP-SAT (one worker): people to cells, the empty cells as the case says,
   colleagues and acquaintances never in one line (row, column or symbol), 1 or 2
   sponsors per line. INFEASIBLE for every class proves the case impossible. abb1 goes
   through a core: the acquaintance pairs whose apartness alone leaves no seating (if the
   one pair side by side is not among them they are all apart); then, for each of them,
   that pair side by side and every other one apart.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from itertools import permutations
from pathlib import Path

from ortools.sat.python import cp_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.social_graphs import BEST_SEATINGS, graph_dinner

from serendip.engines.mixer import parse_problem

ORDER = 6
Square = list[list[int]]


def reduced_squares(g: int = ORDER) -> list[Square]:
    """Every Latin square of order g with its first row and column in order (9408 for 6)."""
    square: list[list[int]] = [[-1] * g for _ in range(g)]
    for i in range(g):
        square[0][i] = square[i][0] = i
    found: list[Square] = []

    def fill(cell: int) -> None:
        if cell == g * g:
            found.append([row[:] for row in square])
            return
        r, c = divmod(cell, g)
        if r == 0 or c == 0:
            fill(cell + 1)
            return
        for s in range(g):
            if all(square[r][k] != s for k in range(c)) and all(
                square[k][c] != s for k in range(r)
            ):
                square[r][c] = s
                fill(cell + 1)
                square[r][c] = -1

    fill(0)
    return found


def _cycle_type(perm: list[int]) -> tuple[int, ...]:
    """The sorted cycle lengths of a permutation."""
    seen, lengths = [False] * len(perm), []
    for start in range(len(perm)):
        length, i = 0, start
        while not seen[i]:
            seen[i], i, length = True, perm[i], length + 1
        if length:
            lengths.append(length)
    return tuple(sorted(lengths))


def invariant(square: Square) -> tuple[object, ...]:
    """Unchanged by permuting rows, columns and symbols: the transversals; per row (column,
    symbol) the cycle types of the permutations leading to each other one; the intercalates
    (2 x 2 Latin subsquares) through each cell of every row, column and symbol."""
    g = len(square)
    cells = [(r, c, square[r][c]) for r in range(g) for c in range(g)]
    transversals = sum(
        1 for p in permutations(range(g)) if len({square[r][p[r]] for r in range(g)}) == g
    )
    profiles = []
    for axis, other, third in ((0, 1, 2), (1, 0, 2), (2, 0, 1)):
        at = {(cell[axis], cell[other]): cell[third] for cell in cells}
        per_value = []
        for u in range(g):
            types = []
            for v in range(g):
                if v == u:
                    continue
                back = {at[v, b]: b for b in range(g)}
                types.append(_cycle_type([back[at[u, b]] for b in range(g)]))
            per_value.append(tuple(sorted(types)))
        profiles.append(tuple(sorted(per_value)))
    through: Counter[tuple[int, int]] = Counter()
    for r1 in range(g):
        for r2 in range(r1 + 1, g):
            for c1 in range(g):
                for c2 in range(c1 + 1, g):
                    if square[r1][c1] == square[r2][c2] and square[r1][c2] == square[r2][c1]:
                        for cell in ((r1, c1), (r1, c2), (r2, c1), (r2, c2)):
                            through[cell] += 1
    lines = [
        tuple(
            sorted(
                tuple(sorted(through[cell[0], cell[1]] for cell in cells if cell[k] == v))
                for v in range(g)
            )
        )
        for k in range(3)
    ]
    return (transversals, *profiles, *lines)


def isotopy_classes() -> list[Square]:
    """One Latin square of order 6 per isotopy class (22)."""
    representatives: dict[tuple[object, ...], Square] = {}
    for square in reduced_squares():
        representatives.setdefault(invariant(square), square)
    assert len(representatives) == 22, len(representatives)  # the known count: one per class
    return list(representatives.values())


def karate() -> tuple[list[str], set[tuple[int, int]], set[tuple[int, int]], list[int]]:
    """The benchmark dinner's people, colleague pairs, acquaintance pairs (not colleagues) and
    sponsors, by index."""
    problem = parse_problem(graph_dinner("karate club", copies=1, table_size=6, rounds=3))
    ids = [p.id for p in problem.people]
    index = {person: i for i, person in enumerate(ids)}

    def indexed(pairs: frozenset[tuple[str, str]]) -> set[tuple[int, int]]:
        return {(min(index[a], index[b]), max(index[a], index[b])) for a, b in pairs}

    colleagues = indexed(problem.colleagues)
    known = indexed(problem.known_pairs) - colleagues
    sponsors = [i for i, p in enumerate(problem.people) if p.role == "sponsor"]
    return ids, colleagues, known, sponsors


def model(
    square: Square,
    case: str,
    *,
    fixed: dict[int, int] | None = None,
    allowed: int = 0,
    free: tuple[int, int] | None = None,
    assumed: list[tuple[tuple[int, int], cp_model.IntVar]] | None = None,
) -> cp_model.CpModel:
    """People to the cells of ``square`` (rows: round 1, columns: round 2, symbols: round 3)
    with two cells empty as ``case`` says (abb: in one row; bbb: in two rows, columns and
    symbols), every rule and role bound kept and acquaintances apart; ``fixed`` seats
    people (index → cell), ``allowed`` lets so many acquaintance pairs sit together (the
    witness check), ``free`` lets that pair sit together, and with ``assumed`` (filled
    here) each pair's apartness hangs on an assumption literal (for a core)."""
    ids, colleagues, known, sponsors = karate()
    g, n = len(square), len(ids)
    cells = [(r, c) for r in range(g) for c in range(g)]
    lines = [
        [k for k, (r, c) in enumerate(cells) if (r, c, square[r][c])[axis] == value]
        for axis in range(3)
        for value in range(g)
    ]
    m = cp_model.CpModel()
    at = {(i, k): m.new_bool_var(f"at{i}_{k}") for i in range(n) for k in range(g * g)}
    empty = [m.new_bool_var(f"empty{k}") for k in range(g * g)]
    for i in range(n):
        m.add_exactly_one(at[i, k] for k in range(g * g))
    for i, k in (fixed or {}).items():
        m.add(at[i, k] == 1)
    for k in range(g * g):
        m.add_exactly_one([empty[k]] + [at[i, k] for i in range(n)])
    if case == "abb":
        # Round 1 (rows) is the A round: both empty cells in one row.
        row = [m.new_bool_var(f"row{r}") for r in range(g)]
        m.add_exactly_one(row)
        for r in range(g):
            m.add(sum(empty[k] for k in lines[r]) == 2 * row[r])
    else:
        # B, B, B, completing: the empty cells in two rows, two columns, two symbols.
        for line in lines:
            m.add(sum(empty[k] for k in line) <= 1)
    inside = {}
    for li, line in enumerate(lines):
        for i in range(n):
            inside[i, li] = m.new_bool_var(f"in{i}_{li}")
            m.add(inside[i, li] == sum(at[i, k] for k in line))
        of_role = sum(inside[i, li] for i in sponsors)
        m.add(of_role >= 1)
        m.add(of_role <= 2)
        for a, b in colleagues:
            m.add_at_most_one([inside[a, li], inside[b, li]])
    together = []
    for a, b in sorted(known):
        if (a, b) == free:
            continue
        if assumed is not None:
            apart = m.new_bool_var(f"apart{a}_{b}")
            assumed.append(((a, b), apart))
            for li in range(len(lines)):
                m.add(inside[a, li] + inside[b, li] <= 1).only_enforce_if(apart)
            continue
        for li in range(len(lines)):
            if allowed:
                both = m.new_bool_var(f"both{a}_{b}_{li}")
                m.add_bool_or([inside[a, li].Not(), inside[b, li].Not(), both])
                together.append(both)
            else:
                m.add_at_most_one([inside[a, li], inside[b, li]])
    if together:
        m.add(sum(together) <= allowed)
    if assumed:
        m.add_assumptions([literal for _pair, literal in assumed])
    return m


def _solve(m: cp_model.CpModel, seconds: float) -> tuple[cp_model.CpSolver, str]:
    """CP-SAT on one worker within ``seconds``, and its status's name."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    return solver, solver.status_name(solver.solve(m))


def _found(m: cp_model.CpModel, solver: cp_model.CpSolver, square: Square) -> str:
    """The seating CP-SAT found, in the compact form of ``BEST_SEATINGS`` (rounds of tables)."""
    ids = karate()[0]
    g = len(square)
    variables = {v.name: i for i, v in enumerate(m.proto.variables)}
    tables: list[list[list[str]]] = [[[] for _ in range(g)] for _ in range(3)]
    for i, person in enumerate(ids):
        for k in range(g * g):
            if solver.value(m.get_bool_var_from_proto_index(variables[f"at{i}_{k}"])):
                r, c = divmod(k, g)
                for round_, table in enumerate((r, c, square[r][c])):
                    tables[round_][table].append(person.split(":")[1])
    return "\n".join(" | ".join(" ".join(t) for t in round_) for round_ in tables)


def one_pair(square: Square, seconds: float) -> str:
    """Whether A, B, B with exactly one acquaintance pair side by side is impossible on this
    square ("proved"), possible ("found", the seating printed: 240 new pairs) or undecided:
    first a core, acquaintance pairs whose apartness alone leaves no seating (if the pair
    side by side is not one of them, they are all apart: impossible); then each pair of
    the core side by side, every other one apart."""
    ids = karate()[0]
    assumed: list[tuple[tuple[int, int], cp_model.IntVar]] = []
    first, status = _solve(model(square, "abb", assumed=assumed), seconds)
    if status != "INFEASIBLE":
        return "undecided"
    by_index = {literal.index: pair for pair, literal in assumed}
    core = [by_index[i] for i in first.sufficient_assumptions_for_infeasibility()]
    print(f"  core of {len(core)} acquaintance pairs ({first.wall_time:.1f} s)", flush=True)
    verdict = "proved"
    for pair in core:
        m = model(square, "abb", free=pair)
        solver, status = _solve(m, seconds)
        members = " and ".join(ids[i].split(":")[1] for i in pair)
        print(f"  members {members} side by side: {status} ({solver.wall_time:.1f} s)", flush=True)
        if status in ("OPTIMAL", "FEASIBLE"):
            print(_found(m, solver, square), flush=True)
            return "found"
        if status != "INFEASIBLE":
            verdict = "undecided"
    return verdict


def witness() -> tuple[Square, dict[int, int]]:
    """The best seating known as a square with its A round as rows, and who holds which cell."""
    ids, _colleagues, _known, _sponsors = karate()
    index = {person: i for i, person in enumerate(ids)}
    seating, _new_pairs = BEST_SEATINGS[("karate club", 1, 6, 3)]
    a_round = next(r for r, tables in enumerate(seating) if min(map(len, tables)) == 4)
    order = [a_round, *(r for r in range(3) if r != a_round)]
    table = {
        (r, person): t
        for r, tables in enumerate(seating)
        for t, people in enumerate(tables)
        for person in people
    }
    square: list[list[int]] = [[-1] * ORDER for _ in range(ORDER)]
    fixed = {}
    for person in ids:
        row, column, symbol = (table[r, person] for r in order)
        square[row][column] = symbol
        fixed[index[person]] = row * ORDER + column
    # The two empty cells of the A round's row take the two symbols that row misses.
    for row in square:
        missing = [s for s in range(ORDER) if s not in row]
        for c in range(ORDER):
            if row[c] < 0:
                column = {square[r][c] for r in range(ORDER)}
                row[c] = next(s for s in missing if s not in column)
                missing.remove(row[c])
    return square, fixed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", choices=("abb0", "abb1", "bbb0"), default="abb0")
    parser.add_argument("--seconds", type=float, default=600.0, help="per CP-SAT run")
    parser.add_argument("--first", type=int, default=0, help="start at this class")
    parser.add_argument("--witness", action="store_true", help="check the model on the 240")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.witness:
        square, fixed = witness()
        for allowed in (1, 0):
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            status = solver.solve(model(square, "abb", fixed=fixed, allowed=allowed))
            print(
                f"the best seating known, {allowed} acquaintance pairs allowed: "
                f"{solver.status_name(status)}"
            )
        return
    classes = isotopy_classes()
    print(f"{len(classes)} isotopy classes in {time.perf_counter() - started:.0f} s", flush=True)
    proved = True
    for number, square in enumerate(classes):
        if number < args.first:
            continue
        if args.case == "abb1":
            print(f"class {number}:", flush=True)
            verdict = one_pair(square, args.seconds)
            if verdict == "found":
                print("abb1: a seating with 240 new pairs exists (above)")
                return
            proved &= verdict == "proved"
            continue
        solver, status = _solve(model(square, args.case[:3]), args.seconds)
        proved &= status == "INFEASIBLE"
        print(f"class {number}: {status} ({solver.wall_time:.1f} s)", flush=True)
    verdict = "no such seating (proved)" if proved else "not proved"
    print(f"{args.case}: {verdict}; {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
