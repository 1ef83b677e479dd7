"""The independent checker of every hard rule of a seating."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from serendip.engines.mixer.types import Plan, Problem, Seating, Violation, pair


def validate(problem: Problem, plan: Plan | Seating) -> list[Violation]:
    """Every broken hard rule of the seating, in a stable order; empty means valid."""
    seating = plan.rounds if isinstance(plan, Plan) else plan
    violations: list[Violation] = []

    def broken(
        rule: str,
        message: str,
        people: tuple[str, ...] = (),
        round_index: int | None = None,
        table: int | None = None,
    ) -> None:
        violations.append(Violation(rule, message, people, round_index, table))

    if len(seating) != problem.rounds:
        broken("rounds", f"{len(seating)} rounds seated, the problem has {problem.rounds}")
    met: Counter[tuple[str, str]] = Counter()
    rounds_of: dict[tuple[str, str], list[int]] = {}
    for r, tables in enumerate(seating):
        label = f"round {r + 1}"
        if len(tables) != len(problem.tables):
            broken(
                "tables",
                f"{label} lists {len(tables)} tables, the problem has {len(problem.tables)}",
            )
            continue
        seen: Counter[str] = Counter()
        where: dict[str, int] = {}
        for t, (members, size) in enumerate(zip(tables, problem.tables, strict=True)):
            if len(members) > size:
                broken(
                    "seats",
                    f"{label}, table {t + 1}: {len(members)} people for {size} seats",
                    tuple(members),
                    r + 1,
                    t + 1,
                )
            for person_id in members:
                seen[person_id] += 1
                where[person_id] = t
            for a, b in combinations(members, 2):
                met[pair(a, b)] += 1
                rounds_of.setdefault(pair(a, b), []).append(r + 1)
                if problem.separate_organizations and pair(a, b) in problem.colleagues:
                    broken(
                        "colleagues",
                        f"{label}, table {t + 1}: colleagues {a} and {b} sit together",
                        (a, b),
                        r + 1,
                        t + 1,
                    )
        for person in problem.people:
            count = seen[person.id]
            if person.present(r) and count != 1:
                broken(
                    "seated once",
                    f"{label}: {person.id} is seated {count} times",
                    (person.id,),
                    r + 1,
                )
            elif not person.present(r) and count:
                broken(
                    "left",
                    f"{label}: {person.id} left after round {person.leaves_after}",
                    (person.id,),
                    r + 1,
                    where[person.id] + 1,
                )
        for host, host_table in problem.hosts:
            if where.get(host) != host_table:
                broken(
                    "hosts",
                    f"{label}: host {host} is not at table {host_table + 1}",
                    (host,),
                    r + 1,
                    host_table + 1,
                )
        if r == 0:
            for a, b in sorted(problem.together):
                if a in where and where.get(a) != where.get(b):
                    broken("together", f"round 1: {a} and {b} must share a table", (a, b), 1)
    for (a, b), count in sorted(met.items()):
        if count > 1:
            shared = ", ".join(str(r) for r in rounds_of[a, b])
            broken(
                "repeated pair",
                f"{a} and {b} sit together in {count} rounds ({shared})",
                (a, b),
                rounds_of[a, b][1],
            )
    return violations
