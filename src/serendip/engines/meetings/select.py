"""Choosing which pairs meet: a max-value b-matching with minimums, as a min-cost flow.

The flow ignores rounds and keeps only what any plan must obey (degree limits,
meeting once, a common free round, the total number of table slots). Its
optimum is therefore both the pairs to schedule and a proven bound: no plan
reaches a smaller shortfall, and none with the same shortfall a larger value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from serendip.engines.meetings.types import Pair, Problem, Side

# Per-pair penalties, below any difference of value: an unwished pair is used only
# when a minimum needs it, and a pair who already met only when no stranger will do.
PENALTY_STRANGER = 1
PENALTY_ALREADY_MET = 2


@dataclass(frozen=True)
class Selection:
    """The chosen pairs and what they prove about every plan."""

    pairs: tuple[Pair, ...]
    value: int
    shortfall: int


@dataclass(frozen=True)
class Candidates:
    """Every pair that may meet in an open round, with its value and penalty."""

    bosses: tuple[str, ...]
    sponsors: tuple[str, ...]
    boss_index: np.ndarray  # index into bosses, one per candidate pair
    sponsor_index: np.ndarray
    value: np.ndarray
    penalty: np.ndarray

    def pair(self, k: int) -> Pair:
        """The (boss, sponsor) ids of candidate ``k``."""
        return self.bosses[int(self.boss_index[k])], self.sponsors[int(self.sponsor_index[k])]


def open_slots(problem: Problem, open_rounds: range) -> dict[str, np.ndarray]:
    """For each person, a 0/1 vector over rounds: available and open."""
    index = {r: i for i, r in enumerate(problem.round_ids)}
    slots = {}
    for person in problem.people:
        row = np.zeros(len(index), dtype=np.float32)
        row[list(open_rounds)] = 1.0
        row[[index[r] for r in person.unavailable]] = 0.0
        slots[person.id] = row
    return slots


def candidates(problem: Problem, *, open_rounds: range, exclude: set[Pair]) -> Candidates:
    """Pairs not declined, not excluded, that share at least one open round."""
    bosses = tuple(p.id for p in problem.people if p.side == Side.BOSS)
    sponsors = tuple(p.id for p in problem.people if p.side == Side.SPONSOR)
    slots = open_slots(problem, open_rounds)
    empty = np.zeros((0, len(problem.rounds)), dtype=np.float32)
    boss_slots = np.array([slots[b] for b in bosses]) if bosses else empty
    sponsor_slots = np.array([slots[s] for s in sponsors]) if sponsors else empty
    common = (boss_slots @ sponsor_slots.T) > 0
    b_index = {b: i for i, b in enumerate(bosses)}
    s_index = {s: i for i, s in enumerate(sponsors)}
    for boss, sponsor in problem.declines | exclude:
        common[b_index[boss], s_index[sponsor]] = False
    bi, si = np.nonzero(common)
    values = np.zeros(len(bi), dtype=np.int64)
    penalty = np.full(len(bi), PENALTY_STRANGER, dtype=np.int64)
    position = {(int(b), int(s)): k for k, (b, s) in enumerate(zip(bi, si, strict=True))}
    for (boss, sponsor), value in problem.pair_values().items():
        k = position.get((b_index[boss], s_index[sponsor]))
        if k is not None:
            values[k] = value
            penalty[k] = 0
    for boss, sponsor in problem.already_met:
        k = position.get((b_index[boss], s_index[sponsor]))
        if k is not None and values[k] == 0:
            penalty[k] = PENALTY_ALREADY_MET
    return Candidates(bosses, sponsors, bi, si, values, penalty)


def select_pairs(
    problem: Problem,
    pool: Candidates,
    *,
    fixed: Counter[str],
    open_rounds: range,
    table_slots: int,
    with_minimums: bool = True,
) -> Selection:
    """The lexicographic optimum of the relaxation: least shortfall, then most value.

    ``pool`` holds the pairs that may still meet (``candidates``); ``fixed`` counts
    the meetings each person already has (fixed or kept); ``table_slots`` is how
    many more meetings the open rounds can hold.
    """
    slots = open_slots(problem, open_rounds)
    names = pool.bosses + pool.sponsors
    n_bosses = len(pool.bosses)
    partners = np.concatenate(
        [
            np.bincount(pool.boss_index, minlength=n_bosses),
            np.bincount(pool.sponsor_index, minlength=len(pool.sponsors)),
        ]
    )
    flow_cap = max(0, table_slots)
    weight = 2 * flow_cap + PENALTY_ALREADY_MET + 1  # one unit of value beats every penalty
    big = weight * int(pool.value.sum()) + PENALTY_ALREADY_MET * flow_cap + 1

    source, sink = 0, 1
    tails: list[np.ndarray] = []
    heads: list[np.ndarray] = []
    caps: list[np.ndarray] = []
    costs: list[np.ndarray] = []
    for i, person_id in enumerate(names):
        person = problem.person(person_id)
        node = 2 + i
        free = int(slots[person_id].sum()) * person.capacity
        cap = max(0, min(person.max_meetings - fixed[person_id], free, int(partners[i])))
        need = max(0, person.min_meetings - fixed[person_id])
        floor = min(need, cap) if with_minimums else 0
        ends = (source, node) if i < n_bosses else (node, sink)
        for amount, cost in ((floor, -big), (cap - floor, 0)):
            if amount > 0:
                tails.append(np.array([ends[0]]))
                heads.append(np.array([ends[1]]))
                caps.append(np.array([amount]))
                costs.append(np.array([cost]))
    tails.append(2 + pool.boss_index)
    heads.append(2 + n_bosses + pool.sponsor_index)
    caps.append(np.ones(len(pool.boss_index), dtype=np.int64))
    costs.append(-weight * pool.value + pool.penalty)
    first_pair_arc = sum(len(t) for t in tails[:-1])
    tails.append(np.array([source]))  # leftover supply bypasses the people
    heads.append(np.array([sink]))
    caps.append(np.array([flow_cap]))
    costs.append(np.array([0]))

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    supplies = np.zeros(2 + len(names), dtype=np.int64)
    supplies[source], supplies[sink] = flow_cap, -flow_cap
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the pair-selection flow failed with status {status}")
    pair_flows = flow.flows(arcs[first_pair_arc : first_pair_arc + len(pool.boss_index)])
    chosen = np.nonzero(pair_flows)[0]
    degree: Counter[str] = Counter()
    pairs = []
    for k in chosen:
        pair = pool.pair(int(k))
        pairs.append(pair)
        degree[pair[0]] += 1
        degree[pair[1]] += 1
    shortfall = sum(max(0, p.min_meetings - fixed[p.id] - degree[p.id]) for p in problem.people)
    return Selection(tuple(pairs), int(pool.value[chosen].sum()), shortfall)
