"""The independent checker of every hard rule of a meetings plan.

It shares no code with the solver: it reads the problem's rules as written in
docs/formats.md and checks any list of meetings against them.
"""

from __future__ import annotations

from collections import Counter

from serendip.engines.meetings.types import Meeting, Plan, Problem, Side, Violation


def validate(problem: Problem, plan: Plan | tuple[Meeting, ...]) -> list[Violation]:
    """Every broken hard rule of the plan, in a stable order; an empty list means valid."""
    meetings = plan.meetings if isinstance(plan, Plan) else plan
    people = {p.id: p for p in problem.people}
    rounds = set(problem.round_ids)
    violations: list[Violation] = []

    def broken(
        rule: str,
        message: str,
        people: tuple[str, ...] = (),
        round: str | None = None,
        table: int | None = None,
    ) -> None:
        violations.append(Violation(rule, message, people, round, table))

    pairs: Counter[tuple[str, str]] = Counter()
    per_round: Counter[str] = Counter()
    per_person_round: Counter[tuple[str, str]] = Counter()
    per_person: Counter[str] = Counter()
    tables: dict[tuple[str, int], Meeting] = {}
    for m in meetings:
        label = f"{m.boss} with {m.sponsor} in {m.round}"
        pair = (m.boss, m.sponsor)
        if m.boss not in people or m.sponsor not in people:
            broken("unknown person", f"{label} names someone not in the problem", pair, m.round)
            continue
        if m.round not in rounds:
            broken("unknown round", f"{label}: no such round", pair, m.round)
            continue
        if people[m.boss].side != Side.BOSS or people[m.sponsor].side != Side.SPONSOR:
            broken(
                "boss with sponsor",
                f"{label}: 'a' must be a boss and 'b' a sponsor",
                pair,
                m.round,
                m.table,
            )
        pairs[(m.boss, m.sponsor)] += 1
        per_round[m.round] += 1
        per_person[m.boss] += 1
        per_person[m.sponsor] += 1
        per_person_round[(m.boss, m.round)] += 1
        per_person_round[(m.sponsor, m.round)] += 1
        if not 1 <= m.table <= problem.tables:
            broken(
                "table",
                f"{label}: table {m.table} is not between 1 and {problem.tables}",
                pair,
                m.round,
                m.table,
            )
        elif (m.round, m.table) in tables:
            other = tables[(m.round, m.table)]
            broken(
                "table",
                f"{label}: table {m.table} is already used by {other.boss} with {other.sponsor}",
                (*pair, other.boss, other.sponsor),
                m.round,
                m.table,
            )
        else:
            tables[(m.round, m.table)] = m
        for person_id in (m.boss, m.sponsor):
            if m.round in people[person_id].unavailable:
                broken(
                    "unavailable",
                    f"{label}: {person_id} is unavailable in that round",
                    (person_id, *(p for p in pair if p != person_id)),
                    m.round,
                    m.table,
                )
        if (m.boss, m.sponsor) in problem.declines or (m.sponsor, m.boss) in problem.declines:
            broken("decline", f"{label}: this pair declined to meet", pair, m.round, m.table)
    for (boss, sponsor), count in sorted(pairs.items()):
        if count > 1:
            broken("pair once", f"{boss} and {sponsor} meet {count} times", (boss, sponsor))
    for round_id, count in sorted(per_round.items()):
        if count > problem.tables:
            broken(
                "tables",
                f"{count} meetings in {round_id} but only {problem.tables} tables",
                round=round_id,
            )
    for (person_id, round_id), count in sorted(per_person_round.items()):
        if count > people[person_id].capacity:
            broken(
                "capacity",
                f"{person_id} has {count} meetings in {round_id}, "
                f"capacity {people[person_id].capacity}",
                (person_id,),
                round_id,
            )
    for person_id, count in sorted(per_person.items()):
        if count > people[person_id].max_meetings:
            broken(
                "max_meetings",
                f"{person_id} has {count} meetings, max_meetings {people[person_id].max_meetings}",
                (person_id,),
            )
    present = {(m.boss, m.sponsor, m.round): m.table for m in meetings}
    for f in problem.fixed:
        table = present.get((f.boss, f.sponsor, f.round))
        if table is None:
            broken(
                "fixed",
                f"{f.boss} with {f.sponsor} must meet in {f.round}",
                (f.boss, f.sponsor),
                f.round,
                f.table,
            )
        elif f.table is not None and table != f.table:
            broken(
                "fixed",
                f"{f.boss} with {f.sponsor} in {f.round} must sit at table {f.table}, not {table}",
                (f.boss, f.sponsor),
                f.round,
                f.table,
            )
    return violations
