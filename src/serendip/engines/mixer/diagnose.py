"""Why the hard rules cannot all hold: counting arguments (pigeonhole) on the problem alone.

Each sentence names the rules in conflict and the counts that prove it. The solver adds
them to a plan that still breaks a hard rule; an empty answer proves nothing (the exact
search of ``exact`` may still prove a small problem infeasible).
"""

from __future__ import annotations

from itertools import combinations

from serendip.engines.mixer.types import Problem


def fewest_pairs(present: int, tables: tuple[int, ...]) -> int:
    """The fewest pairs sharing a table when ``present`` people sit at tables of these sizes:
    spread them as evenly as the sizes allow."""
    seated = [0] * len(tables)
    for _ in range(present):
        # The emptiest table with a free seat.
        t = min((t for t, size in enumerate(tables) if seated[t] < size), key=lambda t: seated[t])
        seated[t] += 1
    return sum(k * (k - 1) // 2 for k in seated)


def conflicts(problem: Problem) -> tuple[str, ...]:
    """Sentences proving that some hard rules cannot all hold, by counting; empty if none."""
    found: list[str] = []
    rounds = problem.rounds
    colleagues = problem.colleagues if problem.separate_organizations else frozenset()
    hosts_at: dict[int, list[str]] = {}
    for host, table in problem.hosts:
        hosts_at.setdefault(table, []).append(host)
    for table, hosts in sorted(hosts_at.items()):
        for a, b in combinations(sorted(hosts), 2):
            if rounds > 1:
                found.append(
                    f"hosts and no pair twice: {a} and {b} both host table {table + 1}, "
                    f"so they sit together in all {rounds} rounds"
                )
    # Every round seats at least so many pairs together; only so many pairs may ever meet.
    seated_pairs = sum(
        fewest_pairs(sum(1 for p in problem.people if p.present(r)), problem.tables)
        for r in range(rounds)
    )
    n = len(problem.people)
    allowed = n * (n - 1) // 2 - len(colleagues)
    if seated_pairs > allowed:
        found.append(
            f"no pair twice{' and colleagues apart' if colleagues else ''}: the {rounds} rounds "
            f"seat at least {seated_pairs} pairs at shared tables but only {allowed} pairs "
            f"may meet, so at least {seated_pairs - allowed} meet twice"
        )
    # Per person: with few empty seats, everyone has table-mates every round.
    seats = sum(problem.tables)
    smallest = min(problem.tables)
    partners = {p.id: n - 1 for p in problem.people}
    for a, b in colleagues:
        partners[a] -= 1
        partners[b] -= 1
    empty = [seats - sum(1 for p in problem.people if p.present(r)) for r in range(rounds)]
    for person in problem.people:
        mates = sum(max(0, smallest - empty[r] - 1) for r in range(rounds) if person.present(r))
        if mates > partners[person.id]:
            found.append(
                f"no pair twice{' and colleagues apart' if colleagues else ''}: {person.id} "
                f"has at least {mates} table-mates over the rounds but only "
                f"{partners[person.id]} people they may sit with"
            )
            break  # one person is proof enough; the others are alike
    return tuple(found)
