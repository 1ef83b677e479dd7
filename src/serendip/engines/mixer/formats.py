"""The JSON formats of the mixer (see docs/formats.md): parse and check, or write.

Every refusal is a ``ProblemError`` naming the field and the reason; rules that
cannot all hold (an organisation larger than the number of tables, a host at a
table that does not exist...) are refused here, before any search.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from serendip.engines.checks import (
    ProblemError,
    as_id,
    as_int,
    as_list,
    as_object,
    as_pairs,
    check_unique,
)
from serendip.engines.mixer.types import Pair, Person, Plan, Problem, Seating, pair

__all__ = ["ProblemError", "parse_plan", "parse_problem", "plan_to_dict"]


def _pairs(value: Any, where: str, known: dict[str, Person]) -> frozenset[Pair]:
    """Pairs of known people, each in canonical order."""
    return frozenset(pair(a, b) for a, b in as_pairs(value, where, known))


def _people(value: Any, rounds: int) -> tuple[Person, ...]:
    people = []
    for i, raw in enumerate(as_list(value, "people")):
        where = f"people[{i}]"
        item = as_object(raw, where, ["id"], ["organization", "role", "leaves_after"])
        person_id = as_id(item["id"], f"{where}.id")
        where = f"people[{i}] ({person_id})"
        leaves = item.get("leaves_after")
        if leaves is not None:
            leaves = as_int(leaves, f"{where}.leaves_after", minimum=1)
            if leaves > rounds:
                raise ProblemError(
                    f"{where}.leaves_after", f"{leaves} is after the last round {rounds}"
                )
        texts = {}
        for key in ("organization", "role"):
            if item.get(key) is not None:
                texts[key] = as_id(item[key], f"{where}.{key}")
        people.append(Person(person_id, texts.get("organization"), texts.get("role"), leaves))
    check_unique([p.id for p in people], "people")
    return tuple(people)


def _groups(together: frozenset[Pair], people: tuple[Person, ...]) -> list[set[str]]:
    """People who must share a table in round 1, joined through chains of together pairs."""
    parent = {p.id: p.id for p in people}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in together:
        parent[root(a)] = root(b)
    groups: dict[str, set[str]] = {}
    for p in people:
        groups.setdefault(root(p.id), set()).add(p.id)
    return [g for g in groups.values() if len(g) > 1]


def _check_rules(problem: Problem) -> None:
    """Refuse hard rules that no seating can meet, saying which rule and why."""
    seats = sum(problem.tables)
    if len(problem.people) > seats:
        raise ProblemError(
            "people",
            f"{len(problem.people)} people but only {seats} seats",
            numbers=(len(problem.people), seats),
        )
    hosts = dict(problem.hosts)
    for t, size in enumerate(problem.tables):
        seated = [h for h, table in problem.hosts if table == t]
        if len(seated) > size:
            raise ProblemError(
                "hosts", f"{len(seated)} hosts at table {t + 1}, which has {size} seats"
            )
    if problem.separate_organizations:
        counts = Counter(p.organization for p in problem.people if p.organization)
        for organization, count in counts.most_common(1):
            if count > len(problem.tables):
                # ``person``: the first of them, whose organisation callers can name.
                first = next(p.id for p in problem.people if p.organization == organization)
                raise ProblemError(
                    "rules.separate_organizations",
                    f"{organization!r} has {count} people but there are only "
                    f"{len(problem.tables)} tables to keep colleagues apart",
                    person=first,
                    numbers=(count, len(problem.tables)),
                )
        for a, b in sorted(problem.together & problem.colleagues):
            raise ProblemError(
                "together", f"{a!r} and {b!r} are colleagues, and colleagues must sit apart"
            )
        for (a, ta), (b, tb) in ((x, y) for x in problem.hosts for y in problem.hosts if x < y):
            if ta == tb and pair(a, b) in problem.colleagues:
                raise ProblemError(
                    "hosts", f"{a!r} and {b!r} are colleagues hosting the same table {ta + 1}"
                )
    for group in _groups(problem.together, problem.people):
        names = ", ".join(sorted(group))
        if len(group) > max(problem.tables):
            raise ProblemError(
                "together", f"{names} must share a table but no table seats {len(group)}"
            )
        host_tables = {hosts[p] for p in group if p in hosts}
        if len(host_tables) > 1:
            raise ProblemError("together", f"{names} must share a table but host different tables")
        if (
            host_tables
            and len(group | {h for h, t in problem.hosts if t in host_tables})
            > problem.tables[next(iter(host_tables))]
        ):
            raise ProblemError("together", f"{names} do not fit at the table their host keeps")


def parse_problem(data: Any) -> Problem:
    """The Problem of decoded JSON; raises ProblemError naming the field and the reason."""
    top = as_object(
        data, "", ["people", "tables", "rounds"], ["known_pairs", "together", "hosts", "rules"]
    )
    rounds = as_int(top["rounds"], "rounds", minimum=1)
    tables = tuple(
        as_int(size, f"tables[{i}]", minimum=2)
        for i, size in enumerate(as_list(top["tables"], "tables"))
    )
    if not tables:
        raise ProblemError("tables", "at least one table is needed")
    people = _people(top["people"], rounds)
    known = {p.id: p for p in people}
    raw_hosts = top.get("hosts", {})
    if not isinstance(raw_hosts, dict):
        raise ProblemError("hosts", "must be an object mapping person ids to table numbers")
    hosts = []
    for person_id, table in raw_hosts.items():
        if person_id not in known:
            raise ProblemError(f"hosts.{person_id}", f"unknown person id {person_id!r}")
        number = as_int(table, f"hosts.{person_id}", minimum=1)
        if number > len(tables):
            raise ProblemError(
                f"hosts.{person_id}", f"table {number} does not exist; there are {len(tables)}"
            )
        if known[person_id].leaves_after is not None:
            raise ProblemError(
                f"hosts.{person_id}", "a host stays for every round and cannot leave early"
            )
        hosts.append((person_id, number - 1))
    rules = as_object(
        top.get("rules", {}), "rules", [], ["separate_organizations", "roles_per_table"]
    )
    separate = rules.get("separate_organizations", False)
    if not isinstance(separate, bool):
        raise ProblemError(
            "rules.separate_organizations", f"must be true or false, got {separate!r}"
        )
    bounds = []
    raw_bounds = rules.get("roles_per_table", {})
    if not isinstance(raw_bounds, dict):
        raise ProblemError("rules.roles_per_table", "must map roles to [min, max]")
    for role, limits in raw_bounds.items():
        where = f"rules.roles_per_table.{role}"
        pair_of = as_list(limits, where)
        if len(pair_of) != 2:
            raise ProblemError(where, "must be [min, max]")
        low, high = (
            as_int(pair_of[0], f"{where}[0]", minimum=0),
            as_int(pair_of[1], f"{where}[1]", minimum=0),
        )
        if low > high:
            raise ProblemError(where, f"min {low} is more than max {high}")
        bounds.append((role, low, high))
    problem = Problem(
        people=people,
        tables=tables,
        rounds=rounds,
        known_pairs=_pairs(top.get("known_pairs", []), "known_pairs", known),
        together=_pairs(top.get("together", []), "together", known),
        hosts=tuple(hosts),
        separate_organizations=separate,
        roles_per_table=tuple(bounds),
    )
    _check_rules(problem)
    return problem


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The JSON form of a plan."""
    s = plan.stats
    data: dict[str, Any] = {
        "rounds": [[list(table) for table in tables] for tables in plan.rounds],
        "stats": {
            "repeated_pairs": s.repeated_pairs,
            "known_pairs_together": s.known_pairs_together,
            "colleagues_together": s.colleagues_together,
            "role_bound_misses": s.role_bound_misses,
            "new_pairs": s.new_pairs,
            "new_pairs_bound": s.new_pairs_bound,
            "seconds": round(s.seconds, 3),
        },
    }
    if plan.conflicts:
        data["conflicts"] = [conflict.message for conflict in plan.conflicts]
    return data


def parse_plan(data: Any, problem: Problem) -> Seating:
    """The seating of a plan file, with its shape and ids checked (not the rules)."""
    top = as_object(data, "", ["rounds"], ["stats", "conflicts"])
    rounds = []
    for r, raw in enumerate(as_list(top["rounds"], "rounds")):
        tables = []
        for t, raw_table in enumerate(as_list(raw, f"rounds[{r}]")):
            ids = tuple(
                as_id(x, f"rounds[{r}][{t}][{i}]")
                for i, x in enumerate(as_list(raw_table, f"rounds[{r}][{t}]"))
            )
            for i, x in enumerate(ids):
                if x not in problem.by_id:
                    raise ProblemError(f"rounds[{r}][{t}][{i}]", f"unknown person id {x!r}")
            tables.append(ids)
        rounds.append(tuple(tables))
    return tuple(rounds)
