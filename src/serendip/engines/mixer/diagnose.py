"""Why the hard rules cannot all hold: counting arguments (pigeonhole) on the problem alone.

Each ``Conflict`` names the rules in conflict, who and where, and the counts that prove
it. The solver adds them to a plan that still breaks a hard rule; an empty answer proves
nothing (the exact search of ``exact`` may still prove a small problem infeasible). One
is no proof: for 100 people at 10 tables of 10 over 5 rounds or more, no repeat-free
seating is known (an open problem), which the conflict says with ``proved`` False.
"""

from __future__ import annotations

from itertools import combinations

from serendip.engines.mixer.types import Conflict, Problem


def fewest_pairs(present: int, tables: tuple[int, ...]) -> int:
    """The fewest pairs sharing a table when ``present`` people sit at tables of these sizes:
    spread them as evenly as the sizes allow."""
    seated = [0] * len(tables)
    for _ in range(present):
        # The emptiest table with a free seat.
        t = min((t for t, size in enumerate(tables) if seated[t] < size), key=lambda t: seated[t])
        seated[t] += 1
    return sum(k * (k - 1) // 2 for k in seated)


def conflicts(problem: Problem) -> tuple[Conflict, ...]:
    """Why some hard rules cannot all hold, by counting (or, for squares of order 10, why no
    seating is known); empty if no argument applies."""
    found: list[Conflict] = []
    rounds = problem.rounds
    colleagues = problem.colleagues if problem.separate_organizations else frozenset()
    apart = ("repeated pair", "colleagues") if colleagues else ("repeated pair",)
    and_apart = " and colleagues apart" if colleagues else ""
    hosts_at: dict[int, list[str]] = {}
    for host, table in problem.hosts:
        hosts_at.setdefault(table, []).append(host)
    for table, hosts in sorted(hosts_at.items()):
        for a, b in combinations(sorted(hosts), 2):
            if rounds > 1:
                found.append(
                    Conflict(
                        "hosts",
                        f"hosts and no pair twice: {a} and {b} both host table {table + 1}, "
                        f"so they sit together in all {rounds} rounds",
                        (a, b),
                        None,
                        table + 1,
                        rules=("hosts", "repeated pair"),
                        numbers=(rounds,),
                    )
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
            Conflict(
                "pairs",
                f"no pair twice{and_apart}: the {rounds} rounds seat at least {seated_pairs} "
                f"pairs at shared tables but only {allowed} pairs may meet, so at least "
                f"{seated_pairs - allowed} meet twice",
                rules=apart,
                numbers=(rounds, seated_pairs, allowed, seated_pairs - allowed),
            )
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
                Conflict(
                    "table-mates",
                    f"no pair twice{and_apart}: {person.id} has at least {mates} table-mates "
                    f"over the rounds but only {partners[person.id]} people they may sit with",
                    (person.id,),
                    rules=apart,
                    numbers=(mates, partners[person.id]),
                )
            )
            break  # one person is proof enough; the others are alike
    found.extend(_squares(problem))
    return tuple(found)


def _squares(problem: Problem) -> list[Conflict]:
    """n * n people at n tables of n in every round meet nobody twice over k rounds exactly
    when k - 2 mutually orthogonal Latin squares of order n exist (the rounds are the
    parallel classes of a net). None pair exists for order 6 (Tarry, 1900): 4 rounds are
    impossible. For order 10 two are known and three are an open problem: 5 rounds have
    no known seating, which proves nothing."""
    size = problem.tables[0]
    full = all(
        sum(1 for p in problem.people if p.present(r)) == size * size for r in range(problem.rounds)
    )
    if set(problem.tables) != {size} or len(problem.tables) != size or not full:
        return []
    squares = problem.rounds - 2
    if size == 6 and squares >= 2:
        message = (
            f"no pair twice: {size * size} people at {size} tables of {size} for "
            f"{problem.rounds} rounds need {squares} mutually orthogonal Latin squares of "
            f"order {size}, and two do not exist (Tarry, 1900)"
        )
        return [
            Conflict(
                "latin squares",
                message,
                rules=("repeated pair",),
                numbers=(size * size, size, problem.rounds, squares),
            )
        ]
    if size == 10 and squares >= 3 and problem.rounds <= size + 1:
        message = (
            f"no pair twice: {size * size} people at {size} tables of {size} for "
            f"{problem.rounds} rounds need {squares} mutually orthogonal Latin squares of "
            f"order {size}; none are known (an open problem), so no such seating is known"
        )
        return [
            Conflict(
                "latin squares",
                message,
                rules=("repeated pair",),
                numbers=(size * size, size, problem.rounds, squares),
                proved=False,
            )
        ]
    return []
