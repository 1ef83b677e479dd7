"""Seat a club on a ready-made design: choose who takes which seat so that the rules hold.

A design (see ``designs``) seats g * s seats for some rounds with no pair twice; which
person takes which seat is free. The search swaps two people's seats at a time (a tabu
search on the conflicts) against the rules' costs: colleagues, or the hosts of two
tables, sharing a table (hard); a together-pair apart in the first round (hard); known
pairs together; role-bound misses. Seats nobody takes (fewer people than seats) are
left empty, and someone who leaves after round k leaves an empty seat from then on.
"""

from __future__ import annotations

import random
import time

import numpy as np

from serendip.engines.mixer.designs import Rounds
from serendip.engines.mixer.search import HARD, KNOWN, ROLE
from serendip.engines.mixer.types import Problem

# Swaps between two checks of the clock, how long a swapped person stays tabu, and how
# many swaps without a better seating end a phase.
CLOCK_EVERY = 64
TENURE = 7
STALL = 5000


class Labelling:
    """Who takes which seat of the design, with the costs of the rules kept up to date."""

    def __init__(self, problem: Problem, design: Rounds) -> None:
        ids = [p.id for p in problem.people]
        index = {person: i for i, person in enumerate(ids)}
        seats = sum(len(table) for table in design[0])
        self.table_of = np.zeros((len(design), seats), dtype=np.int64)  # round, seat -> table
        for r, tables in enumerate(design):
            for t, members in enumerate(tables):
                self.table_of[r, members] = t
        shared = self.table_of[:, :, None] == self.table_of[:, None, :]
        self.rounds_together = shared.sum(axis=0).astype(np.int64)  # between seats
        np.fill_diagonal(self.rounds_together, 0)
        self.first_together = shared[0].astype(np.int64)
        np.fill_diagonal(self.first_together, 0)
        # People past len(ids) are empty seats: no rule, no role.
        self.weight = np.zeros((seats, seats), dtype=np.int64)  # per round shared
        self.first_weight = np.zeros((seats, seats), dtype=np.int64)  # per pair apart at first
        rules: list[tuple[np.ndarray, tuple[str, str], int]] = []
        if problem.separate_organizations:
            rules += [(self.weight, p, HARD) for p in problem.colleagues]
        rules += [(self.weight, p, KNOWN) for p in problem.known_pairs]
        hosts = list(problem.hosts)
        rules += [
            (self.weight, (a, b), HARD)
            for i, (a, ta) in enumerate(hosts)
            for b, tb in hosts[i + 1 :]
            if ta != tb
        ]
        rules += [(self.first_weight, p, -HARD) for p in problem.together]
        for matrix, (a, b), weight in rules:
            matrix[index[a], index[b]] = matrix[index[b], index[a]] = weight
        self.apart_first = -int(self.first_weight.sum()) // 2  # cost if every such pair is apart
        roles = [role for role, _low, _high in problem.roles_per_table]
        role_of = {role: k for k, role in enumerate(roles)}
        self.role = np.full(seats, len(roles), dtype=np.int64)  # the last slot: no bound
        for i, person in enumerate(problem.people):
            self.role[i] = role_of.get(person.role or "", len(roles))
        self.low = np.array([low for _r, low, _h in problem.roles_per_table] + [0])
        self.high = np.array([high for _r, _l, high in problem.roles_per_table] + [seats])
        self.tables = len(design[0])
        self.with_pairs = True  # False: only the role bounds count
        self.place(np.arange(seats))  # the design's own order to begin with

    def place(self, seat: np.ndarray) -> None:
        """Give every person a seat (person -> seat) and recompute who meets whom."""
        self.seat = seat.copy()
        self.together = self.rounds_together[np.ix_(seat, seat)]
        self.together_first = self.first_together[np.ix_(seat, seat)]
        self.counts = np.zeros((len(self.table_of), self.tables, len(self.low)), dtype=np.int64)
        for r in range(len(self.table_of)):
            np.add.at(self.counts[r], (self.table_of[r, seat], self.role), 1)

    def _misses(self, counts: np.ndarray) -> np.ndarray:
        """Role-bound misses of tables, given their role counts on the last axis."""
        misses = np.maximum(0, self.low - counts) + np.maximum(0, counts - self.high)
        return np.asarray(misses.sum(-1))

    def cost(self) -> int:
        """The total cost of the rules broken by the current seats."""
        roles = ROLE * int(self._misses(self.counts).sum())
        if not self.with_pairs:
            return roles
        pairs = (self.weight * self.together).sum()
        pairs += (self.first_weight * self.together_first).sum()
        return int(pairs // 2) + self.apart_first + roles

    def conflicted(self) -> np.ndarray:
        """People who break a rule now: in a costly pair, or at a table missing its role bounds."""
        costly = np.zeros(len(self.seat), dtype=bool)
        if self.with_pairs:
            costly |= (self.weight * self.together).sum(1) > 0
            costly |= (self.first_weight * (1 - self.together_first)).sum(1) < 0
        bad = self._misses(self.counts) > 0  # round, table
        for r in range(len(self.counts)):
            costly |= bad[r, self.table_of[r, self.seat]]
        return np.flatnonzero(costly)

    def swap_deltas(self, a: int) -> np.ndarray:
        """The cost change of swapping a's seat with each person's."""
        delta = np.zeros(len(self.seat), dtype=np.int64)
        pairs = ((self.weight, self.together), (self.first_weight, self.together_first))
        for weight, met in pairs if self.with_pairs else ():
            # Everyone a knows now meets b's table-mates, and the other way round; the pair
            # (a, b) itself keeps meeting as often, hence the correction.
            row = weight[a] @ met
            column = weight @ met[:, a]
            own = (weight * met).sum(1)
            delta += row - row[a] + column - own + 2 * weight[a] * met[a]
        role_a = self.role[a]
        for r in range(len(self.counts)):
            tables = self.table_of[r, self.seat]
            counts, ta = self.counts[r], tables[a]
            one = np.eye(counts.shape[1], dtype=np.int64)
            before = self._misses(counts)
            # a's table loses a's role and gains b's; b's table the other way round.
            into_a = self._misses(counts[ta] - one[role_a] + one) - before[ta]
            into_b = self._misses(counts[:, None, :] - one + one[role_a]) - before[:, None]
            change = into_a[self.role] + into_b[tables, self.role]
            delta += ROLE * np.where((tables != ta) & (self.role != role_a), change, 0)
        delta[a] = 0
        return delta

    def swap(self, a: int, b: int) -> None:
        """Exchange the seats of a and b."""
        sa, sb = self.seat[a], self.seat[b]
        if self.role[a] != self.role[b]:
            for r in range(len(self.counts)):
                ta, tb = self.table_of[r, sa], self.table_of[r, sb]
                self.counts[r, ta, self.role[a]] -= 1
                self.counts[r, ta, self.role[b]] += 1
                self.counts[r, tb, self.role[b]] -= 1
                self.counts[r, tb, self.role[a]] += 1
        self.seat[a], self.seat[b] = sb, sa
        for met in (self.together, self.together_first):
            met[[a, b]] = met[[b, a]]
            met[:, [a, b]] = met[:, [b, a]]


def relabel(
    problem: Problem, design: Rounds, *, deadline: float, rng: random.Random
) -> list[list[list[int]]]:
    """The design's rounds with people in its seats, the rules kept as far as the time allows.

    Returns rounds → tables → person indexes (into ``problem.people``); the hosts' tables
    are renamed in each round so that every host sits at their own table.
    """
    labelling = Labelling(problem, design)
    if problem.roles_per_table:
        # The role bounds alone first, which spreads the people they count over the
        # tables; then swaps between people of one role keep every table's role counts
        # while the pairs are set apart. Far quicker than all rules at once.
        labelling.with_pairs = False
        _descend(labelling, deadline, rng, same_role=False)
        labelling.with_pairs = True
        _descend(labelling, deadline, rng, same_role=True)
    _descend(labelling, deadline, rng, same_role=False)
    return _seat(problem, design, labelling.seat)


def _descend(labelling: Labelling, deadline: float, rng: random.Random, *, same_role: bool) -> None:
    """Swap seats (tabu search) until nothing is broken, the time is up or the search stalls;
    leave the labelling at the best seats seen."""
    cost = best_cost = labelling.cost()
    best = labelling.seat.copy()
    tabu_until = np.zeros(len(labelling.seat), dtype=np.int64)
    step = last_better = 0
    while best_cost > 0 and step - last_better < STALL:
        step += 1
        if step % CLOCK_EVERY == 0 and time.perf_counter() > deadline:
            break
        conflicted = labelling.conflicted()
        a = int(conflicted[rng.randrange(len(conflicted))])
        delta = labelling.swap_deltas(a)
        allowed = (tabu_until <= step) | (cost + delta < best_cost)  # aspiration
        allowed[a] = False
        if same_role:
            allowed &= labelling.role == labelling.role[a]
        if not allowed.any():
            continue
        options = np.flatnonzero(allowed & (delta == delta[allowed].min()))
        b = int(options[rng.randrange(len(options))])
        labelling.swap(a, b)
        cost += int(delta[b])
        tabu_until[[a, b]] = step + TENURE + rng.randrange(TENURE)
        if cost < best_cost:
            best_cost, best, last_better = cost, labelling.seat.copy(), step
    labelling.place(best)


def _seat(problem: Problem, design: Rounds, seat_of: np.ndarray) -> list[list[list[int]]]:
    """Rounds → tables → people from each person's seat, hosts' tables renamed into place."""
    people = len(problem.people)
    person_at = np.empty(len(seat_of), dtype=np.int64)
    person_at[seat_of] = np.arange(len(seat_of))
    index = {p.id: i for i, p in enumerate(problem.people)}
    rounds: list[list[list[int]]] = []
    for r, tables in enumerate(design):
        seated = [
            [
                int(person_at[s])
                for s in members
                if person_at[s] < people and problem.people[person_at[s]].present(r)
            ]
            for members in tables
        ]
        order: list[int | None] = [None] * len(tables)
        for host, table in problem.hosts:
            where = next((t for t, members in enumerate(seated) if index[host] in members), None)
            if where is not None and order[table] is None and where not in order:
                order[table] = where
        rest = iter(t for t in range(len(tables)) if t not in order)
        rounds.append([seated[t if t is not None else next(rest)] for t in order])
    return rounds
