"""Tabu search over a Latin square: three rounds at g tables of g, in a dense room.

Each of the g x g cells (row, column) is a whole schedule: table ``row`` in round 1,
``column`` in round 2 and the square's symbol there in round 3. Two cells share at most
one of the three tables (a Latin square), so no pair meets twice whoever holds which
cell; the cells nobody holds are the empty seats (fewer than the tables: none is ever
empty). Conversely every repeat-free seating of three rounds is a partial Latin square,
so little is lost. A move exchanges the contents of two cells (two people, or someone
and an empty seat), so every seating visited keeps that rule.

Each step prices every exchange at once (numpy, from running sums per table: what each
holder would cost at each line's table) and makes the best one not forbidden (a tabu
search: a holder may not go back to a cell it left for a while, unless that beats the best
seating found), and restarts from the best seating, a few cells shaken, when a long stall
finds nothing better.

Why: in a room this dense (the 34 members of the karate club at 6 tables of 6 meet 15 of
33 each) a swap within one round can hardly avoid repeating a pair of another round; the
tabu search on swaps within a round reached 231 to 235 new pairs in 10 s, a simulated
annealing over the cells 236 to 238 (238 about one run in five); this search alone 237 to
239 in 8 CPU s (9 runs in 10 at 238 or more), and the mixer with it 237 to 239 in 10 s
(seeds 0 to 9: 238 or more for nine; the bound is 241, the optimum 240:
bench/mixer_latin_proof.py). Which Latin square (the cyclic one by default) barely
matters: over the 22 isotopy classes of order 6 the annealing reached 236 to 238 alike,
and this search 237.5 on average on the class of the 240 seating against 237.9 on the
cyclic one (4 CPU s). Used only where no design is known (``solve``), with everyone at
every round, no hosts and no together pairs (which a cell could not honour), and people
meeting a third of the room at least.
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
# many random exchanges of cells.
STALL, KICK = 2000, 6
# How often (steps) the clock is read.
CLOCK_EVERY = 64


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
    # Each cell's three lines (its tables in rounds 1 to 3, numbered 0..3g-1), and each
    # line's cells.
    lines_of = np.array(
        [(r, g + c, 2 * g + square[r][c]) for r in range(g) for c in range(g)], dtype=np.int64
    )
    in_line = np.zeros((3 * g, cells), dtype=bool)
    for cell in range(cells):
        in_line[lines_of[cell], cell] = True
    # The line two cells share (at most one), and how many of the six lines the exchange
    # of their holders changes (a shared line keeps both).
    shares = np.zeros((cells, cells), dtype=bool)
    shared_line = np.zeros((cells, cells), dtype=np.int64)
    for a in range(cells):
        for b in range(cells):
            common = set(lines_of[a].tolist()) & set(lines_of[b].tolist())
            if a != b and common:
                shares[a, b], shared_line[a, b] = True, common.pop()
    changed = 6.0 - 2.0 * shares
    sharer_a, sharer_b = np.nonzero(shares)
    shared_by = shared_line[sharer_a, sharer_b]
    # What sharing a table once costs, per pair; cells hold people 0..n-1 and empty seats
    # n..cells-1 (which cost nothing). Known pairs weigh less than in ``Seats`` and broken
    # rules ``PENALTY``: the search crosses them, the seating it hands over is weighed as
    # usual.
    static = np.where(seats.static == KNOWN, KNOWN_WEIGHT, seats.static).astype(np.float64)
    static = np.where(seats.static >= HARD, PENALTY + TRACE, static)
    weight = np.zeros((cells, cells), dtype=np.float64)
    weight[:n, :n] = static - seats.new
    np.fill_diagonal(weight, 0)
    # Each holder's bounded role (``bounded``: none, empty seats included).
    bounded = len(seats.low)
    kinds = bounded + 1
    kind = np.array(
        [int(k) if k < bounded else bounded for k in seats.role] + [bounded] * (cells - n),
        dtype=np.int64,
    )
    low, high = seats.low.astype(np.int64), seats.high.astype(np.int64)
    unit = np.eye(kinds, dtype=np.int64)[:, :bounded]

    def role_change(counts: np.ndarray) -> np.ndarray:
        """[line, k_out, k_in]: what the role bounds cost more at that line's table when a
        k_out leaves it and a k_in comes."""
        after = counts[:, None, None, :] - unit[None, :, None, :] + unit[None, None, :, :]
        miss = (np.maximum(0, low - after) + np.maximum(0, after - high)).sum(-1)
        now = (np.maximum(0, low - counts) + np.maximum(0, counts - high)).sum(-1)
        change: np.ndarray = (PENALTY + TRACE) * (miss - now[:, None, None])
        return change

    def start(holder: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """The running sums for this holding: per line what each holder would cost at its
        table, per line the bounded roles' counts, the cost."""
        gain = np.stack([weight[:, holder[in_line[line]]].sum(axis=1) for line in range(3 * g)])
        counts = np.stack(
            [np.bincount(kind[holder[in_line[line]]], minlength=kinds) for line in range(3 * g)]
        )[:, :bounded]
        cost = sum(float(gain[line, holder[in_line[line]]].sum()) for line in range(3 * g)) / 2
        misses = (np.maximum(0, low - counts) + np.maximum(0, counts - high)).sum()
        return gain, counts, role_change(counts), cost + (PENALTY + TRACE) * float(misses)

    role_of: dict[bytes, np.ndarray] = {}
    # Exchanges a < b, never of two empty seats (they change nothing).
    upper = np.triu(np.ones((cells, cells), dtype=bool), 1)
    draws = np.random.default_rng(rng.randrange(2**32))
    holder = np.array(rng.sample(range(cells), cells), dtype=np.int64)
    gain, counts, roles, cost = start(holder)
    best_cost, best = _true(cost), holder.copy()
    # tabu[x, c]: the step until which holder x may not go to cell c.
    tabu = np.zeros((cells, cells), dtype=np.int64)
    step = last_better = 0
    while best_cost > floor:
        if step % CLOCK_EVERY == 0:
            now = time.perf_counter()
            if now >= deadline or (kept_by is not None and now >= kept_by and best_cost >= HARD):
                break
            if tick is not None:
                tick()
        step += 1
        # delta[a, b]: the cost change of exchanging the holders of cells a and b. Over the
        # three lines of a, b's holder comes and a's leaves, and the other way over b's (a
        # shared line cancels out); the pair itself was counted once too many per line.
        by_cell = gain[:, holder]
        summed = by_cell[lines_of].sum(axis=1)
        own = np.diagonal(summed)
        wc = weight[holder][:, holder]
        delta = summed + summed.T - own[:, None] - own[None, :] - changed * wc
        if bounded:
            # Per cell, what its lines' role bounds cost more when its holder leaves for a
            # holder of each kind; less the shared line's part, counted on both sides.
            kc = kind[holder]
            out = roles[lines_of, kc[:, None], :].sum(axis=1)[:, kc]
            shared = roles[shared_by, kc[sharer_a], kc[sharer_b]]
            shared += roles[shared_by, kc[sharer_b], kc[sharer_a]]
            delta += out + out.T
            delta[sharer_a, sharer_b] -= shared
        empty = holder >= n
        forbidden = tabu[holder] > step
        allowed = upper & ~(empty[:, None] & empty[None, :])
        allowed &= ~(forbidden & forbidden.T) | (cost + delta < best_cost - 1e-9)
        values = np.where(allowed, delta, np.inf)
        lowest = values.min()
        if not math.isfinite(lowest):
            continue
        ties = np.flatnonzero(values <= lowest + 1e-9)
        a, b = divmod(int(ties[draws.integers(len(ties))]), cells)
        x, y = int(holder[a]), int(holder[b])
        a_lines, b_lines = set(lines_of[a].tolist()), set(lines_of[b].tolist())
        for line, out, into in [(line, x, y) for line in a_lines - b_lines] + [
            (line, y, x) for line in b_lines - a_lines
        ]:
            gain[line] += weight[into] - weight[out]
            if bounded:
                if kind[out] < bounded:
                    counts[line, kind[out]] -= 1
                if kind[into] < bounded:
                    counts[line, kind[into]] += 1
            if bounded:
                # The role costs of a line hang on its counts only: kept per counts seen.
                key = counts[line].tobytes()
                if key not in role_of:
                    role_of[key] = role_change(counts[line : line + 1])[0]
                roles[line] = role_of[key]
        holder[a], holder[b] = y, x
        tenure = int(cells * TENURE * (1 + TENURE_SPREAD * (2 * draws.random() - 1)))
        tabu[x, a] = tabu[y, b] = step + tenure
        cost += float(lowest)
        if cost < best_cost - 1e-9 and _true(cost) < best_cost - 1e-9:
            best_cost, best, last_better = _true(cost), holder.copy(), step
        elif step - last_better > STALL:
            holder = best.copy()
            for _ in range(KICK):
                a, b = draws.integers(cells, size=2)
                holder[a], holder[b] = holder[b], holder[a]
            gain, counts, roles, cost = start(holder)
            tabu[:] = 0
            last_better = step
    seating = np.full((ROUNDS, n), -1, dtype=np.int64)
    for cell, who in enumerate(best.tolist()):
        if who < n:
            seating[:, who] = lines_of[cell] - np.array([0, g, 2 * g])
    return seating
