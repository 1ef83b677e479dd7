"""The mixer's working state and its tabu search on swaps within a round.

The cost, lower is better, follows the rules in order: a pair seated together
again or colleagues together (hard) weigh most, then known pairs together, then
role-bound misses, and every distinct new pair takes one off. A move's cost
change is computed from the two tables it touches only.
"""

from __future__ import annotations

import random
import time

from serendip.engines.mixer.types import Problem

HARD = 10_000_000
KNOWN = 100_000
ROLE = 1_000
# Without any conflict left, how long to keep looking for more new pairs.
CALM_ITERATIONS = 2_000
# Tabu tenure range, patience before a restart from the best seating, and its shake-up.
TENURE = (4, 12)
STUCK_BASE, STUCK_PER_PERSON = 200, 20
PERTURB_SHARE = 0.1
# How many (round, person) candidates each step looks at before choosing a move.
MAX_CANDIDATES = 64


class Seats:
    """Who sits at which table in every round, with pair counts and the cost kept up to date."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.ids = [p.id for p in problem.people]
        n = len(self.ids)
        self.index = {person: i for i, person in enumerate(self.ids)}
        self.sizes = list(problem.tables)
        self.tables: list[list[list[int]]] = [
            [[] for _ in self.sizes] for _ in range(problem.rounds)
        ]
        self.table_of = [[-1] * n for _ in range(problem.rounds)]
        self.met = [[0] * n for _ in range(n)]
        self.static = [[0] * n for _ in range(n)]  # the cost of sharing a table at all
        self.new = [[1] * n for _ in range(n)]  # 1 where a first meeting counts as new
        for a, b in problem.known_pairs | problem.together | problem.colleagues:
            self._set(self.new, a, b, 0)
        for a, b in problem.known_pairs:
            self._set(self.static, a, b, KNOWN)
        if problem.separate_organizations:
            for a, b in problem.colleagues:
                self._set(self.static, a, b, HARD)
        bounded = [role for role, _lo, _hi in problem.roles_per_table]
        self.bounds = [(lo, hi) for _role, lo, hi in problem.roles_per_table]
        # The index of each person's role among the bounded ones, -1 for any other role.
        position = {role: k for k, role in enumerate(bounded)}
        self.role = [position.get(problem.by_id[p].role or "", -1) for p in self.ids]
        self.counts = [[[0] * len(bounded) for _ in self.sizes] for _ in range(problem.rounds)]
        self.pinned: set[tuple[int, int]] = set()  # (round, person) that never move
        for host, _table in problem.hosts:
            self.pinned |= {(r, self.index[host]) for r in range(problem.rounds)}
        for a, b in problem.together:
            self.pinned |= {(0, self.index[a]), (0, self.index[b])}
        self.cost = 0

    def _set(self, matrix: list[list[int]], a: str, b: str, value: int) -> None:
        i, j = self.index[a], self.index[b]
        matrix[i][j] = matrix[j][i] = value

    def pair_in(self, i: int, j: int) -> int:
        """The cost change of i and j sharing one more table."""
        return self.static[i][j] + (HARD if self.met[i][j] >= 1 else -self.new[i][j])

    def pair_out(self, i: int, j: int) -> int:
        """The cost change of i and j sharing one table fewer."""
        return -self.static[i][j] - (HARD if self.met[i][j] >= 2 else -self.new[i][j])

    def role_cost(self, counts: list[int], size: int) -> int:
        """The weighted role-bound misses of a table of ``size`` people with these role counts."""
        if size == 0:
            return 0
        return ROLE * sum(
            max(0, lo - c) + max(0, c - hi) for c, (lo, hi) in zip(counts, self.bounds, strict=True)
        )

    def role_change(self, r: int, t: int, leaving: int, coming: int) -> int:
        """The role cost change at table t when one person leaves and/or one comes (-2: nobody)."""
        counts = self.counts[r][t]
        size = len(self.tables[r][t])
        before = self.role_cost(counts, size)
        after = list(counts)
        if leaving != -2:
            size -= 1
            if leaving >= 0:
                after[leaving] -= 1
        if coming != -2:
            size += 1
            if coming >= 0:
                after[coming] += 1
        return self.role_cost(after, size) - before

    def table_role_cost(self, r: int, t: int) -> int:
        """The weighted role-bound misses of table t in round r."""
        return self.role_cost(self.counts[r][t], len(self.tables[r][t]))

    def sit(self, r: int, i: int, t: int) -> None:
        """Seat person i at table t in round r."""
        members = self.tables[r][t]
        self.cost += self.place_cost(r, i, t)
        for j in members:
            self.met[i][j] += 1
            self.met[j][i] += 1
        members.append(i)
        if self.role[i] >= 0:
            self.counts[r][t][self.role[i]] += 1
        self.table_of[r][i] = t

    def stand(self, r: int, i: int) -> int:
        """Take person i from their table in round r; returns that table."""
        t = self.table_of[r][i]
        if self.bounds:
            self.cost += self.role_change(r, t, self.role[i], -2)
        members = self.tables[r][t]
        members.remove(i)
        if self.role[i] >= 0:
            self.counts[r][t][self.role[i]] -= 1
        for j in members:
            self.cost += self.pair_out(i, j)
            self.met[i][j] -= 1
            self.met[j][i] -= 1
        self.table_of[r][i] = -1
        return t

    def place_cost(self, r: int, i: int, t: int) -> int:
        """The cost change of seating i (standing) at table t in round r."""
        delta = sum(self.pair_in(i, j) for j in self.tables[r][t])
        if self.bounds:
            delta += self.role_change(r, t, -2, self.role[i])
        return delta

    def swap_cost(self, r: int, i: int, j: int) -> int:
        """The cost change of i and j (at different tables in round r) exchanging seats."""
        a, b = self.table_of[r][i], self.table_of[r][j]
        delta = 0
        for x in self.tables[r][a]:
            if x != i:
                delta += self.pair_out(i, x) + self.pair_in(j, x)
        for y in self.tables[r][b]:
            if y != j:
                delta += self.pair_out(j, y) + self.pair_in(i, y)
        if self.bounds and self.role[i] != self.role[j]:
            delta += self.role_change(r, a, self.role[i], self.role[j])
            delta += self.role_change(r, b, self.role[j], self.role[i])
        return delta

    def move_cost(self, r: int, i: int, t: int) -> int:
        """The cost change of i moving to a free seat at table t in round r."""
        a = self.table_of[r][i]
        delta = sum(self.pair_out(i, x) for x in self.tables[r][a] if x != i)
        delta += sum(self.pair_in(i, y) for y in self.tables[r][t])
        if self.bounds:
            delta += self.role_change(r, a, self.role[i], -2)
            delta += self.role_change(r, t, -2, self.role[i])
        return delta

    def conflicted(self, r: int) -> list[int]:
        """Movable people of round r who share a table with someone they should not, or sit
        at a table outside its role bounds."""
        found = []
        for t, members in enumerate(self.tables[r]):
            bad_table = bool(self.bounds) and self.table_role_cost(r, t) > 0
            for i in members:
                if (r, i) in self.pinned:
                    continue
                if bad_table or any(
                    self.static[i][j] or self.met[i][j] > 1 for j in members if j != i
                ):
                    found.append(i)
        return found

    def snapshot(self) -> list[list[list[int]]]:
        """A copy of every round's tables."""
        return [[list(t) for t in tables] for tables in self.tables]


def tabu_search(
    seats: Seats, *, floor: int, deadline: float, rng: random.Random
) -> list[list[list[int]]]:
    """Improve the seating until ``floor`` (the best cost possible) or the deadline; returns the
    best seating seen."""
    problem = seats.problem
    best_cost, best = seats.cost, seats.snapshot()
    tabu: dict[tuple[int, int, int], int] = {}
    iteration = stuck = calm = 0
    rounds = list(range(problem.rounds))
    while seats.cost > floor and time.perf_counter() < deadline:
        iteration += 1
        rng.shuffle(rounds)
        conflicted = [(r, c) for r in rounds if (c := seats.conflicted(r))]
        if conflicted:
            calm = 0
        else:
            # No conflict left: look for more new pairs by moving random people, for a while.
            calm += 1
            if calm > CALM_ITERATIONS:
                break
            conflicted = [(rounds[0], rng.sample(range(len(seats.ids)), min(8, len(seats.ids))))]
        # The best move over every round with a conflict (a sample of people in large rooms).
        choice = None
        budget = MAX_CANDIDATES
        for r, candidates in conflicted:
            if budget <= 0:
                break
            if len(candidates) > budget:
                candidates = rng.sample(candidates, budget)
            budget -= len(candidates)
            found = _best_move(seats, r, candidates, tabu, iteration, best_cost, rng)
            if found is not None and (choice is None or found[0] < choice[1][0]):
                choice = (r, found)
        if choice is None:
            stuck += 1
        else:
            r, (_delta, i, target) = choice
            _apply(seats, r, i, target, tabu, iteration, rng)
            if seats.cost < best_cost:
                best_cost, best, stuck = seats.cost, seats.snapshot(), 0
            else:
                stuck += 1
        if stuck > STUCK_BASE + STUCK_PER_PERSON * len(seats.ids):
            _restore(seats, best)
            _perturb(seats, rng)
            stuck = 0
    if seats.cost < best_cost:
        best = seats.snapshot()
    return best


def _best_move(
    seats: Seats,
    r: int,
    candidates: list[int],
    tabu: dict[tuple[int, int, int], int],
    iteration: int,
    best_cost: int,
    rng: random.Random,
) -> tuple[int, int, tuple[str, int]] | None:
    """The best allowed swap or move for one of the candidates in round r."""
    best: tuple[int, int, tuple[str, int]] | None = None
    ties = 0
    n_tables = len(seats.sizes)
    for i in candidates:
        if seats.table_of[r][i] < 0 or (r, i) in seats.pinned:
            continue
        home = seats.table_of[r][i]
        options: list[tuple[int, tuple[str, int]]] = []
        for t in range(n_tables):
            if t == home:
                continue
            members = seats.tables[r][t]
            if len(members) < seats.sizes[t]:
                options.append((seats.move_cost(r, i, t), ("move", t)))
            for j in members:
                if (r, j) not in seats.pinned:
                    options.append((seats.swap_cost(r, i, j), ("swap", j)))
        for delta, target in options:
            to_table = target[1] if target[0] == "move" else seats.table_of[r][target[1]]
            forbidden = tabu.get((r, i, to_table), 0) > iteration
            if target[0] == "swap":
                forbidden = forbidden or tabu.get((r, target[1], home), 0) > iteration
            if forbidden and seats.cost + delta >= best_cost:
                continue
            if best is None or delta < best[0]:
                best, ties = (delta, i, target), 1
            elif delta == best[0]:
                ties += 1
                if rng.randrange(ties) == 0:
                    best = (delta, i, target)
    return best


def _apply(
    seats: Seats,
    r: int,
    i: int,
    target: tuple[str, int],
    tabu: dict[tuple[int, int, int], int],
    iteration: int,
    rng: random.Random,
) -> None:
    home = seats.table_of[r][i]
    kind, value = target
    tenure = iteration + rng.randint(*TENURE)
    if kind == "move":
        seats.stand(r, i)
        seats.sit(r, i, value)
    else:
        other = seats.table_of[r][value]
        seats.stand(r, i)
        seats.stand(r, value)
        seats.sit(r, i, other)
        seats.sit(r, value, home)
        tabu[(r, value, other)] = tenure
    tabu[(r, i, home)] = tenure


def _restore(seats: Seats, seating: list[list[list[int]]]) -> None:
    """Put the seating back as it was in ``seating``."""
    for r, tables in enumerate(seats.tables):
        for t in range(len(tables)):
            for i in list(tables[t]):
                seats.stand(r, i)
    for r, tables in enumerate(seating):
        for t, members in enumerate(tables):
            for i in members:
                seats.sit(r, i, t)


def _perturb(seats: Seats, rng: random.Random) -> None:
    """A few random swaps, to leave a region the search keeps circling."""
    for _ in range(max(2, int(len(seats.ids) * PERTURB_SHARE))):
        r = rng.randrange(len(seats.tables))
        movable = [
            i
            for i in range(len(seats.ids))
            if seats.table_of[r][i] >= 0 and (r, i) not in seats.pinned
        ]
        if len(movable) < 2:
            return
        i, j = rng.sample(movable, 2)
        if seats.table_of[r][i] != seats.table_of[r][j]:
            _apply(seats, r, i, ("swap", j), {}, 0, rng)
