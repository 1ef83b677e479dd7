"""The JSON formats of the meetings engine (see docs/formats.md): parse and check, or write.

Parsing takes already-decoded JSON values (dicts and lists), so that the engine
does no I/O; every refusal is a ``ProblemError`` naming the field and the reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Any

from serendip.engines.checks import (
    ProblemError,
    as_id,
    as_int,
    as_known,
    as_list,
    as_object,
    as_pairs,
    check_unique,
)
from serendip.engines.meetings.stats import plan_stats
from serendip.engines.meetings.types import (
    Changes,
    Fixed,
    Meeting,
    Pair,
    Person,
    Plan,
    Problem,
    Round,
    Side,
    Wish,
)


def _rounds(value: Any) -> tuple[Round, ...]:
    rounds = []
    for i, raw in enumerate(as_list(value, "rounds")):
        where = f"rounds[{i}]"
        item = as_object(raw, where, ["id"], ["start", "minutes"])
        start = item.get("start")
        if start is not None:
            try:
                dt.datetime.fromisoformat(str(start))
            except ValueError:
                raise ProblemError(
                    f"{where}.start", f"not an ISO 8601 date and time: {start!r}"
                ) from None
        minutes = item.get("minutes")
        rounds.append(
            Round(
                id=as_id(item["id"], f"{where}.id"),
                start=start,
                minutes=None if minutes is None else as_int(minutes, f"{where}.minutes", minimum=1),
            )
        )
    if not rounds:
        raise ProblemError("rounds", "at least one round is needed")
    check_unique([r.id for r in rounds], "rounds")
    return tuple(rounds)


def _people(value: Any, round_ids: tuple[str, ...]) -> tuple[Person, ...]:
    people = []
    for i, raw in enumerate(as_list(value, "people")):
        where = f"people[{i}]"
        item = as_object(
            raw, where, ["id", "side"], ["capacity", "min_meetings", "max_meetings", "unavailable"]
        )
        person_id = as_id(item["id"], f"{where}.id")
        where = f"people[{i}] ({person_id})"
        if item["side"] not in (Side.BOSS, Side.SPONSOR):
            raise ProblemError(
                f"{where}.side",
                f"must be boss or sponsor, got {item['side']!r}",
                person=person_id,
            )
        try:
            capacity = as_int(item.get("capacity", 1), f"{where}.capacity", minimum=1)
            minimum = as_int(item.get("min_meetings", 0), f"{where}.min_meetings", minimum=0)
            maximum = as_int(
                item.get("max_meetings", capacity * len(round_ids)),
                f"{where}.max_meetings",
                minimum=0,
            )
            away = [
                as_known(r, f"{where}.unavailable[{j}]", round_ids, "round")
                for j, r in enumerate(as_list(item.get("unavailable", []), f"{where}.unavailable"))
            ]
        except ProblemError as exc:
            raise ProblemError(exc.field, exc.reason, person=person_id) from exc
        if minimum > maximum:
            raise ProblemError(
                f"{where}.min_meetings",
                f"{minimum} is more than max_meetings {maximum}",
                person=person_id,
                numbers=(minimum, maximum),
            )
        people.append(
            Person(person_id, Side(item["side"]), capacity, minimum, maximum, frozenset(away))
        )
    check_unique([p.id for p in people], "people")
    return tuple(people)


def _as_pair(people: dict[str, Person], a: str, b: str) -> Pair:
    return (a, b) if people[a].side == Side.BOSS else (b, a)


def _wishes(value: Any, people: dict[str, Person]) -> tuple[Wish, ...]:
    wishes, seen = [], set()
    for i, raw in enumerate(as_list(value, "wishes")):
        where = f"wishes[{i}]"
        item = as_object(raw, where, ["from", "to"], ["weight"])
        source = as_known(item["from"], f"{where}.from", people, "person")
        target = as_known(item["to"], f"{where}.to", people, "person")
        if source == target:
            raise ProblemError(where, f"{source!r} cannot wish to meet themselves")
        if people[source].side == people[target].side:
            raise ProblemError(
                where,
                f"{source!r} and {target!r} are both {people[source].side}s; "
                "wishes go across sides",
            )
        if (source, target) in seen:
            raise ProblemError(where, f"a second wish from {source!r} to {target!r}")
        seen.add((source, target))
        wishes.append(
            Wish(source, target, as_int(item.get("weight", 1), f"{where}.weight", minimum=1))
        )
    return tuple(wishes)


def _fixed(value: Any, where_list: str, problem: Problem) -> tuple[Fixed, ...]:
    people = {p.id: p for p in problem.people}
    fixed = []
    for i, raw in enumerate(as_list(value, where_list)):
        where = f"{where_list}[{i}]"
        item = as_object(raw, where, ["a", "b", "round"], ["table"])
        a = as_known(item["a"], f"{where}.a", people, "person")
        b = as_known(item["b"], f"{where}.b", people, "person")
        if people[a].side == people[b].side:
            raise ProblemError(
                where,
                f"{a!r} and {b!r} are on the same side; a meeting is between a boss and a sponsor",
                person=a,
            )
        round_id = as_known(item["round"], f"{where}.round", problem.round_ids, "round")
        table = item.get("table")
        if table is not None:
            table = as_int(table, f"{where}.table", minimum=1)
            if table > problem.tables:
                raise ProblemError(
                    f"{where}.table",
                    f"{table} is beyond the {problem.tables} tables",
                    person=a,
                    numbers=(table, problem.tables),
                )
        boss, sponsor = _as_pair(people, a, b)
        fixed.append(Fixed(boss, sponsor, round_id, table))
    return tuple(fixed)


def check_fixed(problem: Problem, where_list: str = "fixed") -> None:
    """Refuse fixed meetings that break a hard rule or conflict with each other."""
    seen_pairs: dict[Pair, int] = {}
    per_person_round: Counter[tuple[str, str]] = Counter()
    per_person: Counter[str] = Counter()
    per_round: Counter[str] = Counter()
    tables: dict[tuple[str, int], int] = {}
    for i, meeting in enumerate(problem.fixed):
        where = f"{where_list}[{i}]"
        pair = (meeting.boss, meeting.sponsor)
        if pair in problem.declines:
            raise ProblemError(
                where,
                f"{meeting.boss!r} and {meeting.sponsor!r} declined to meet",
                person=meeting.boss,
            )
        if pair in seen_pairs:
            raise ProblemError(
                where,
                f"the pair is already fixed at {where_list}[{seen_pairs[pair]}]; a pair meets once",
                person=meeting.boss,
            )
        seen_pairs[pair] = i
        for person_id in pair:
            person = problem.person(person_id)
            if meeting.round in person.unavailable:
                raise ProblemError(
                    where,
                    f"{person_id!r} is unavailable in round {meeting.round!r}",
                    person=person_id,
                )
            per_person_round[(person_id, meeting.round)] += 1
            if per_person_round[(person_id, meeting.round)] > person.capacity:
                raise ProblemError(
                    where,
                    f"{person_id!r} has more fixed meetings in round {meeting.round!r} "
                    f"than their capacity {person.capacity}",
                    person=person_id,
                    numbers=(person.capacity,),
                )
            per_person[person_id] += 1
            if per_person[person_id] > person.max_meetings:
                raise ProblemError(
                    where,
                    f"{person_id!r} has more fixed meetings than "
                    f"their max_meetings {person.max_meetings}",
                    person=person_id,
                    numbers=(person.max_meetings,),
                )
        per_round[meeting.round] += 1
        if per_round[meeting.round] > problem.tables:
            raise ProblemError(
                where,
                f"more fixed meetings in round {meeting.round!r} than the {problem.tables} tables",
                person=meeting.boss,
                numbers=(problem.tables,),
            )
        if meeting.table is not None:
            key = (meeting.round, meeting.table)
            if key in tables:
                raise ProblemError(
                    where,
                    f"table {meeting.table} in round {meeting.round!r} "
                    f"is already taken by {where_list}[{tables[key]}]",
                    person=meeting.boss,
                )
            tables[key] = i


def parse_problem(data: Any) -> Problem:
    """The Problem of decoded JSON; raises ProblemError naming the field and the reason."""
    top = as_object(
        data, "", ["rounds", "tables", "people"], ["wishes", "declines", "fixed", "already_met"]
    )
    rounds = _rounds(top["rounds"])
    tables = as_int(top["tables"], "tables", minimum=1)
    people = _people(top["people"], tuple(r.id for r in rounds))
    by_id = {p.id: p for p in people}
    declines = frozenset(
        _as_pair(by_id, a, b) for a, b in as_pairs(top.get("declines", []), "declines", by_id)
    )
    already_met = frozenset(
        _as_pair(by_id, a, b) for a, b in as_pairs(top.get("already_met", []), "already_met", by_id)
    )
    problem = Problem(
        rounds=rounds,
        tables=tables,
        people=people,
        wishes=_wishes(top.get("wishes", []), by_id),
        declines=frozenset(p for p in declines if by_id[p[0]].side != by_id[p[1]].side),
        # Two people of one side never meet, whatever these lists say about them.
        already_met=frozenset(p for p in already_met if by_id[p[0]].side != by_id[p[1]].side),
    )
    problem = replace(problem, fixed=_fixed(top.get("fixed", []), "fixed", problem))
    check_fixed(problem)
    return problem


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """The JSON form of a problem (inverse of ``parse_problem``)."""
    return {
        "rounds": [
            {
                k: v
                for k, v in (("id", r.id), ("start", r.start), ("minutes", r.minutes))
                if v is not None
            }
            for r in problem.rounds
        ],
        "tables": problem.tables,
        "people": [
            {
                "id": p.id,
                "side": str(p.side),
                "capacity": p.capacity,
                "min_meetings": p.min_meetings,
                "max_meetings": p.max_meetings,
                "unavailable": [r for r in problem.round_ids if r in p.unavailable],
            }
            for p in problem.people
        ],
        "wishes": [{"from": w.source, "to": w.target, "weight": w.weight} for w in problem.wishes],
        "declines": [list(p) for p in sorted(problem.declines)],
        "fixed": [
            {
                "a": f.boss,
                "b": f.sponsor,
                "round": f.round,
                **({"table": f.table} if f.table else {}),
            }
            for f in problem.fixed
        ],
        "already_met": [list(p) for p in sorted(problem.already_met)],
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The JSON form of a plan."""
    stats = plan.stats
    out: dict[str, Any] = {
        "meetings": [
            {"a": m.boss, "b": m.sponsor, "round": m.round, "table": m.table} for m in plan.meetings
        ],
        "stats": {
            "meetings": stats.meetings,
            "value": stats.value,
            "upper_bound": stats.upper_bound,
            "shortfall": stats.shortfall,
            "below_min": [
                {"id": s.id, "meetings": s.meetings, "min": s.min} for s in stats.below_min
            ],
            "idle_gaps": stats.idle_gaps,
            "seconds": round(stats.seconds, 3),
        },
    }
    if stats.moved is not None:
        out["stats"]["moved"] = stats.moved
    return out


def parse_meetings(data: Any, problem: Problem) -> tuple[Meeting, ...]:
    """The meetings of a plan file, with ids and rounds checked to exist (not the rules)."""
    top = as_object(data, "", ["meetings"], ["stats"])
    people = {p.id: p for p in problem.people}
    meetings = []
    for i, raw in enumerate(as_list(top["meetings"], "meetings")):
        where = f"meetings[{i}]"
        item = as_object(raw, where, ["a", "b", "round", "table"], [])
        meetings.append(
            Meeting(
                boss=as_known(item["a"], f"{where}.a", people, "person"),
                sponsor=as_known(item["b"], f"{where}.b", people, "person"),
                round=as_known(item["round"], f"{where}.round", problem.round_ids, "round"),
                table=as_int(item["table"], f"{where}.table", minimum=1),
            )
        )
    return tuple(meetings)


def parse_plan(data: Any, problem: Problem) -> Plan:
    """A plan file read against its problem, measured afresh (its own stats are not trusted).

    Ids and rounds are checked to exist, not the rules: ``validate`` does that. The stats
    carry no bound (``upper_bound`` 0): ``evaluate`` proves one.
    """
    meetings = parse_meetings(data, problem)
    return Plan(meetings, plan_stats(problem, meetings, upper_bound=0, seconds=0.0))


def parse_changes(data: Any, problem: Problem) -> Changes:
    """What changed on the day (see docs/formats.md); raises ProblemError on bad input."""
    top = as_object(
        data, "", [], ["absent", "leaves_after", "arrives_at", "unavailable", "fixed", "declines"]
    )
    people = {p.id: p for p in problem.people}
    rounds = problem.round_ids
    absent = frozenset(
        as_known(p, f"absent[{i}]", people, "person")
        for i, p in enumerate(as_list(top.get("absent", []), "absent"))
    )
    away: list[tuple[str, frozenset[str]]] = []
    for key, after in (("leaves_after", True), ("arrives_at", False)):
        entries = top.get(key, {})
        if not isinstance(entries, dict):
            raise ProblemError(key, "must be an object mapping person ids to round ids")
        for person_id, round_id in entries.items():
            as_known(person_id, key, people, "person")
            index = rounds.index(as_known(round_id, f"{key}.{person_id}", rounds, "round"))
            gone = rounds[index + 1 :] if after else rounds[:index]
            away.append((person_id, frozenset(gone)))
    for i, raw in enumerate(as_list(top.get("unavailable", []), "unavailable")):
        item = as_object(raw, f"unavailable[{i}]", ["id", "rounds"], [])
        person_id = as_known(item["id"], f"unavailable[{i}].id", people, "person")
        listed = [
            as_known(r, f"unavailable[{i}].rounds[{j}]", rounds, "round")
            for j, r in enumerate(as_list(item["rounds"], f"unavailable[{i}].rounds"))
        ]
        away.append((person_id, frozenset(listed)))
    declines = frozenset(
        _as_pair(people, a, b) for a, b in as_pairs(top.get("declines", []), "declines", people)
    )
    return Changes(
        absent=absent,
        unavailable=tuple(away),
        fixed=_fixed(top.get("fixed", []), "fixed", problem),
        declines=declines,
    )
