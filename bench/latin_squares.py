"""Search for the two orthogonal Latin squares of order 10 in ``mixer.designs.LATIN_10``.

Run: .venv/bin/python bench/latin_squares.py [--seed N]

Parker's way: take a Latin square, list all its transversals (one cell per row and
per column, every symbol once) by depth-first search, then pick 10 of them that
cover every cell exactly once (CP-SAT): numbering the chosen transversals gives an
orthogonal mate. Many squares have none, so the seed picks another square until one
does (CP-SAT draws the square from random hints). Prints both squares to paste.
"""

from __future__ import annotations

import argparse
import random

from ortools.sat.python import cp_model

N = 10
Square = list[list[int]]


def latin_square(seed: int) -> Square:
    """A Latin square of order N, first row 0..N-1, drawn by CP-SAT from random hints."""
    rng = random.Random(seed)
    model = cp_model.CpModel()
    cell = [[model.new_int_var(0, N - 1, "") for _ in range(N)] for _ in range(N)]
    for i in range(N):
        model.add_all_different(cell[i])
        model.add_all_different([cell[k][i] for k in range(N)])
        model.add(cell[0][i] == i)
    for row in cell[1:]:
        for var in row:
            model.add_hint(var, rng.randrange(N))
    solver = cp_model.CpSolver()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1
    solver.solve(model)
    return [[solver.value(var) for var in row] for row in cell]


def transversals(square: Square) -> list[tuple[int, ...]]:
    """Every transversal of the square, as the column chosen in each row."""
    found: list[tuple[int, ...]] = []

    def extend(row: int, columns: int, symbols: int, path: list[int]) -> None:
        if row == N:
            found.append(tuple(path))
            return
        for c in range(N):
            if not (columns >> c) & 1 and not (symbols >> square[row][c]) & 1:
                path.append(c)
                extend(row + 1, columns | 1 << c, symbols | 1 << square[row][c], path)
                path.pop()

    extend(0, 0, 0, [])
    return found


def mate(square: Square, seconds: float) -> Square | None:
    """An orthogonal mate of the square: N disjoint transversals numbered 0..N-1, or None."""
    found = transversals(square)
    model = cp_model.CpModel()
    chosen = [model.new_bool_var("") for _ in found]
    cells: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for var, transversal in zip(chosen, found, strict=True):
        for row, column in enumerate(transversal):
            cells.setdefault((row, column), []).append(var)
    if len(cells) < N * N:
        return None  # a cell on no transversal
    for options in cells.values():
        model.add_exactly_one(options)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    result = [[0] * N for _ in range(N)]
    picked = [t for var, t in zip(chosen, found, strict=True) if solver.value(var)]
    for symbol, transversal in enumerate(picked):
        for row, column in enumerate(transversal):
            result[row][column] = symbol
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    seed = args.seed
    while True:
        square = latin_square(seed)
        other = mate(square, args.seconds)
        if other is not None:
            break
        print(f"seed {seed}: no mate found")
        seed += 1
    pairs = {(square[i][j], other[i][j]) for i in range(N) for j in range(N)}
    assert len(pairs) == N * N, "the search is wrong"
    print(f"seed {seed}; LATIN_10 = (")
    for name, rows in (("first", square), ("second", other)):
        print(f"    [  # the {name} square")
        for row in rows:
            print(f'        "{"".join(map(str, row))}",')
        print("    ],")
    print(")  # checked: orthogonal")


if __name__ == "__main__":
    main()
