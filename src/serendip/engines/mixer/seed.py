"""A first choice of who takes which seat of a design, greedily, hard rules and role bounds first.

A design (``designs``) fixes which seats share a table in every round; ``relabel`` then
swaps people between seats until the club's rules hold. Starting it from seats chosen
at random leaves it hundreds of conflicts to mend, more than a starved machine gives it
time for. Here people take seats one at a time, those a role bound needs first (spread so
that every table of every round gets its minimum), then the most constrained: each takes
the free seat where they break the fewest rules with the people already seated
(colleagues, hosts of two tables, together pairs apart in round one, then known pairs).
The answer is the same design with its seats renumbered so that seat k is person k's:
``relabel`` starts from it unchanged.
"""

from __future__ import annotations

import random

import numpy as np

from serendip.engines.mixer.designs import Rounds
from serendip.engines.mixer.search import HARD, KNOWN, ROLE
from serendip.engines.mixer.types import Problem


def seeded(problem: Problem, design: Rounds, rng: random.Random) -> Rounds:
    """The design renumbered so that person k (of ``problem.people``) sits in seat k."""
    seats = sum(len(table) for table in design[0])
    people = len(problem.people)
    index = {p.id: i for i, p in enumerate(problem.people)}
    rounds = len(design)
    table_of = np.zeros((rounds, seats), dtype=np.int64)
    for r, layout in enumerate(design):
        for t, members in enumerate(layout):
            table_of[r, members] = t
    tables = len(design[0])
    weight = np.zeros((people, people), dtype=np.int64)  # per round shared
    rules: list[tuple[tuple[str, str], int]] = [(p, KNOWN) for p in problem.known_pairs]
    if problem.separate_organizations:
        rules += [(p, HARD) for p in problem.colleagues]
    hosts = list(problem.hosts)
    rules += [
        ((a, b), HARD) for i, (a, ta) in enumerate(hosts) for b, tb in hosts[i + 1 :] if ta != tb
    ]
    for (a, b), w in rules:
        i, j = index[a], index[b]
        weight[i, j] = weight[j, i] = max(w, weight[i, j])
    partner: dict[int, list[int]] = {}
    for a, b in problem.together:
        partner.setdefault(index[a], []).append(index[b])
        partner.setdefault(index[b], []).append(index[a])
    bounded = [role for role, _low, _high in problem.roles_per_table]
    low = np.array([low for _r, low, _h in problem.roles_per_table] + [0], dtype=np.int64)
    high = np.array([high for _r, _l, high in problem.roles_per_table] + [seats], dtype=np.int64)
    role = np.array(
        [bounded.index(p.role) if p.role in bounded else len(bounded) for p in problem.people],
        dtype=np.int64,
    )
    counts = np.zeros((rounds, tables, len(bounded) + 1), dtype=np.int64)
    # Role-bound people first (the scarcest role first), then by how many rules bind them.
    scarcity = {k: int((role == k).sum()) for k in range(len(bounded)) if low[k] > 0}
    binding = (weight > 0).sum(1) + np.array([len(partner.get(i, [])) for i in range(people)])
    order = list(range(people))
    rng.shuffle(order)
    order.sort(key=lambda i: (scarcity.get(int(role[i]), seats + 1), -int(binding[i])))
    seat_of = np.full(people, -1, dtype=np.int64)
    free = np.ones(seats, dtype=bool)
    rows = np.arange(rounds)[:, None]
    for i in order:
        cost = np.zeros(seats, dtype=np.int64)
        placed = np.flatnonzero((weight[i] > 0) & (seat_of >= 0))
        for j in placed.tolist():
            shared = (table_of == table_of[:, [seat_of[j]]]).sum(0)
            cost += weight[i, j] * shared
        for j in partner.get(i, []):
            if seat_of[j] >= 0:
                cost += HARD * (table_of[0] != table_of[0, seat_of[j]])
        k = int(role[i])
        if k < len(bounded):
            here = counts[rows, table_of, k]  # (round, seat): people of the role at that table
            cost += ROLE * ((here >= high[k]).sum(0) - (here < low[k]).sum(0))
        cost = np.where(free, cost, np.iinfo(np.int64).max)
        # The first of the cheapest seats: designs number a set of seats that never meet
        # (a column) one after the other, so people of one role fill columns in turn.
        seat = int(np.argmin(cost))
        seat_of[i] = seat
        free[seat] = False
        counts[np.arange(rounds), table_of[:, seat], k] += 1
    # Seats nobody took come after the people, in order.
    number = np.empty(seats, dtype=np.int64)
    number[seat_of] = np.arange(people)
    number[np.flatnonzero(free)] = np.arange(people, seats)
    return [[[int(number[s]) for s in members] for members in tables_] for tables_ in design]
