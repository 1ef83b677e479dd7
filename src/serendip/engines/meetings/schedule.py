"""Putting the chosen pairs into rounds: one b-matching per round, tightest people first.

Without unavailability this is bipartite edge colouring (König: as many rounds
as the busiest person's meetings suffice). With it, a person whose remaining
meetings fill their remaining free slots must meet in every round, so each
round's matching gives priority to the people closest to that limit.
"""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np
from ortools.graph.python import min_cost_flow

from serendip.engines.meetings.timetable import Timetable
from serendip.engines.meetings.types import Pair

SCALE = 1000
CONTINUITY = 1.0  # worth as much as a fully tight person: days in one block, not in pieces


def _tightness(table: Timetable, pending: list[Pair], start: int) -> dict[str, float]:
    """Remaining meetings ÷ remaining free slots, for every person with a pending pair."""
    need: dict[str, int] = defaultdict(int)
    for pair in pending:
        need[pair[0]] += 1
        need[pair[1]] += 1
    tight = {}
    later = [r for r in table.open_rounds if r >= start]
    for person, count in need.items():
        slots = sum(
            table.capacity[person] - table.load[person][r]
            for r in later
            if table.available[person][r]
        )
        tight[person] = count / max(slots, 1)
    return tight


def _match_round(table: Timetable, pending: list[Pair], r: int) -> list[Pair]:
    """A max-weight b-matching among the pending pairs that fit round ``r``."""
    fitting = [p for p in pending if table.fits(p, r)]
    room = table.problem.tables - table.round_load[r]
    if not fitting or room <= 0:
        return []
    tight = _tightness(table, pending, r)
    people = sorted({person for pair in fitting for person in pair})
    node = {person: 2 + i for i, person in enumerate(people)}
    bosses = {pair[0] for pair in fitting}
    arcs_in: list[tuple[int, int, int, int]] = []  # tail, head, capacity, cost
    for person in people:
        left = table.capacity[person] - table.load[person][r]
        ends = (0, node[person]) if person in bosses else (node[person], 1)
        arcs_in.append((*ends, left, 0))
    first = len(arcs_in)
    # Someone who met in the previous round keeps going: their day stays in one block.
    going = {p for p in people if r > 0 and table.load[p][r - 1] > 0}
    for boss, sponsor in fitting:
        # Squared tightness: someone who must meet in every remaining round comes first.
        weight = 1 + int(SCALE * (tight[boss] ** 2 + tight[sponsor] ** 2))
        weight += int(CONTINUITY * SCALE) * ((boss in going) + (sponsor in going))
        arcs_in.append((node[boss], node[sponsor], 1, -weight))
    arcs_in.append((0, 1, room, 0))  # tables left empty
    tails, heads, caps, costs = zip(*arcs_in, strict=True)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(caps, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    supplies = np.zeros(2 + len(people), dtype=np.int64)
    supplies[0], supplies[1] = room, -room
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    if flow.solve() != flow.OPTIMAL:
        return []
    used = flow.flows(arcs[first : first + len(fitting)])
    return [pair for pair, f in zip(fitting, used, strict=True) if f]


def schedule_pairs(table: Timetable, pairs: list[Pair], rng: random.Random) -> list[Pair]:
    """Place the pairs round by round; returns those that could not be placed."""
    pending = list(pairs)
    rng.shuffle(pending)  # the seed decides ties between equally good matchings
    for r in table.open_rounds:
        chosen = set(_match_round(table, pending, r))
        for pair in chosen:
            table.place(pair, r)
        pending = [p for p in pending if p not in chosen]
        if not pending:
            break
    return [p for p in pending if not table.place_with_moves(p)]
