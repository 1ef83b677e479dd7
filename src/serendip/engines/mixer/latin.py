"""Annealing over a Latin square: three rounds at g tables of g, in a dense room.

Each of the g x g cells (row, column) is a whole schedule: table ``row`` in round 1,
``column`` in round 2 and ``(row + column) mod g`` in round 3. Two cells share at most
one of the three tables (a Latin square), so no pair meets twice whoever holds which
cell; the cells nobody holds are the empty seats (fewer than the tables: none is ever
empty). Conversely every repeat-free seating of three rounds is a partial Latin square,
so little is lost. The annealing exchanges the contents of two cells (two people, or
someone and an empty seat), so every seating it visits keeps that rule, and prices each
exchange from running sums per table in a few look-ups.

Why: in a room this dense (the 34 members of the karate club at 6 tables of 6 meet 15 of
33 each) a swap within one round can hardly avoid repeating a pair of another round; the
tabu search reached 231 to 235 new pairs in 10 s, this annealing 236 to 238 (the bound
is 241, the optimum 240: bench/mixer_latin_proof.py). Used only where no design is known
(``solve``), with everyone at every round, no hosts and no together pairs (which a cell
could not honour), and people meeting a third of the room at least.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

import numpy as np

from serendip.engines.mixer.search import KNOWN, ROLE, Seats
from serendip.engines.mixer.types import Problem

# The three rounds at g tables of g, and the share of the room met at least (3(g - 1) of
# the others: g at most 8 when the room is full).
ROUNDS = 3
DENSITY = 1 / 3
# Temperatures, in new pairs, at the start and at the end (geometric in the time spent):
# tuned on the karate club at 6 tables of 6 (0.7 to 0.15; about 150,000 moves a second).
START_TEMPERATURE, END_TEMPERATURE = 0.7, 0.15
# How often (moves) the clock is read and the temperature lowered.
CLOCK_EVERY = 4096
# Runs from fresh starts, sharing the time.
RUNS = 2
# A known pair side by side takes a seat pair from the new ones: weighed 1 (not ``KNOWN``,
# a wall the annealing could not cross) the annealing counts new pairs only; the rules'
# order (known pairs apart before new pairs) is the tabu search's and the exact
# re-seating's, which continue from its seating.
KNOWN_WEIGHT = 1.0


def applies(problem: Problem) -> bool:
    """Whether the room is three rounds at g tables of g, dense, with everyone at every round,
    no hosts and no together pairs."""
    g, n = len(problem.tables), len(problem.people)
    return (
        problem.rounds == ROUNDS
        and set(problem.tables) == {g}
        and g * (g - 1) < n <= g * g
        and ROUNDS * (g - 1) >= DENSITY * (n - 1)
        and not problem.hosts
        and not problem.together
        and all(p.leaves_after is None for p in problem.people)
    )


def anneal(
    seats: Seats,
    *,
    floor: int,
    deadline: float,
    rng: random.Random,
    tick: Callable[[], None] | None = None,
    square: list[list[int]] | None = None,
) -> np.ndarray:
    """The best seating the annealing finds by ``deadline`` or once it costs ``floor`` (round by
    person → table; known pairs weigh ``KNOWN_WEIGHT``), never seating a pair twice. ``tick``,
    if given, is called every so often (the caller's progress report)."""
    g, n = len(seats.sizes), len(seats.ids)
    cells = g * g
    if square is None:
        square = [[(r + c) % g for c in range(g)] for r in range(g)]
    lines_of = [(r, g + c, 2 * g + square[r][c]) for r in range(g) for c in range(g)]
    in_line: list[list[int]] = [[] for _ in range(3 * g)]
    for cell, lines in enumerate(lines_of):
        for line in lines:
            in_line[line].append(cell)
    # The lines of a and not of b, and of b and not of a, for two cells a and b: a line
    # they share (at most one) keeps both.
    apart = [
        [
            (
                tuple(line for line in lines_of[a] if line not in lines_of[b]),
                tuple(line for line in lines_of[b] if line not in lines_of[a]),
            )
            for b in range(cells)
        ]
        for a in range(cells)
    ]
    # What sharing a table once costs, per pair (an empty seat costs nothing); cells hold
    # people 0..n-1 and empty seats n..cells-1. Known pairs weigh less than in ``Seats``:
    # the annealing crosses them, and the seating it hands over is weighed as usual.
    weight = np.zeros((cells, cells), dtype=np.float64)
    weight[:n, :n] = np.where(seats.static == KNOWN, KNOWN_WEIGHT, seats.static) - seats.new
    np.fill_diagonal(weight, 0)
    w: list[list[float]] = weight.tolist()
    bounded = len(seats.low)
    # Each holder's bounded role (-1: none, empty seats included), and per bounded role
    # what a table with c of them costs (never empty: fewer empty seats than tables).
    kind = [int(k) if k < bounded else -1 for k in seats.role] + [-1] * (cells - n)
    miss = [
        [ROLE * (max(0, int(lo) - c) + max(0, c - int(hi))) for c in range(g + 2)]
        for lo, hi in zip(seats.low, seats.high, strict=True)
    ]

    # Runs from fresh starts, each with its share of the time: on the karate dinner the best
    # of two runs of 4 s reached 237 to 238 in six trials, one run of 8 s 236 to 237.
    first = time.perf_counter()
    overall_cost, overall = math.inf, list(range(cells))
    for run in range(RUNS):
        if overall_cost <= floor:
            break
        run_deadline = first + (run + 1) * (deadline - first) / RUNS
        holder = list(range(cells))
        rng.shuffle(holder)
        cell_of = [0] * cells
        for cell, who in enumerate(holder):
            cell_of[who] = cell
        # gain[line][x]: what x costs with everyone at that line's table (x's own entry is 0).
        gain = [
            [sum(w[x][holder[c]] for c in in_line[line]) for x in range(cells)]
            for line in range(3 * g)
        ]
        counts = [[0] * bounded for _ in range(3 * g)]
        for line in range(3 * g):
            for c in in_line[line]:
                if kind[holder[c]] >= 0:
                    counts[line][kind[holder[c]]] += 1
        cost = sum(gain[line][holder[c]] for line in range(3 * g) for c in in_line[line]) / 2
        cost += sum(miss[k][counts[line][k]] for line in range(3 * g) for k in range(bounded))
        best_cost, best = cost, holder[:]
        started = time.perf_counter()
        span = max(1e-9, run_deadline - started)
        draws = np.random.default_rng(rng.randrange(2**32))
        while best_cost > floor:
            now = time.perf_counter()
            if now >= run_deadline:
                break
            if tick is not None:
                tick()
            temperature = START_TEMPERATURE * (END_TEMPERATURE / START_TEMPERATURE) ** (
                (now - started) / span
            )
            # A block of moves drawn at once: who moves, to which cell, and the worst cost
            # change each may accept (the Metropolis rule: delta <= -T log u).
            movers = draws.integers(0, n, CLOCK_EVERY).tolist()
            targets = draws.integers(0, cells, CLOCK_EVERY).tolist()
            limits = (-temperature * np.log(1.0 - draws.random(CLOCK_EVERY))).tolist()
            for x, b, limit in zip(movers, targets, limits, strict=True):
                a = cell_of[x]
                if a == b:
                    continue
                y = holder[b]
                only_a, only_b = apart[a][b]
                wxy = w[x][y]
                delta = 0.0
                for line in only_a:
                    gl = gain[line]
                    delta += gl[y] - wxy - gl[x]
                for line in only_b:
                    gl = gain[line]
                    delta += gl[x] - wxy - gl[y]
                kx, ky = kind[x], kind[y]
                if kx != ky:
                    # x leaves a's tables for b's, y the other way: only their roles' counts move.
                    for line in only_a:
                        if kx >= 0:
                            c = counts[line][kx]
                            delta += miss[kx][c - 1] - miss[kx][c]
                        if ky >= 0:
                            c = counts[line][ky]
                            delta += miss[ky][c + 1] - miss[ky][c]
                    for line in only_b:
                        if ky >= 0:
                            c = counts[line][ky]
                            delta += miss[ky][c - 1] - miss[ky][c]
                        if kx >= 0:
                            c = counts[line][kx]
                            delta += miss[kx][c + 1] - miss[kx][c]
                if delta > limit:
                    continue
                wx, wy = w[x], w[y]
                for line in only_a:
                    gain[line] = [v + p - q for v, p, q in zip(gain[line], wy, wx, strict=True)]
                    if kx >= 0:
                        counts[line][kx] -= 1
                    if ky >= 0:
                        counts[line][ky] += 1
                for line in only_b:
                    gain[line] = [v + p - q for v, p, q in zip(gain[line], wx, wy, strict=True)]
                    if ky >= 0:
                        counts[line][ky] -= 1
                    if kx >= 0:
                        counts[line][kx] += 1
                holder[a], holder[b] = y, x
                cell_of[x], cell_of[y] = b, a
                cost += delta
                if cost < best_cost - 1e-9:
                    best_cost, best = cost, holder[:]
        if best_cost < overall_cost:
            overall_cost, overall = best_cost, best
    seating = np.full((ROUNDS, n), -1, dtype=np.int64)
    for cell, who in enumerate(overall):
        if who < n:
            seating[:, who] = lines_of[cell][0], lines_of[cell][1] - g, lines_of[cell][2] - 2 * g
    return seating
