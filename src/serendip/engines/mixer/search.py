"""The mixer's working state and its tabu search on swaps within a round.

The cost, lower is better, follows the rules in order: a pair seated together
again or colleagues together (hard) weigh most, then role-bound misses (a sponsor
at every table is the club's rule, so it comes before comfort), then known pairs
together, and every distinct new pair takes one off.

Every move's cost change is read from running sums rather than recomputed:
``gain_in[r, p, t]`` is what person p would add by joining table t in round r,
``gain_out[r, p, t]`` what p would save by leaving it. With them, the cost change
of every swap of a round is a few array operations (after Dotú and Van
Hentenryck's tabu search on conflicts for the social golfer problem).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import numpy as np

from serendip.engines.mixer.types import Problem

HARD = 10_000_000
KNOWN = 1_000
ROLE = 100_000
# Without any conflict left, how long to keep looking for more new pairs.
CALM_ITERATIONS = 500
# Tabu tenure range, and patience before a restart from the best seating with a shake-up.
TENURE = (4, 12)
STUCK_BASE, STUCK_PER_PERSON = 200, 20
PERTURB_SHARE = 0.1
# Exchanges of two people's seats in every round at once (a relabelling, which seats no
# pair twice that was not), in dense rooms of at most ``EXCHANGE_PEOPLE``, where everyone
# meets at least ``EXCHANGE_DENSITY`` of the others: there a swap within one round can
# hardly avoid repeating a pair of another round (the 34 members of the karate club at
# tables of 6 over 3 rounds: 228 new pairs without, 233 with). Each step tries them for up
# to ``EXCHANGE_CANDIDATES`` people in conflict, fewer in larger rooms (a pass over every
# pair each: candidates times people at most ``EXCHANGE_BUDGET``).
EXCHANGE_PEOPLE = 200
EXCHANGE_DENSITY = 1 / 3
EXCHANGE_CANDIDATES = 16
EXCHANGE_BUDGET = 600
BLOCKED = np.iinfo(np.int64).max // 4


class Seats:
    """Who sits at which table in every round, with pair counts and the cost kept up to date."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.ids = [p.id for p in problem.people]
        n, rounds, tables = len(self.ids), problem.rounds, len(problem.tables)
        self.index = {person: i for i, person in enumerate(self.ids)}
        self.sizes = np.array(problem.tables, dtype=np.int64)
        self.table_of = np.full((rounds, n), -1, dtype=np.int64)
        self.members: list[list[list[int]]] = [[[] for _ in range(tables)] for _ in range(rounds)]
        self.met = np.zeros((n, n), dtype=np.int64)
        self.static = np.zeros((n, n), dtype=np.int64)  # the cost of sharing a table at all
        self.new = np.ones((n, n), dtype=np.int64)  # 1 where a first meeting counts as new
        np.fill_diagonal(self.new, 0)
        for a, b in problem.known_pairs | problem.together | problem.colleagues:
            self._set(self.new, a, b, 0)
        for a, b in problem.known_pairs:
            self._set(self.static, a, b, KNOWN)
        if problem.separate_organizations:
            for a, b in problem.colleagues:
                self._set(self.static, a, b, HARD)
        self.cost_in = self.static - self.new  # what one more shared table costs, per pair
        self.cost_out = np.zeros((n, n), dtype=np.int64)  # what one fewer saves (pairs seated)
        self.gain_in = np.zeros((rounds, n, tables), dtype=np.int64)
        self.gain_out = np.zeros((rounds, n, tables), dtype=np.int64)
        bounded = [role for role, _lo, _hi in problem.roles_per_table]
        position = {role: k for k, role in enumerate(bounded)}
        # Each person's role among the bounded ones; len(bounded) stands for any other role.
        self.role = np.array(
            [position.get(problem.by_id[p].role or "", len(bounded)) for p in self.ids],
            dtype=np.int64,
        )
        self.low = np.array([lo for _r, lo, _hi in problem.roles_per_table], dtype=np.int64)
        self.high = np.array([hi for _r, _lo, hi in problem.roles_per_table], dtype=np.int64)
        self.counts = np.zeros((rounds, tables, len(bounded) + 1), dtype=np.int64)
        self.pinned = np.zeros((rounds, n), dtype=bool)
        for host, _table in problem.hosts:
            self.pinned[:, self.index[host]] = True
        for a, b in problem.together:
            self.pinned[0, [self.index[a], self.index[b]]] = True
        self.cost = 0

    def _set(self, matrix: np.ndarray, a: str, b: str, value: int) -> None:
        i, j = self.index[a], self.index[b]
        matrix[i, j] = matrix[j, i] = value

    # Role bounds ---------------------------------------------------------------------------

    def _misses(self, counts: np.ndarray, size: np.ndarray) -> np.ndarray:
        """Weighted role-bound misses for tables with these counts (last axis) and sizes."""
        if not len(self.low):
            return np.zeros(counts.shape[:-1], dtype=np.int64)
        bounded = counts[..., : len(self.low)]
        miss = (np.maximum(0, self.low - bounded) + np.maximum(0, bounded - self.high)).sum(-1)
        return np.where(size > 0, ROLE * miss, 0)

    def role_swap(self, r: int) -> np.ndarray:
        """[t, k_out, k_in]: role cost change at table t when a k_out leaves and a k_in comes."""
        counts = self.counts[r]
        kinds = counts.shape[1]
        unit = np.eye(kinds, dtype=np.int64)
        after = counts[:, None, None, :] - unit[None, :, None, :] + unit[None, None, :, :]
        size = self.sizes_now(r)
        change: np.ndarray = (
            self._misses(after, size[:, None, None]) - self._misses(counts, size)[:, None, None]
        )
        return change

    def role_leave_join(self, r: int) -> tuple[np.ndarray, np.ndarray]:
        """[t, k]: role cost change at table t when a k leaves, and when a k joins."""
        counts = self.counts[r]
        unit = np.eye(counts.shape[1], dtype=np.int64)
        size = self.sizes_now(r)
        before = self._misses(counts, size)[:, None]
        leave = self._misses(counts[:, None, :] - unit[None], (size - 1)[:, None]) - before
        join = self._misses(counts[:, None, :] + unit[None], (size + 1)[:, None]) - before
        return leave, join

    def sizes_now(self, r: int) -> np.ndarray:
        """How many people sit at each table in round r."""
        sizes: np.ndarray = self.counts[r].sum(-1)
        return sizes

    # Seating -------------------------------------------------------------------------------

    def _pair_changed(self, i: int, j: int) -> None:
        """Refresh the pair's costs after its count changed, and every running sum using them."""
        count = self.met[i, j]
        cost_in = self.static[i, j] + (HARD if count >= 1 else -self.new[i, j])
        cost_out = -self.static[i, j] - (HARD if count >= 2 else (-self.new[i, j] if count else 0))
        d_in, d_out = cost_in - self.cost_in[i, j], cost_out - self.cost_out[i, j]
        self.cost_in[i, j] = self.cost_in[j, i] = cost_in
        self.cost_out[i, j] = self.cost_out[j, i] = cost_out
        for a, b in ((i, j), (j, i)):
            tables = self.table_of[:, b]
            present = np.nonzero(tables >= 0)[0]
            self.gain_in[present, a, tables[present]] += d_in
            self.gain_out[present, a, tables[present]] += d_out

    def sit(self, r: int, i: int, t: int) -> None:
        """Seat person i (standing) at table t in round r."""
        kind = self.role[i]
        if len(self.low):
            _leave, join = self.role_leave_join(r)
            self.cost += int(join[t, kind])
        self.cost += int(self.gain_in[r, i, t])
        others = list(self.members[r][t])
        self.members[r][t].append(i)
        self.table_of[r, i] = t
        self.counts[r, t, kind] += 1
        self.gain_in[r, :, t] += self.cost_in[:, i]
        self.gain_out[r, :, t] += self.cost_out[:, i]
        for j in others:
            self.met[i, j] += 1
            self.met[j, i] += 1
            self._pair_changed(i, j)

    def stand(self, r: int, i: int) -> int:
        """Take person i from their table in round r; returns that table."""
        t = int(self.table_of[r, i])
        kind = self.role[i]
        if len(self.low):
            leave, _join = self.role_leave_join(r)
            self.cost += int(leave[t, kind])
        self.cost += int(self.gain_out[r, i, t])
        self.members[r][t].remove(i)
        self.table_of[r, i] = -1
        self.counts[r, t, kind] -= 1
        self.gain_in[r, :, t] -= self.cost_in[:, i]
        self.gain_out[r, :, t] -= self.cost_out[:, i]
        for j in self.members[r][t]:
            self.met[i, j] -= 1
            self.met[j, i] -= 1
            self._pair_changed(i, j)
        return t

    def join_costs(self, r: int, i: int) -> np.ndarray:
        """The cost change of seating i (standing) at each table of round r; full tables blocked."""
        costs = self.gain_in[r, i].copy()
        if len(self.low):
            _leave, join = self.role_leave_join(r)
            costs += join[:, self.role[i]]
        costs[self.sizes_now(r) >= self.sizes] = BLOCKED
        result: np.ndarray = costs
        return result

    def conflicted(self, r: int) -> np.ndarray:
        """Movable people of round r sharing a table with someone they should not, or sitting
        at a table outside its role bounds."""
        tables = self.table_of[r]
        seated = tables >= 0
        same = (tables[:, None] == tables[None, :]) & seated[:, None] & seated[None, :]
        np.fill_diagonal(same, False)
        bad = ((self.static > 0) | (self.met > 1)) & same
        flagged = bad.any(axis=1)
        if len(self.low):
            table_bad = self._misses(self.counts[r], self.sizes_now(r)) > 0
            flagged |= seated & table_bad[np.where(seated, tables, 0)]
        return np.nonzero(flagged & ~self.pinned[r])[0]

    def pair_costs(self) -> np.ndarray:
        """What every pair costs now, from how often it has met (the diagonal 0)."""
        met = self.met
        costs: np.ndarray = (
            met * self.static + HARD * np.maximum(0, met - 1) - self.new * (met >= 1)
        )
        np.fill_diagonal(costs, 0)
        return costs

    def snapshot(self) -> np.ndarray:
        """A copy of every round's seating."""
        return self.table_of.copy()

    def load(self, seating: np.ndarray) -> None:
        """Seat everyone as in ``seating`` (round by person → table, -1 absent) at once: the
        running sums computed whole, far quicker than seating people one by one."""
        rounds, n = seating.shape
        tables = len(self.sizes)
        self.table_of = seating.astype(np.int64).copy()
        self.members = [
            [[int(i) for i in np.flatnonzero(seating[r] == t)] for t in range(tables)]
            for r in range(rounds)
        ]
        self.met = np.zeros((n, n), dtype=np.int64)
        for r in range(rounds):
            at = seating[r]
            self.met += (at[:, None] == at[None, :]) & (at >= 0)[:, None]
        np.fill_diagonal(self.met, 0)
        met = self.met
        self.cost_in = self.static + np.where(met >= 1, HARD, -self.new)
        # What leaving saves only matters for pairs at one table (who have met).
        self.cost_out = np.where(
            met >= 1, -self.static - np.where(met >= 2, HARD, np.where(met == 1, -self.new, 0)), 0
        )
        np.fill_diagonal(self.cost_in, 0)
        np.fill_diagonal(self.cost_out, 0)
        self.gain_in = np.zeros((rounds, n, tables), dtype=np.int64)
        self.gain_out = np.zeros((rounds, n, tables), dtype=np.int64)
        for r in range(rounds):
            # Sum each person's costs over the people of every table: columns grouped by table.
            seated = np.flatnonzero(seating[r] >= 0)
            order = seated[np.argsort(seating[r, seated], kind="stable")]
            sizes = np.bincount(seating[r, order], minlength=tables)
            filled = np.flatnonzero(sizes)
            starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))[filled]
            for source, target in ((self.cost_in, self.gain_in), (self.cost_out, self.gain_out)):
                if len(order):
                    target[r][:, filled] = np.add.reduceat(source[:, order], starts, axis=1)
        kinds = self.counts.shape[2]
        self.counts = np.zeros((rounds, tables, kinds), dtype=np.int64)
        for r in range(rounds):
            seated = np.flatnonzero(seating[r] >= 0)
            np.add.at(self.counts[r], (seating[r, seated], self.role[seated]), 1)
        upper = np.triu(np.ones((n, n), dtype=bool), 1)
        pairs = (met * self.static + HARD * np.maximum(0, met - 1) - self.new * (met >= 1))[
            upper
        ].sum()
        roles = sum(
            int(self._misses(self.counts[r], self.sizes_now(r)).sum()) for r in range(rounds)
        )
        self.cost = int(pairs) + roles

    def restore(self, seating: np.ndarray) -> None:
        """Seat everyone as in ``seating``: only the people sitting elsewhere move."""
        if (self.table_of != seating).sum() > len(self.ids):
            self.load(seating)
            return
        for r, tables in enumerate(seating):
            moved = np.flatnonzero(self.table_of[r] != tables)
            for i in moved:
                if self.table_of[r, i] >= 0:
                    self.stand(r, int(i))
            for i in moved:
                if tables[i] >= 0:
                    self.sit(r, int(i), int(tables[i]))


class Search:
    """Tabu search over swaps (and moves to free seats) within a round."""

    def __init__(self, seats: Seats, rng: random.Random) -> None:
        self.seats = seats
        self.rng = rng
        self.noise = np.random.default_rng(rng.randrange(2**32))
        rounds, n = seats.table_of.shape
        self.tabu = np.zeros((rounds, n, len(seats.sizes)), dtype=np.int64)
        self.exchanged = np.zeros(n, dtype=np.int64)  # until when each stays out of exchanges
        self.iteration = 0

    def best_in_round(
        self, r: int, candidates: np.ndarray, best_cost: int
    ) -> tuple[int, int, int, int] | None:
        """(delta, person, kind, target) of the best allowed move in round r: kind 0 swaps
        with person ``target``, kind 1 moves to the free seat at table ``target``."""
        s = self.seats
        tables = s.table_of[r]
        home = tables[candidates]
        base = s.gain_out[r, candidates, home]
        # Swaps: the candidate leaves home for j's table, j comes to the candidate's home.
        safe = np.where(tables >= 0, tables, 0)
        swap = (
            base[:, None]
            + (s.gain_in[r][:, home].T - s.cost_in[:, candidates].T)
            + s.gain_out[r, np.arange(len(tables)), safe][None, :]
            + (s.gain_in[r][candidates][:, safe] - s.cost_in[candidates])
        )
        if len(s.low):
            roles = s.role_swap(r)
            kind_c, kind_j = s.role[candidates], s.role
            swap += roles[home[:, None], kind_c[:, None], kind_j[None, :]]
            swap += roles[safe[None, :], kind_j[None, :], kind_c[:, None]]
        invalid = (tables[None, :] < 0) | (tables[None, :] == home[:, None]) | s.pinned[r][None, :]
        tabu = (self.tabu[r][candidates][:, safe] > self.iteration) | (
            self.iteration < self.tabu[r][:, home].T
        )
        swap = np.where(invalid | (tabu & (s.cost + swap >= best_cost)), BLOCKED, swap)
        # Moves to a free seat.
        free = s.sizes_now(r) < s.sizes
        move = base[:, None] + s.gain_in[r][candidates]
        if len(s.low):
            leave, join = s.role_leave_join(r)
            move += leave[home, s.role[candidates]][:, None] + join[:, s.role[candidates]].T
        blocked = ~free[None, :] | (np.arange(len(free))[None, :] == home[:, None])
        tabu_move = self.tabu[r][candidates] > self.iteration
        move = np.where(blocked | (tabu_move & (s.cost + move >= best_cost)), BLOCKED, move)
        best = min(swap.min(initial=BLOCKED), move.min(initial=BLOCKED))
        if best >= BLOCKED:
            return None
        options = [(0, k, j) for k, j in zip(*np.nonzero(swap == best), strict=True)]
        options += [(1, k, t) for k, t in zip(*np.nonzero(move == best), strict=True)]
        kind, k, target = options[self.rng.randrange(len(options))]
        return int(best), int(candidates[k]), kind, int(target)

    def apply(self, r: int, person: int, kind: int, target: int) -> None:
        """Make the move and forbid undoing it for a few iterations."""
        s = self.seats
        home = s.stand(r, person)
        until = self.iteration + self.rng.randint(*TENURE)
        if kind == 0:
            other_home = s.stand(r, target)
            s.sit(r, person, other_home)
            s.sit(r, target, home)
            self.tabu[r, target, other_home] = until
        else:
            s.sit(r, person, target)
        self.tabu[r, person, home] = until

    def best_exchange(self, candidates: np.ndarray, best_cost: int) -> tuple[int, int, int] | None:
        """(delta, person, other) of the best allowed exchange of two people's seats in every
        round at once: who meets whom is only relabelled, so no pair is seated twice that
        was not before, and the known pairs, colleagues and roles move to other tables."""
        s = self.seats
        met, static, new = s.met, s.static, s.new
        # Exchanged people need the same rounds and must be free to move in all of them.
        present = s.table_of >= 0
        movable = np.logical_not(s.pinned.any(axis=0))
        people = np.array([int(c) for c in candidates if movable[int(c)]], dtype=np.int64)
        if not len(people):
            return None
        pair_cost = s.pair_costs()
        seated = pair_cost.sum(axis=1)
        repeats = np.maximum(0, met - 1)
        # After the exchange j has i's meetings (met[i, k]) with j's rules, and i has j's with
        # i's rules, for every other k; the pair (i, j) keeps its count. Row c, column j.
        mine = met[people]
        j_at_i = (
            mine @ static.T
            + HARD * repeats[people].sum(axis=1)[:, None]
            - (mine >= 1).astype(np.int64) @ new.T
            - HARD * repeats[people]  # k = j: the pair (i, j) is not j's meeting of itself
        )
        i_at_j = (
            static[people] @ met.T
            + HARD * repeats.sum(axis=1)[None, :]
            - new[people] @ (met >= 1).astype(np.int64).T
            - HARD * repeats[people]  # k = i: the pair (i, j) stays
        )
        before = seated[people][:, None] - pair_cost[people] + seated[None, :] - pair_cost[people]
        delta = j_at_i + i_at_j - before
        if len(s.low):
            for r in range(s.table_of.shape[0]):
                tables = s.table_of[r]
                safe = np.where(tables >= 0, tables, 0)
                roles = s.role_swap(r)
                home, kind = safe[people][:, None], s.role[people][:, None]
                change = roles[home, kind, s.role[None, :]] + roles[safe[None, :], s.role, kind]
                moves = (tables[None, :] != home) & (s.role[None, :] != kind)
                delta += np.where(moves & present[r, people][:, None], change, 0)
        same_rounds = (present[:, people].T[:, None, :] == present.T[None, :, :]).all(axis=2)
        allowed = same_rounds & movable[None, :]
        allowed[np.arange(len(people)), people] = False
        allowed &= ~((self.exchanged[None, :] > self.iteration) & (s.cost + delta >= best_cost))
        if not allowed.any():
            return None
        value = int(delta[allowed].min())
        options = np.argwhere(allowed & (delta == value))
        row, other = options[self.rng.randrange(len(options))]
        return value, int(people[row]), int(other)

    def exchange(self, i: int, j: int) -> None:
        """Exchange the seats of i and j in every round, and keep both still for a while."""
        s = self.seats
        seating = s.snapshot()
        seating[:, [i, j]] = seating[:, [j, i]]
        s.load(seating)  # quicker than four moves a round, each refreshing the running sums
        self.exchanged[[i, j]] = self.iteration + self.rng.randint(*TENURE)

    def perturb(self) -> None:
        """A few random swaps, to leave a region the search keeps circling."""
        s = self.seats
        for _ in range(max(2, int(len(s.ids) * PERTURB_SHARE))):
            r = self.rng.randrange(s.table_of.shape[0])
            movable = np.nonzero((s.table_of[r] >= 0) & ~s.pinned[r])[0]
            if len(movable) < 2:
                return
            i, j = (int(x) for x in self.rng.sample(list(movable), 2))
            if s.table_of[r, i] != s.table_of[r, j]:
                self.apply(r, i, 0, j)


def tabu_search(
    seats: Seats,
    *,
    floor: int,
    deadline: float,
    rng: random.Random,
    stall_restarts: int | None = None,
    tick: Callable[[], None] | None = None,
) -> np.ndarray:
    """Improve the seating until ``floor`` (the best cost possible), the deadline, or (with
    ``stall_restarts``) so many restarts in a row without a better seating; returns the best
    seating seen (round by person → table). ``tick``, if given, is called at every step
    (the caller's progress report)."""
    search = Search(seats, rng)
    best_cost, best = seats.cost, seats.snapshot()
    stuck = calm = restarts = 0
    rounds = list(range(seats.table_of.shape[0]))
    patience = STUCK_BASE + STUCK_PER_PERSON * len(seats.ids)
    # Exchanges of whole schedules cost a pass over every pair per candidate: small, dense
    # rooms only (elsewhere swaps within a round do as well, for less).
    people, rounds_count = len(seats.ids), seats.table_of.shape[0]
    met_share = rounds_count * (int(seats.sizes.max()) - 1) / max(1, people - 1)
    exchanges = people <= EXCHANGE_PEOPLE and rounds_count > 1 and met_share >= EXCHANGE_DENSITY
    tried = max(1, min(EXCHANGE_CANDIDATES, EXCHANGE_BUDGET // max(1, people)))
    while seats.cost > floor and time.perf_counter() < deadline:
        search.iteration += 1
        if tick is not None:
            tick()
        conflicted = [(r, c) for r in rounds if len(c := seats.conflicted(r))]
        if conflicted:
            calm = 0
        else:
            # No conflict left: look for more new pairs by moving a few people, for a while.
            calm += 1
            if calm > CALM_ITERATIONS:
                break
            r = rng.randrange(len(rounds))
            seated = np.nonzero((seats.table_of[r] >= 0) & ~seats.pinned[r])[0]
            if not len(seated):
                break
            conflicted = [(r, np.array(rng.sample(list(seated), min(8, len(seated)))))]
        choice: tuple[int, tuple[int, int, int, int]] | None = None
        for r, candidates in conflicted:
            found = search.best_in_round(r, candidates, best_cost)
            if found is not None and (
                choice is None
                or found[0] < choice[1][0]
                or (found[0] == choice[1][0] and rng.random() < 0.5)
            ):
                choice = (r, found)
        exchange = None
        # Only on a seating meeting nobody twice: exchanges never mend a repeat, and a plan
        # that cannot avoid repeats (an open problem) needs every step on them.
        if exchanges and not (seats.met > 1).any():
            chosen = np.unique(np.concatenate([c for _r, c in conflicted]))
            if len(chosen) > tried:
                chosen = np.array(rng.sample(list(chosen), tried))
            exchange = search.best_exchange(chosen, best_cost)
        if exchange is not None and (choice is None or exchange[0] < choice[1][0]):
            search.exchange(exchange[1], exchange[2])
            moved = True
        elif choice is not None:
            r, (_delta, person, kind, target) = choice
            search.apply(r, person, kind, target)
            moved = True
        else:
            moved = False
        if not moved:
            stuck += 1
        else:
            if seats.cost < best_cost:
                best_cost, best, stuck, restarts = seats.cost, seats.snapshot(), 0, 0
            else:
                stuck += 1
        if stuck > patience:
            restarts += 1
            if stall_restarts is not None and restarts > stall_restarts:
                break
            seats.restore(best)
            search.perturb()
            stuck = 0
    if seats.cost < best_cost:
        best = seats.snapshot()
    return best
