"""The mixer: seat everyone on a design where one fits the room (who takes which seat is
chosen by ``relabel``), else round by round, strangers first; then improve by tabu search."""

from __future__ import annotations

import random
import time

import numpy as np

from serendip.engines.mixer.designs import Rounds, design_for
from serendip.engines.mixer.measure import new_pairs_bound, seating_stats
from serendip.engines.mixer.relabel import relabel
from serendip.engines.mixer.search import BLOCKED, Seats, tabu_search
from serendip.engines.mixer.types import Plan, Problem


def _design(problem: Problem) -> Rounds | None:
    """A repeat-free design for the room, if its tables are all one size and one is known.

    Empty seats are fine (fewer people than seats); hosts must have tables of their own.
    """
    sizes = set(problem.tables)
    seats = sum(problem.tables)
    hosted = [table for _host, table in problem.hosts]
    if len(sizes) != 1 or len(problem.people) > seats or len(set(hosted)) != len(hosted):
        return None
    return design_for(problem.tables, seats, problem.rounds)


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
    design = _design(problem)
    if design is not None:
        # Half the time at most to fit the club's rules onto the design; the tabu search
        # then mends whatever is left (or stops at once if nothing is).
        rounds = relabel(problem, design, deadline=started + time_limit / 2, rng=rng)
        for r, tables in enumerate(rounds):
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
