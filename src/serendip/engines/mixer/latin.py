"""Tabu search over a Latin square: three rounds at g tables of g, in a dense room.

Each of the g x g cells (row, column) is a whole schedule: table ``row`` in round 1,
``column`` in round 2 and the square's symbol there in round 3. Two cells share at most
one of the three tables (a Latin square), so no pair meets twice whoever holds which
cell; the cells nobody holds are the empty seats (fewer than the tables: none is ever
empty). Conversely every repeat-free seating of three rounds is a partial Latin square,
so little is lost. A move exchanges the contents of two cells (two people, or someone
and an empty seat), so every seating visited keeps that rule.

Each step prices every exchange at once (numpy: one product of the cells-share-a-table
matrix with the holders' pair costs gives what each holder would cost at each cell) and
makes the best one not forbidden (a tabu search: a holder may not go back to a cell it
left for a while, unless that beats the best seating found), and restarts from the best
seating, a few cells shaken, when a long stall finds nothing better.

Why: in a room this dense (the 34 members of the karate club at 6 tables of 6 meet 15 of
33 each) a swap within one round can hardly avoid repeating a pair of another round; the
tabu search on swaps within a round reached 231 to 235 new pairs in 10 s, a simulated
annealing over the cells 236 to 238 (238 about one run in five); this search reaches 238
in 0.5 CPU s on average, at about 30 000 steps a CPU second (the slowest of 240 starts
2.3 s; the bound is 241, the optimum 240: bench/mixer_latin_proof.py). Which Latin
square (the cyclic one by default) barely matters: over the 22 isotopy classes of order
6 the annealing reached 236 to 238 alike, and this search 237.5 on average on the class
of the 240 seating against 237.9 on the cyclic one (4 CPU s). Used only where no design
is known (``solve``), with everyone at every round, no hosts and no together pairs (which
a cell could not honour), and people meeting a third of the room at least.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

import numpy as np

from serendip.engines.mixer.search import HARD, KNOWN, Seats
from serendip.engines.mixer.types import Problem

# The three rounds at g tables of g, and the share of the room met at least (3(g - 1) of
# the others: g at most 8 when the room is full).
ROUNDS = 3
DENSITY = 1 / 3
# A known pair side by side takes a seat pair from the new ones: weighed 1 (not ``KNOWN``)
# the search counts new pairs only; the rules' order (known pairs apart before new pairs)
# is the tabu search's and the exact re-seating's, which continue from its seating. A
# whole number: the fraction of a cost counts the broken rules (``TRACE``).
KNOWN_WEIGHT = 1.0
# A broken hard rule (colleagues together) or a role-bound miss, within the search: a wall
# it cannot cross (``HARD``) leaves it stuck, 2 lets it prefer breaking a rule to seating
# two acquaintances together; 3, 5 and 8 did alike on the karate dinner (237.8 to 238.1
# new pairs on average over 12 runs of 6 CPU s), 10 a little worse. Only seatings breaking
# nothing are kept as the best (see ``_broken``).
PENALTY = 5.0
# Each penalty also adds 2^-10, so the fractional part of a cost counts the broken rules
# exactly (every weight is a multiple of 2^-10, sums of them are exact in floating point).
TRACE = 2.0**-10
# How long (steps) a holder may not return to a cell it left: a share of the cells, drawn
# within +-30% each time (a fixed tenure lets the search cycle).
TENURE, TENURE_SPREAD = 0.5, 0.3
# Steps without a better seating before the search restarts from the best one with this
# many random exchanges of cells. Restarts after 2 000 steps cut long walks short: over 240
# starts on the karate dinner, 21 took more than 1.5 CPU s to reach 238 new pairs, 3 with
# 8 000 (0.56 and 0.46 s on average; 12 000 and no restart at all did no better).
STALL, KICK = 8000, 6
# How often (steps) the clock is read.
CLOCK_EVERY = 64


class _Grid:
    """The square's cells and lines: which lines each cell lies on, which cells share one."""

    def __init__(self, square: list[list[int]]) -> None:
        g = len(square)
        cells = g * g
        self.lines = 3 * g
        # Each cell's three lines (its tables in rounds 1 to 3, numbered 0..3g-1).
        self.lines_of = np.array(
            [(r, g + c, 2 * g + square[r][c]) for r in range(g) for c in range(g)],
            dtype=np.int64,
        )
        # The line two cells share, 3g where none (a line of no cells).
        self.shared_line = np.full((cells, cells), 3 * g, dtype=np.int64)
        for a in range(cells):
            for b in range(cells):
                common = set(self.lines_of[a].tolist()) & set(self.lines_of[b].tolist())
                if a != b and common:
                    self.shared_line[a, b] = common.pop()
        self.share = (self.shared_line < 3 * g).astype(np.float64)
        self.twice_share = 2.0 * self.share
        # An exchange of a cell with itself is no move.
        self.itself = np.where(np.eye(cells, dtype=bool), np.inf, 0.0)


class _Walk:
    """The tabu walk's state: who holds each cell, the cost, the role counts per line, the tabu
    list; each step prices every exchange of two cells' holders and makes the best allowed."""

    def __init__(self, seats: Seats, grid: _Grid, draws: np.random.Generator) -> None:
        g, n = len(seats.sizes), len(seats.ids)
        self.grid, self.draws, self.n = grid, draws, n
        self.pick = random.Random(int(draws.integers(2**32)))
        cells = g * g
        # What sharing a table once costs, per pair; cells hold people 0..n-1 and empty seats
        # n..cells-1 (which cost nothing).
        static = np.where(seats.static == KNOWN, KNOWN_WEIGHT, seats.static).astype(np.float64)
        static = np.where(seats.static >= HARD, PENALTY + TRACE, static)
        self.weight = np.zeros((cells, cells), dtype=np.float64)
        self.weight[:n, :n] = static - seats.new
        np.fill_diagonal(self.weight, 0)
        # Each holder's bounded role (``bounded``: none, empty seats included).
        self.bounded = bounded = len(seats.low)
        self.kinds = kinds = bounded + 1
        self.kind = np.array(
            [int(k) if k < bounded else bounded for k in seats.role] + [bounded] * (cells - n),
            dtype=np.int64,
        )
        self.low, self.high = seats.low.astype(np.int64), seats.high.astype(np.int64)
        self.unit = np.eye(kinds, dtype=np.int64)[:, :bounded]
        self.role_of: dict[bytes, np.ndarray] = {}
        # Index of (shared line, kind out, kind in) into the flattened per-line role table.
        self.shared_at = grid.shared_line * kinds * kinds

    def role_change(self, counts: np.ndarray) -> np.ndarray:
        """[line, k_out, k_in]: what the role bounds cost more at that line's table when a
        k_out leaves it and a k_in comes."""
        low, high, unit = self.low, self.high, self.unit
        after = counts[:, None, None, :] - unit[None, :, None, :] + unit[None, None, :, :]
        miss = (np.maximum(0, low - after) + np.maximum(0, after - high)).sum(-1)
        now = (np.maximum(0, low - counts) + np.maximum(0, counts - high)).sum(-1)
        change: np.ndarray = (PENALTY + TRACE) * (miss - now[:, None, None])
        return change

    def start(self, holder: np.ndarray) -> None:
        """Hold the cells so, with the cost and per line role counts recomputed, no tabu."""
        grid, kinds = self.grid, self.kinds
        lines = grid.lines
        self.holder = holder
        wc = self.weight[holder][:, holder]
        cost = float((grid.share * wc).sum()) / 2
        self.counts = np.zeros((lines, kinds), dtype=np.int64)
        np.add.at(self.counts, (grid.lines_of, self.kind[holder][:, None]), 1)
        self.counts = np.ascontiguousarray(self.counts[:, : self.bounded])
        # The role table per line, and a last line of zeros (the line cells share when none).
        self.roles = np.zeros((lines + 1, kinds, kinds), dtype=np.float64)
        if self.bounded:
            self.roles[:lines] = self.role_change(self.counts)
            low, high = self.low, self.high
            misses = (np.maximum(0, low - self.counts) + np.maximum(0, self.counts - high)).sum()
            cost += (PENALTY + TRACE) * float(misses)
        self.cost = cost
        self.tabu = np.zeros((len(holder), len(holder)), dtype=np.int64)
        self.role_delta: np.ndarray | None = None
        self.empty = np.flatnonzero(holder >= self.n)

    def deltas(self) -> np.ndarray:
        """[a, b]: the cost change of exchanging the holders of cells a and b."""
        grid, holder = self.grid, self.holder
        wc = self.weight[holder][:, holder]
        # p[a, b]: what b's holder would cost at cell a among a's table-mates.
        p = grid.share @ wc
        own = np.diagonal(p)
        delta: np.ndarray = p + p.T
        delta -= own[:, None]
        delta -= own[None, :]
        delta += grid.twice_share * wc
        if self.bounded:
            if self.role_delta is None:
                self.role_delta = self._role_deltas()
            delta += self.role_delta
        return delta

    def _role_deltas(self) -> np.ndarray:
        """[a, b]: what the role bounds cost more when the holders of a and b exchange."""
        kc = self.kind[self.holder]
        out = self.roles[self.grid.lines_of, kc[:, None], :].sum(axis=1)[:, kc]
        both = self.roles + self.roles.transpose(0, 2, 1)
        shared = both.ravel()[self.shared_at + (kc * self.kinds)[:, None] + kc[None, :]]
        result: np.ndarray = out + out.T - shared
        return result

    def step(self, step: int, best_cost: float) -> bool:
        """Make the best exchange allowed at this step (a tabu one only if it beats
        ``best_cost``); whether there was one."""
        delta = self.deltas()
        holder, tabu = self.holder, self.tabu
        values = delta + self.grid.itself
        # Tabu when both holders would go back to a cell they left lately; unless it beats
        # the best.
        barred = np.minimum(tabu, tabu.T) > step
        barred &= delta >= best_cost - self.cost - 1e-9
        values[barred] = np.inf
        # Two empty seats exchanged change nothing.
        values[self.empty[:, None], self.empty[None, :]] = np.inf
        lowest = float(values.min())
        if not math.isfinite(lowest):
            return False
        # Costs are sums of multiples of 2^-10: equal ones are exactly equal.
        ties = np.flatnonzero(values == lowest)
        a, b = divmod(int(ties[int(self.pick.random() * len(ties))]), len(holder))
        self.exchange(a, b)
        self.cost += float(delta[a, b])
        cells = len(holder)
        tenure = int(cells * TENURE * (1 + TENURE_SPREAD * (2 * self.pick.random() - 1)))
        tabu[[a, b]] = tabu[[b, a]]
        tabu[b, a] = tabu[a, b] = step + tenure
        return True

    def exchange(self, a: int, b: int) -> None:
        """Exchange the holders of cells a and b, the role counts of their lines kept."""
        holder, kind = self.holder, self.kind
        x, y = int(holder[a]), int(holder[b])
        holder[a], holder[b] = y, x
        if x >= self.n or y >= self.n:
            self.empty = np.flatnonzero(holder >= self.n)
        kx, ky = int(kind[x]), int(kind[y])
        if kx == ky:
            return
        self.role_delta = None
        a_lines, b_lines = set(self.grid.lines_of[a].tolist()), set(self.grid.lines_of[b].tolist())
        for line, out, into in [(line, kx, ky) for line in a_lines - b_lines] + [
            (line, ky, kx) for line in b_lines - a_lines
        ]:
            if out < self.bounded:
                self.counts[line, out] -= 1
            if into < self.bounded:
                self.counts[line, into] += 1
            # The role costs of a line hang on its counts only: kept per counts seen.
            key = self.counts[line].tobytes()
            if key not in self.role_of:
                self.role_of[key] = self.role_change(self.counts[line : line + 1])[0]
            self.roles[line] = self.role_of[key]


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


def _broken(cost: float) -> int:
    """How many hard rules and role bounds a search cost breaks (its fraction's count)."""
    return round((cost % 1.0) / TRACE)


def _true(cost: float) -> float:
    """A search cost with each broken rule weighed ``HARD``, as the best seating is chosen."""
    broken = _broken(cost)
    return cost + (HARD - PENALTY - TRACE) * broken


def search(
    seats: Seats,
    *,
    floor: int,
    deadline: float,
    rng: random.Random,
    tick: Callable[[], None] | None = None,
    square: list[list[int]] | None = None,
    kept_by: float | None = None,
) -> np.ndarray:
    """The best seating the search finds by ``deadline`` or once it costs ``floor`` (round by
    person → table; known pairs weigh ``KNOWN_WEIGHT``), never seating a pair twice; by
    ``kept_by``, if given, only if it has one keeping every hard rule and role bound by then
    (else it stops there, leaving the rest of the time to other means). ``tick``, if given,
    is called every so often (the caller's progress report)."""
    g, n = len(seats.sizes), len(seats.ids)
    cells = g * g
    if square is None:
        square = [[(r + c) % g for c in range(g)] for r in range(g)]
    grid = _Grid(square)
    walk = _Walk(seats, grid, np.random.default_rng(rng.randrange(2**32)))
    walk.start(walk.draws.permutation(cells))
    best_cost, best = _true(walk.cost), walk.holder.copy()
    step = last_better = 0
    while best_cost > floor:
        if step % CLOCK_EVERY == 0:
            now = time.perf_counter()
            if now >= deadline or (kept_by is not None and now >= kept_by and best_cost >= HARD):
                break
            if tick is not None:
                tick()
        step += 1
        if not walk.step(step, best_cost):
            continue
        if walk.cost < best_cost - 1e-9 and _true(walk.cost) < best_cost - 1e-9:
            best_cost, best, last_better = _true(walk.cost), walk.holder.copy(), step
        elif step - last_better > STALL:
            holder = best.copy()
            for _ in range(KICK):
                a, b = walk.draws.integers(cells, size=2)
                holder[a], holder[b] = holder[b], holder[a]
            walk.start(holder)
            last_better = step
    seating = np.full((ROUNDS, n), -1, dtype=np.int64)
    for cell, who in enumerate(best.tolist()):
        if who < n:
            seating[:, who] = grid.lines_of[cell] - np.array([0, g, 2 * g])
    return seating
