"""Search for 9 tables of 4 for 11 rounds: a resolvable 4-GDD of type 3^12, the base round
in ``mixer.designs.ROTATIONAL[(9, 4)]``.

Run: .venv/bin/python bench/golfer_9_4.py [--all]

People are Z_11 x {0, 1, 2} and three people inf_0, inf_1, inf_2 whom the shift
x -> x + 1 leaves in place. The groups, the people who never meet, are {x} x {0, 1, 2}
(one per x) and {inf_0, inf_1, inf_2}: everyone else meets exactly once, 33 people in 11
rounds of 3. One base round is shifted 11 times; it must use every person once, and its
pairs must cover every orbit of pairs once: between levels i < j every difference
y - x but 0 once, within a level every difference +-d once, and inf_k sits with one
person per level.

Counting pairs forces the level counts of the six tables without inf: (3, 0, 1), (1, 3, 0),
(0, 1, 3), (2, 2, 0), (2, 0, 2), (0, 2, 2) (up to renaming the levels). An exhaustive C
search over every base round of that shape (``bench/golfer_9_4_exact.c``; inf_0's person
at level 0 fixed to 0 by a shift) took 30 s and found 60, every one left unchanged by
(x, level) -> (x, level + 1) with the infs rotated too: 30 by rho, inf_k -> inf_(k+1), the
other 30 (the same after swapping inf_1 and inf_2) by inf_k -> inf_(k-1). Under rho the
base round is three base tables and their images:
    {inf_0, (0, 0), (a, 1), (b, 2)}, {(p, 0), (q, 0), (r, 0), (s, 2)},
    {(u, 0), (v, 0), (w, 1), (z, 1)},
and level 0 must hold {0, a, b, p, q, r, s, u, v, w, z} = Z_11. This script searches that
family exhaustively (90 x 1680 candidates, 7 s for all of them), checks each base round found
by shifting it into the 11 rounds, and prints the first (or, with --all, counts them).

SA on the base round (minimising repeated differences, swaps within a level) stalled at
one repeated difference in two minutes, and CP-SAT orbit searches over Z_11 and Z_9
(``bench/designs.py``) found nothing in 20 minutes: the exact search is what worked.
"""

from __future__ import annotations

import argparse
from itertools import combinations

M = 11
Point = tuple[int, int]  # (x in Z_11, level); x < 0 is inf_(-1 - x), left in place


def rho(p: Point) -> Point:
    """The level rotation: (x, level) -> (x, level + 1), inf_k -> inf_(k+1)."""
    x, level = p
    return (-1 - (-x) % 3, 0) if x < 0 else (x, (level + 1) % 3)


def base_round(tables: list[list[Point]]) -> list[list[Point]]:
    """The three base tables and their images under rho and rho^2."""
    result = []
    for table in tables:
        for _ in range(3):
            result.append(table)
            table = [rho(p) for p in table]
    return result


def orbits_once(tables: list[list[Point]]) -> bool:
    """Whether the pairs of the base round cover every orbit of pairs at most once (no group)."""
    seen: set[tuple[int, int, int]] = set()
    for table in tables:
        for (x, i), (y, j) in combinations(sorted(p for p in table if p[0] >= 0), 2):
            if i == j:
                d = (y - x) % M
                orbit = (i, i, min(d, M - d))
            else:
                (x, i), (y, j) = sorted([(x, i), (y, j)], key=lambda p: p[1])
                orbit = (i, j, (y - x) % M)
                if orbit[2] == 0:  # the same x: one group
                    return False
            if orbit in seen:
                return False
            seen.add(orbit)
    return True


def develop(tables: list[list[Point]]) -> list[list[list[int]]]:
    """The 11 rounds: person (x, level) is level * 11 + x, inf_k is 33 + k."""

    def person(p: Point, shift: int) -> int:
        x, level = p
        return 33 + (-1 - x) if x < 0 else level * M + (x + shift) % M

    return [[[person(p, shift) for p in table] for table in tables] for shift in range(M)]


def check(rounds: list[list[list[int]]]) -> None:
    """Every round seats the 36 people once at 9 tables of 4; no pair meets twice."""
    met: set[tuple[int, int]] = set()
    for tables in rounds:
        assert sorted(p for t in tables for p in t) == list(range(36))
        assert len(tables) == 9 and all(len(t) == 4 for t in tables)
        for t in tables:
            for pair in combinations(sorted(t), 2):
                assert pair not in met, pair
                met.add(pair)
    assert len(met) == 36 * 35 // 2 - 12 * 3  # only the 12 groups of three never meet


def search(stop_at_first: bool) -> list[list[list[Point]]]:
    """Every base round of the rho-invariant shape, or the first one."""
    found = []
    for a in range(M):
        for b in range(1, M):
            if len({0, a, b}) < 3:
                continue
            rest = [x for x in range(1, M) if x not in (a, b)]
            for pqr in combinations(rest, 3):
                left = [x for x in rest if x not in pqr]
                for s in left:
                    four = [x for x in left if x != s]
                    for uv in combinations(four, 2):
                        wz = [x for x in four if x not in uv]
                        tables = base_round(
                            [
                                [(-1, 0), (0, 0), (a, 1), (b, 2)],
                                [(pqr[0], 0), (pqr[1], 0), (pqr[2], 0), (s, 2)],
                                [(uv[0], 0), (uv[1], 0), (wz[0], 1), (wz[1], 1)],
                            ]
                        )
                        if orbits_once(tables):
                            check(develop(tables))
                            found.append(tables)
                            if stop_at_first:
                                return found
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all", action="store_true", help="count every base round")
    args = parser.parse_args()
    found = search(stop_at_first=not args.all)
    print(f"{len(found)} base rounds found")
    if found:
        print("first:", found[0])


if __name__ == "__main__":
    main()
