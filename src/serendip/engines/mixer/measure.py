"""Measuring a seating: repeated pairs, pairs that should sit apart, role bounds, new pairs.

Used by the solver to report on its plan and by ``check`` on any plan, so that
both count the same way. The bound on new pairs depends only on the problem (and on
whether the plan keeps the role bounds).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import combinations

import numpy as np
from ortools.graph.python import max_flow

from serendip.engines.mixer.diagnose import fewest_pairs
from serendip.engines.mixer.types import Pair, Problem, Seating, Stats, pair


def co_seatings(seating: Seating) -> Counter[Pair]:
    """How many rounds each pair of people shares a table."""
    met: Counter[Pair] = Counter()
    for tables in seating:
        for table in tables:
            for a, b in combinations(table, 2):
                met[pair(a, b)] += 1
    return met


def role_misses(problem: Problem, table: tuple[str, ...]) -> int:
    """How far a non-empty table is outside the role bounds (people missing or too many)."""
    if not table:
        return 0
    roles = Counter(problem.by_id[p].role for p in table)
    return sum(
        max(0, low - roles[role]) + max(0, roles[role] - high)
        for role, low, high in problem.roles_per_table
    )


def _round_bound(problem: Problem, excluded: frozenset[Pair]) -> int:
    """Per round, the pairs the fullest tables seat, less the excluded pairs (known people,
    colleagues, together pairs) that some groups force together: a clique of k people
    over g tables shares a table at least as often as k spread evenly."""
    total = 0
    groups = _cliques(problem, excluded)
    for r in range(problem.rounds):
        present = sum(1 for p in problem.people if p.present(r))
        left = present
        for size in sorted(problem.tables, reverse=True):
            seated = min(size, left)
            total += seated * (seated - 1) // 2
            left -= seated
        for group in groups:
            here = sum(1 for person in group if problem.by_id[person].present(r))
            total -= fewest_pairs(here, problem.tables)
    return total


def _fits(rows: list[int], columns: list[int]) -> bool:
    """Whether a 0/1 matrix has these row and column sums (Gale and Ryser): whether two
    rounds with these table sizes can seat everyone with no pair together twice (entry
    (t, u): whether someone sits at table t in one round and at table u in the other)."""
    if sum(rows) != sum(columns):
        return False
    ordered = sorted(columns, reverse=True)
    return all(
        sum(ordered[:k]) <= sum(min(size, k) for size in rows) for k in range(1, len(ordered) + 1)
    )


def _two_rounds_bound(problem: Problem, groups: list[list[str]]) -> int | None:
    """A bound from the table sizes of two rounds at a time, when every table has one size and
    everyone attends every round: the fullest sizes (tables filled in turn) are the only
    ones seating the most pairs, and when two rounds cannot both take them without a pair
    meeting twice (``_fits``), any two rounds seat at most one pair less than twice that,
    repeats included. Each distinct pair is counted in R - 1 of the R(R - 1)/2 pairs of
    rounds at least, hence at most R/2 times (twice the fullest pairs - 1 - the pairs the
    groups of acquaintances force). The 34 members of the karate club at 6 tables of 6
    over 3 rounds: 5 full tables and one of 4 twice would need a 6 x 6 0/1 matrix with
    two empty cells in one row and two in one column; 241, not 243. None when it does
    not apply or gains nothing."""
    sizes = set(problem.tables)
    rounds = problem.rounds
    if len(sizes) != 1 or rounds < 2 or any(p.leaves_after is not None for p in problem.people):
        return None
    size, left = sizes.pop(), len(problem.people)
    fullest = []
    for _table in problem.tables:
        fullest.append(min(size, left))
        left -= fullest[-1]
    if left or _fits(fullest, fullest):
        return None
    most = sum(k * (k - 1) // 2 for k in fullest)
    forced = sum(fewest_pairs(len(group), problem.tables) for group in groups)
    return rounds * (2 * most - 1 - forced) // 2


def _cliques(problem: Problem, excluded: frozenset[Pair]) -> list[list[str]]:
    """Disjoint groups of people who all know each other (or are colleagues), found greedily,
    largest first; only groups larger than the number of tables force anything."""
    near: dict[str, set[str]] = {p.id: set() for p in problem.people}
    for a, b in excluded:
        near[a].add(b)
        near[b].add(a)
    tables = len(problem.tables)
    free = {person for person, others in near.items() if len(others) >= tables}
    groups: list[list[str]] = []
    for person in sorted(free, key=lambda p: (-len(near[p]), p)):
        if person not in free:
            continue
        group = [person]
        for other in sorted(near[person] & free, key=lambda p: (-len(near[p] & free), p)):
            if all(other in near[member] for member in group):
                group.append(other)
        if len(group) > tables:
            groups.append(group)
            free -= set(group)
    return groups


def _flow_bound(problem: Problem, excluded: frozenset[Pair], *, roles: bool) -> int:
    """Half the largest flow in which each person meets each eligible stranger once at most,
    no more people than their tables hold over the rounds they attend, and (with ``roles``)
    no more people of a role per round than the role bounds leave: a fractional matching,
    so an upper bound on the distinct new pairs of any seating keeping the role bounds."""
    people = problem.people
    n = len(people)
    index = {p.id: i for i, p in enumerate(people)}
    bounded = [role for role, _low, _high in problem.roles_per_table] if roles else []
    kinds = len(bounded) + 1  # the last kind: any role without bounds
    kind = [bounded.index(p.role) if p.role in bounded else len(bounded) for p in people]
    low = [low for _r, low, _h in problem.roles_per_table] if roles else []
    high = [high for _r, _l, high in problem.roles_per_table] if roles else []
    largest = max(problem.tables)
    attended = [0] * n
    seats = [0] * n  # the most table-mates over the rounds attended
    for r in range(problem.rounds):
        present = sum(1 for p in people if p.present(r))
        for i, p in enumerate(people):
            if p.present(r):
                attended[i] += 1
                seats[i] += min(largest, present) - 1
    # Per person and kind of partner: the most such table-mates per round, times rounds.
    caps = np.zeros((n, kinds), dtype=np.int64)
    for i in range(n):
        own = [1 if kind[i] == k else 0 for k in range(len(bounded))]
        needed = [max(0, low[k] - own[k]) for k in range(len(bounded))]
        for k in range(kinds):
            room = largest - 1 - sum(needed) + (needed[k] if k < len(bounded) else 0)
            if k < len(bounded):
                room = min(room, high[k] - own[k])
            caps[i, k] = max(0, room) * attended[i]
    eligible = np.ones((n, n), dtype=bool)
    np.fill_diagonal(eligible, False)
    for a, b in excluded:
        eligible[index[a], index[b]] = eligible[index[b], index[a]] = False
    tails_p, heads_p = np.nonzero(eligible)
    if not len(tails_p):
        return 0
    kind_arr = np.array(kind)
    # Nodes: source, sink, left person, left (person, kind), right (person, kind), right person.
    source, sink = 0, 1
    left, left_kind = 2, 2 + n
    right_kind = left_kind + n * kinds
    right = right_kind + n * kinds
    persons = np.arange(n)
    node_kinds = (persons[:, None] * kinds + np.arange(kinds)[None, :]).ravel()
    tails = [
        np.full(n, source),
        np.repeat(left + persons, kinds),
        right_kind + node_kinds,
        right + persons,
        left_kind + tails_p * kinds + kind_arr[heads_p],
    ]
    heads = [
        left + persons,
        left_kind + node_kinds,
        np.repeat(right + persons, kinds),
        np.full(n, sink),
        right_kind + heads_p * kinds + kind_arr[tails_p],
    ]
    capacities = [
        np.array(seats),
        caps.ravel(),
        caps.ravel(),
        np.array(seats),
        np.ones(len(tails_p), dtype=np.int64),
    ]
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(capacities).astype(np.int64),
    )
    if flow.solve(source, sink) != flow.OPTIMAL:
        return n * (n - 1) // 2
    return int(flow.optimal_flow()) // 2


@lru_cache(maxsize=16)
def new_pairs_bound(problem: Problem, *, roles: bool = True) -> int:
    """The most distinct new pairs any seating can reach that keeps the role bounds (all
    seatings without ``roles``): the least of the pairs the tables seat round by round less
    the pairs some acquaintances force together, the eligible pairs, a matching bound per
    person that counts their acquaintances and the role bounds, and the pairs two rounds
    at a time can seat when the fullest table sizes cannot repeat without a repeated pair."""
    excluded = problem.known_pairs | problem.together | problem.colleagues
    n = len(problem.people)
    eligible = n * (n - 1) // 2 - len(excluded)
    bounds = [
        _round_bound(problem, excluded),
        eligible,
        _flow_bound(problem, excluded, roles=roles),
    ]
    two_rounds = _two_rounds_bound(problem, _cliques(problem, excluded))
    if two_rounds is not None:
        bounds.append(two_rounds)
    return min(bounds)


def seating_stats(problem: Problem, seating: Seating, *, seconds: float) -> Stats:
    """The stats block of a plan."""
    met = co_seatings(seating)
    colleagues = problem.colleagues if problem.separate_organizations else frozenset()
    excluded = problem.known_pairs | problem.together | problem.colleagues
    misses = sum(role_misses(problem, t) for tables in seating for t in tables)
    return Stats(
        repeated_pairs=sum(count - 1 for count in met.values() if count > 1),
        known_pairs_together=sum(count for p, count in met.items() if p in problem.known_pairs),
        colleagues_together=sum(count for p, count in met.items() if p in colleagues),
        role_bound_misses=misses,
        new_pairs=sum(1 for p in met if p not in excluded),
        # A plan missing role bounds is measured against every seating, not only those
        # keeping them: its count never exceeds its bound.
        new_pairs_bound=new_pairs_bound(problem, roles=not misses),
        seconds=seconds,
    )
