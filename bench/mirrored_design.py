"""Search for the mirrored design of 8 tables of 4 for 10 rounds in ``mixer.designs.MIRRORED_8_4``.

Run: .venv/bin/python bench/mirrored_design.py [--seconds S] [--seed N]

The 32 people come in 16 couples (2i, 2i + 1) who never meet; everyone else meets
exactly once in 10 rounds (a resolvable 4-GDD of type 2^16). Every round is taken
to be its own mirror image: four base tables, and the four tables of their partners.
A base table picks four couples and one side of each, so the search works on
couples: every two couples share a table in exactly two rounds (a resolvable
2-(16, 4, 2) design), once on the same side — meeting 2i with 2j and 2i + 1 with
2j + 1 — and once across. CP-SAT finds one in about 20 s. Prints the base tables
to paste, after checking the 32-person seating.
"""

from __future__ import annotations

import argparse
from itertools import combinations

from ortools.sat.python import cp_model

COUPLES, TABLES, ROUNDS = 16, 4, 10  # base tables per round; each has a mirror


def find(seconds: float, seed: int) -> list[list[list[int]]] | None:
    """Ten rounds of four base tables of people (2 * couple + side), or None in the time."""
    model = cp_model.CpModel()
    at = {
        (r, c, t): model.new_bool_var("")
        for r in range(ROUNDS)
        for c in range(COUPLES)
        for t in range(TABLES)
    }
    side = {(r, c): model.new_bool_var("") for r in range(ROUNDS) for c in range(COUPLES)}
    for r in range(ROUNDS):
        for c in range(COUPLES):
            model.add_exactly_one(at[r, c, t] for t in range(TABLES))
        for t in range(TABLES):
            model.add(sum(at[r, c, t] for c in range(COUPLES)) == 4)
    # Symmetry: the first round seats couples in order on side 0 (relabelling each
    # couple's sides); couple 0 takes base table 0 on side 0 in every round (a table
    # and its mirror are the same two tables).
    for c in range(COUPLES):
        model.add(at[0, c, c // 4] == 1)
        model.add(side[0, c] == 0)
    for r in range(1, ROUNDS):
        model.add(at[r, 0, 0] == 1)
        model.add(side[r, 0] == 0)
    for c, d in combinations(range(COUPLES), 2):
        together, same = [], []
        for r in range(ROUNDS):
            shared = []
            for t in range(TABLES):
                both = model.new_bool_var("")
                model.add_multiplication_equality(both, [at[r, c, t], at[r, d, t]])
                shared.append(both)
            meet = model.new_bool_var("")
            model.add(sum(shared) == meet)
            equal = model.new_bool_var("")  # same side: the xor of all three is 1
            model.add_bool_xor([side[r, c], side[r, d], equal])
            both_same = model.new_bool_var("")
            model.add_multiplication_equality(both_same, [meet, equal])
            together.append(meet)
            same.append(both_same)
        model.add(sum(together) == 2)
        model.add(sum(same) == 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        print(f"{solver.status_name(status)} after {solver.wall_time:.1f} s")
        return None
    return [
        [
            sorted(
                2 * c + solver.value(side[r, c])
                for c in range(COUPLES)
                if solver.value(at[r, c, t])
            )
            for t in range(TABLES)
        ]
        for r in range(ROUNDS)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    base = find(args.seconds, args.seed)
    if base is None:
        return
    met: set[tuple[int, int]] = set()
    for tables in base:
        seating = [*tables, *([p ^ 1 for p in table] for table in tables)]
        assert sorted(p for table in seating for p in table) == list(range(32))
        for table in seating:
            for pair in combinations(sorted(table), 2):
                assert pair not in met, "a repeated pair: the search is wrong"
                met.add(pair)
    assert len(met) == 32 * 31 // 2 - 16
    print(f"MIRRORED_8_4 = {base!r}  # checked: every pair once but the 16 couples")


if __name__ == "__main__":
    main()
