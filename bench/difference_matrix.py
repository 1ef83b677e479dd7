"""Search for the difference matrix of order 12 in ``mixer.designs.DIFFERENCE_12``.

Run: .venv/bin/python bench/difference_matrix.py [ROWS] [--seconds S]

A (12, k; 1) difference matrix over a group G of order 12 is k rows of 12 elements
such that, between any two rows, the 12 differences column by column are all of G.
Over Z_6 x Z_2 (element k is (k % 6, k // 6)) CP-SAT finds 6 rows in seconds; a
cyclic group of even order, Z_12 among them, has none with three rows or more. The
first row and column are fixed to zero and the second row sorted, which loses no
solution: adding a constant to a row or a column, or permuting columns, keeps the
differences distinct. Prints the matrix to paste.
"""

from __future__ import annotations

import argparse
from itertools import combinations

from ortools.sat.python import cp_model

ORDER = 12


def minus(a: int, b: int) -> int:
    """a - b in Z_6 x Z_2."""
    return (a % 6 - b % 6) % 6 + 6 * ((a // 6 - b // 6) % 2)


def find(rows: int, seconds: float) -> list[list[int]] | None:
    """A difference matrix with ``rows`` rows over Z_6 x Z_2, or None within the time."""
    model = cp_model.CpModel()
    cell = [[model.new_int_var(0, ORDER - 1, "") for _ in range(ORDER)] for _ in range(rows)]
    for c in range(ORDER):
        model.add(cell[0][c] == 0)
    for r in range(rows):
        model.add(cell[r][0] == 0)
    if rows > 1:
        for c in range(ORDER - 1):
            model.add(cell[1][c] < cell[1][c + 1])
    table = [minus(a, b) for a in range(ORDER) for b in range(ORDER)]
    for upper, lower in combinations(range(rows), 2):
        differences = []
        for c in range(ORDER):
            at = model.new_int_var(0, ORDER * ORDER - 1, "")
            model.add(at == ORDER * cell[upper][c] + cell[lower][c])
            difference = model.new_int_var(0, ORDER - 1, "")
            model.add_element(at, table, difference)
            differences.append(difference)
        model.add_all_different(differences)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        print(f"{rows} rows: {solver.status_name(status)} after {solver.wall_time:.1f} s")
        return None
    return [[solver.value(cell[r][c]) for c in range(ORDER)] for r in range(rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int, nargs="?", default=6)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    matrix = find(args.rows, args.seconds)
    if matrix is None:
        return
    for upper, lower in combinations(matrix, 2):
        differences = sorted(minus(a, b) for a, b in zip(upper, lower, strict=True))
        assert differences == list(range(ORDER)), "the search is wrong"
    print("DIFFERENCE_12 = [")
    for row in matrix:
        print(f"    {row},")
    print("]  # checked")


if __name__ == "__main__":
    main()
