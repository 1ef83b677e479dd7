"""Measuring a seating: repeated pairs, pairs that should sit apart, role bounds, new pairs.

Used by the solver to report on its plan and by ``check`` on any plan, so that
both count the same way. The bound on new pairs depends only on the problem.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

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


def new_pairs_bound(problem: Problem) -> int:
    """The most distinct new pairs any seating can reach, from table sizes and attendance."""
    per_round = 0
    for r in range(problem.rounds):
        present = sum(1 for p in problem.people if p.present(r))
        for size in sorted(problem.tables, reverse=True):
            seated = min(size, present)
            per_round += seated * (seated - 1) // 2
            present -= seated
    largest = max(problem.tables) - 1
    attended = {p.id: sum(1 for r in range(problem.rounds) if p.present(r)) for p in problem.people}
    excluded = problem.known_pairs | problem.together | problem.colleagues
    eligible = len(problem.people) * (len(problem.people) - 1) // 2 - len(excluded)
    # Each person meets at most (largest table - 1) new people per round attended.
    partners = {p.id: len(problem.people) - 1 for p in problem.people}
    for a, b in excluded:
        partners[a] -= 1
        partners[b] -= 1
    per_person = sum(min(partners[p], largest * attended[p]) for p in partners) // 2
    return min(per_round, eligible, per_person)


def seating_stats(problem: Problem, seating: Seating, *, seconds: float) -> Stats:
    """The stats block of a plan."""
    met = co_seatings(seating)
    colleagues = problem.colleagues if problem.separate_organizations else frozenset()
    excluded = problem.known_pairs | problem.together | problem.colleagues
    return Stats(
        repeated_pairs=sum(count - 1 for count in met.values() if count > 1),
        known_pairs_together=sum(count for p, count in met.items() if p in problem.known_pairs),
        colleagues_together=sum(count for p, count in met.items() if p in colleagues),
        role_bound_misses=sum(role_misses(problem, t) for tables in seating for t in tables),
        new_pairs=sum(1 for p in met if p not in excluded),
        new_pairs_bound=new_pairs_bound(problem),
        seconds=seconds,
    )
