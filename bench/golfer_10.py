"""Check the stored designs of 10 tables of 5 to 9 and look for one round more.

Run: .venv/bin/python bench/golfer_10.py [--seconds S] [--cp-sat]

For each of 10 x 5 (``ITD_50``) and 10 x 6 to 10 x 9 (``STARTER_BLOCKS``): the rounds are
checked pair by pair, then

- 10 x 6 to 10 x 9: every further starter block is tried (one person of each residue
  modulo s, the residue-0 person fixed to 0 by a translation), exhaustively: a round
  left unchanged by x -> x + s must be the translates of such a block;
- all five: a depth-first search for any further round on the pairs never met (the
  lowest free person first, with table-mates who never met each other), stopped after
  ``--seconds``; with ``--cp-sat``, the same question to CP-SAT (one worker, a table for
  each person, two who met never at one table), which can also prove there is none.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from ortools.sat.python import cp_model

from serendip.engines.mixer.designs import (
    STARTER_BLOCKS,
    Rounds,
    starter_rounds,
    transversal_50,
)


def met(rounds: Rounds, people: int) -> set[tuple[int, int]]:
    """The pairs who met; fails if a round is not a partition or a pair meets twice."""
    pairs: set[tuple[int, int]] = set()
    for tables in rounds:
        assert sorted(p for t in tables for p in t) == list(range(people)), "not a partition"
        for t in tables:
            for pair in combinations(sorted(t), 2):
                assert pair not in pairs, f"{pair} meets twice"
                pairs.add(pair)
    return pairs


def further_starter_block(g: int, s: int, pairs: set[tuple[int, int]]) -> list[int] | None:
    """A starter block none of whose pairs met (the met pairs are closed under + s), or None."""
    v = g * s

    def extend(block: list[int]) -> list[int] | None:
        if len(block) == s:
            return block
        residue = len(block)
        for j in range(g):
            x = residue + s * j
            if all((min(x, y), max(x, y)) not in pairs for y in block):
                found = extend([*block, x])
                if found:
                    return found
        return None

    assert all(((a + s) % v, (b + s) % v) in pairs or ((b + s) % v, (a + s) % v) in pairs
               for a, b in pairs)  # fmt: skip
    return extend([0])


def further_round(pairs: set[tuple[int, int]], people: int, s: int, seconds: float) -> str:
    """'found', 'none' (the search was exhaustive) or 'gave up' after ``seconds``."""
    free_with = [0] * people
    for a in range(people):
        for b in range(people):
            if a != b and (min(a, b), max(a, b)) not in pairs:
                free_with[a] |= 1 << b
    deadline = time.perf_counter() + seconds

    def tables(candidates: int, size: int, chosen: list[int]) -> Iterator[list[int]]:
        if size == 0:
            yield chosen
            return
        while candidates:
            low = candidates & -candidates
            x = low.bit_length() - 1
            candidates ^= low
            yield from tables(candidates & free_with[x], size - 1, [*chosen, x])

    def seat(free: int) -> bool:
        if time.perf_counter() > deadline:
            raise TimeoutError
        if not free:
            return True
        x = (free & -free).bit_length() - 1
        for table in tables(free_with[x] & free, s - 1, [x]):
            if seat(free & ~sum(1 << y for y in table)):
                return True
        return False

    try:
        return "found" if seat((1 << people) - 1) else "none"
    except TimeoutError:
        return "gave up"


def further_round_cp_sat(pairs: set[tuple[int, int]], people: int, s: int, seconds: float) -> str:
    """CP-SAT's answer: 'found', 'none' (proved) or 'gave up' after ``seconds``."""
    g = people // s
    model = cp_model.CpModel()
    at = {(p, t): model.new_bool_var("") for p in range(people) for t in range(g)}
    for p in range(people):
        model.add_exactly_one(at[p, t] for t in range(g))
    for t in range(g):
        model.add(sum(at[p, t] for p in range(people)) == s)
        for a, b in pairs:
            model.add_bool_or([at[a, t].Not(), at[b, t].Not()])
    model.add(at[0, 0] == 1)  # the tables are interchangeable
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(model)
    answer = {cp_model.OPTIMAL: "found", cp_model.FEASIBLE: "found", cp_model.INFEASIBLE: "none"}
    return f"{answer.get(status, 'gave up')} ({solver.wall_time:.0f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--cp-sat", action="store_true", help="ask CP-SAT for the round too")
    args = parser.parse_args()
    designs = [(5, transversal_50())] + [(s, starter_rounds(10, s)) for s in (6, 7, 8, 9)]
    for s, rounds in designs:
        pairs = met(rounds, 10 * s)
        line = f"10 x {s}: {len(rounds)} rounds, {len(pairs)} pairs, none twice"
        if (10, s) in STARTER_BLOCKS:
            line += f"; a further starter block: {further_starter_block(10, s, pairs)}"
        line += f"; a further round: {further_round(pairs, 10 * s, s, args.seconds)}"
        if args.cp_sat:
            line += f"; CP-SAT: {further_round_cp_sat(pairs, 10 * s, s, args.seconds)}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
