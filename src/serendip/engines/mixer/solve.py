"""The mixer: seat everyone round by round, strangers first, then improve by tabu search."""

from __future__ import annotations

import random
import time

import numpy as np

from serendip.engines.mixer.designs import design_for
from serendip.engines.mixer.measure import new_pairs_bound, seating_stats
from serendip.engines.mixer.search import BLOCKED, Seats, tabu_search
from serendip.engines.mixer.types import Plan, Problem


def _is_pure(problem: Problem) -> bool:
    """Whether the problem is a plain social golfer problem, with no club rule at all."""
    return not (
        problem.known_pairs
        or problem.together
        or problem.hosts
        or problem.roles_per_table
        or (problem.separate_organizations and problem.colleagues)
        or any(p.leaves_after is not None for p in problem.people)
    )


def _greedy(seats: Seats, rng: random.Random) -> None:
    """Seat each round in turn, each person at the table where they cost least."""
    problem = seats.problem
    hosts = dict(problem.hosts)
    groups: dict[str, set[str]] = {}
    for a, b in problem.together:  # people joined by together pairs sit as one group in round 1
        merged = groups.get(a, {a}) | groups.get(b, {b})
        for person in merged:
            groups[person] = merged
    # People whose role a table needs a minimum of are seated first, spread over the room.
    needed = {role for role, low, _high in problem.roles_per_table if low > 0}
    for r in range(problem.rounds):
        order = [p.id for p in problem.people if p.present(r)]
        rng.shuffle(order)
        order.sort(key=lambda person: problem.by_id[person].role not in needed)
        seated: set[str] = set()
        for host, table in problem.hosts:
            seats.sit(r, seats.index[host], table)
            seated.add(host)
        if r == 0:
            for group in sorted({frozenset(g) for g in groups.values()}, key=len, reverse=True):
                members = [seats.index[p] for p in sorted(group) if p not in seated]
                host_table = next((hosts[p] for p in group if p in hosts), None)
                if host_table is None:
                    room = seats.sizes - seats.sizes_now(r)
                    costs = sum(seats.join_costs(r, i) for i in members)
                    costs = np.where(room >= len(members), costs, BLOCKED)
                    host_table = int(np.argmin(costs))
                for i in members:
                    seats.sit(r, i, host_table)
                seated |= group
        for person in order:
            if person in seated:
                continue
            i = seats.index[person]
            costs = seats.join_costs(r, i)
            # Least cost first; then the emptier table, so that people spread over the room.
            best = np.flatnonzero(costs == costs.min())
            seats.sit(r, i, int(best[np.argmin(seats.sizes_now(r)[best])]))


def solve(problem: Problem, *, time_limit: float = 10.0, seed: int = 0) -> Plan:
    """The best seating found within ``time_limit`` seconds; the same seed gives the same plan
    whenever the search ends before the time limit."""
    started = time.perf_counter()
    rng = random.Random(seed)
    seats = Seats(problem)
    design = (
        design_for(problem.tables, len(problem.people), problem.rounds)
        if _is_pure(problem)
        else None
    )
    if design is not None:
        for r, tables in enumerate(design):
            for t, members in enumerate(tables):
                for i in members:
                    seats.sit(r, i, t)
    else:
        _greedy(seats, rng)
    best = tabu_search(
        seats, floor=-new_pairs_bound(problem), deadline=started + time_limit, rng=rng
    )
    seating = tuple(
        tuple(
            tuple(seats.ids[i] for i in np.flatnonzero(tables == t))
            for t in range(len(seats.sizes))
        )
        for tables in best
    )
    return Plan(seating, seating_stats(problem, seating, seconds=time.perf_counter() - started))
