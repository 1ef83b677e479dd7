"""The JSON formats of the meetings engine (see docs/formats.md): parse and check, or write.

Parsing takes already-decoded JSON values (dicts and lists), so that the engine
does no I/O; every refusal is a ``ProblemError`` naming the field and the reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

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


class ProblemError(ValueError):
    """Bad input: ``field`` says where (e.g. ``people[3].capacity``), ``reason`` says why."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


def _object(
    value: Any, where: str, required: Iterable[str], optional: Iterable[str]
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProblemError(where, f"must be an object, got {type(value).__name__}")
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            raise ProblemError(
                f"{where}.{key}" if where else key,
                f"unknown key; expected one of {', '.join(sorted(allowed))}",
            )
    for key in required:
        if key not in value:
            raise ProblemError(f"{where}.{key}" if where else key, "required")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ProblemError(where, f"must be a list, got {type(value).__name__}")
    return value


def _int(value: Any, where: str, *, minimum: int) -> int:
    # JSON true/false are not numbers, even though Python's bool is an int.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProblemError(where, f"must be a whole number, got {value!r}")
    if value < minimum:
        raise ProblemError(where, f"must be at least {minimum}, got {value}")
    return value


def _id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ProblemError(where, f"must be a non-empty string, got {value!r}")
    return value


def _known(value: Any, where: str, known: Iterable[str], what: str) -> str:
    text = _id(value, where)
    if text not in known:
        raise ProblemError(where, f"unknown {what} id {text!r}")
    return text


def _unique(ids: list[str], where: str) -> None:
    repeated = [i for i, n in Counter(ids).items() if n > 1]
    if repeated:
        raise ProblemError(where, f"duplicate id {repeated[0]!r}")


def _rounds(value: Any) -> tuple[Round, ...]:
    rounds = []
    for i, raw in enumerate(_list(value, "rounds")):
        where = f"rounds[{i}]"
        item = _object(raw, where, ["id"], ["start", "minutes"])
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
                id=_id(item["id"], f"{where}.id"),
                start=start,
                minutes=None if minutes is None else _int(minutes, f"{where}.minutes", minimum=1),
            )
        )
    if not rounds:
        raise ProblemError("rounds", "at least one round is needed")
    _unique([r.id for r in rounds], "rounds")
    return tuple(rounds)


def _people(value: Any, round_ids: tuple[str, ...]) -> tuple[Person, ...]:
    people = []
    for i, raw in enumerate(_list(value, "people")):
        where = f"people[{i}]"
        item = _object(
            raw, where, ["id", "side"], ["capacity", "min_meetings", "max_meetings", "unavailable"]
        )
        person_id = _id(item["id"], f"{where}.id")
        where = f"people[{i}] ({person_id})"
        if item["side"] not in (Side.BOSS, Side.SPONSOR):
            raise ProblemError(f"{where}.side", f"must be boss or sponsor, got {item['side']!r}")
        capacity = _int(item.get("capacity", 1), f"{where}.capacity", minimum=1)
        minimum = _int(item.get("min_meetings", 0), f"{where}.min_meetings", minimum=0)
        maximum = _int(
            item.get("max_meetings", capacity * len(round_ids)), f"{where}.max_meetings", minimum=0
        )
        if minimum > maximum:
            raise ProblemError(
                f"{where}.min_meetings", f"{minimum} is more than max_meetings {maximum}"
            )
        away = [
            _known(r, f"{where}.unavailable[{j}]", round_ids, "round")
            for j, r in enumerate(_list(item.get("unavailable", []), f"{where}.unavailable"))
        ]
        people.append(
            Person(person_id, Side(item["side"]), capacity, minimum, maximum, frozenset(away))
        )
    _unique([p.id for p in people], "people")
    return tuple(people)


def _pairs(value: Any, where: str, people: dict[str, Person]) -> list[tuple[str, str]]:
    pairs = []
    for i, raw in enumerate(_list(value, where)):
        item = _list(raw, f"{where}[{i}]")
        if len(item) != 2:
            raise ProblemError(f"{where}[{i}]", f"must name two people, got {len(item)}")
        a = _known(item[0], f"{where}[{i}][0]", people, "person")
        b = _known(item[1], f"{where}[{i}][1]", people, "person")
        if a == b:
            raise ProblemError(f"{where}[{i}]", f"names {a!r} twice")
        pairs.append((a, b))
    return pairs


def _as_pair(people: dict[str, Person], a: str, b: str) -> Pair:
    return (a, b) if people[a].side == Side.BOSS else (b, a)


def _wishes(value: Any, people: dict[str, Person]) -> tuple[Wish, ...]:
    wishes, seen = [], set()
    for i, raw in enumerate(_list(value, "wishes")):
        where = f"wishes[{i}]"
        item = _object(raw, where, ["from", "to"], ["weight"])
        source = _known(item["from"], f"{where}.from", people, "person")
        target = _known(item["to"], f"{where}.to", people, "person")
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
            Wish(source, target, _int(item.get("weight", 1), f"{where}.weight", minimum=1))
        )
    return tuple(wishes)


def _fixed(value: Any, where_list: str, problem: Problem) -> tuple[Fixed, ...]:
    people = {p.id: p for p in problem.people}
    fixed = []
    for i, raw in enumerate(_list(value, where_list)):
        where = f"{where_list}[{i}]"
        item = _object(raw, where, ["a", "b", "round"], ["table"])
        a = _known(item["a"], f"{where}.a", people, "person")
        b = _known(item["b"], f"{where}.b", people, "person")
        if people[a].side == people[b].side:
            raise ProblemError(
                where,
                f"{a!r} and {b!r} are on the same side; a meeting is between a boss and a sponsor",
            )
        round_id = _known(item["round"], f"{where}.round", problem.round_ids, "round")
        table = item.get("table")
        if table is not None:
            table = _int(table, f"{where}.table", minimum=1)
            if table > problem.tables:
                raise ProblemError(
                    f"{where}.table", f"{table} is beyond the {problem.tables} tables"
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
            raise ProblemError(where, f"{meeting.boss!r} and {meeting.sponsor!r} declined to meet")
        if pair in seen_pairs:
            raise ProblemError(
                where,
                f"the pair is already fixed at {where_list}[{seen_pairs[pair]}]; a pair meets once",
            )
        seen_pairs[pair] = i
        for person_id in pair:
            person = problem.person(person_id)
            if meeting.round in person.unavailable:
                raise ProblemError(
                    where, f"{person_id!r} is unavailable in round {meeting.round!r}"
                )
            per_person_round[(person_id, meeting.round)] += 1
            if per_person_round[(person_id, meeting.round)] > person.capacity:
                raise ProblemError(
                    where,
                    f"{person_id!r} has more fixed meetings in round {meeting.round!r} "
                    f"than their capacity {person.capacity}",
                )
            per_person[person_id] += 1
            if per_person[person_id] > person.max_meetings:
                raise ProblemError(
                    where,
                    f"{person_id!r} has more fixed meetings than "
                    f"their max_meetings {person.max_meetings}",
                )
        per_round[meeting.round] += 1
        if per_round[meeting.round] > problem.tables:
            raise ProblemError(
                where,
                f"more fixed meetings in round {meeting.round!r} than the {problem.tables} tables",
            )
        if meeting.table is not None:
            key = (meeting.round, meeting.table)
            if key in tables:
                raise ProblemError(
                    where,
                    f"table {meeting.table} in round {meeting.round!r} "
                    f"is already taken by {where_list}[{tables[key]}]",
                )
            tables[key] = i


def parse_problem(data: Any) -> Problem:
    """The Problem of decoded JSON; raises ProblemError naming the field and the reason."""
    top = _object(
        data, "", ["rounds", "tables", "people"], ["wishes", "declines", "fixed", "already_met"]
    )
    rounds = _rounds(top["rounds"])
    tables = _int(top["tables"], "tables", minimum=1)
    people = _people(top["people"], tuple(r.id for r in rounds))
    by_id = {p.id: p for p in people}
    declines = frozenset(
        _as_pair(by_id, a, b) for a, b in _pairs(top.get("declines", []), "declines", by_id)
    )
    already_met = frozenset(
        _as_pair(by_id, a, b) for a, b in _pairs(top.get("already_met", []), "already_met", by_id)
    )
    problem = Problem(
        rounds=rounds,
        tables=tables,
        people=people,
        wishes=_wishes(top.get("wishes", []), by_id),
        declines=frozenset(p for p in declines if by_id[p[0]].side != by_id[p[1]].side),
        already_met=already_met,
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
    top = _object(data, "", ["meetings"], ["stats"])
    people = {p.id: p for p in problem.people}
    meetings = []
    for i, raw in enumerate(_list(top["meetings"], "meetings")):
        where = f"meetings[{i}]"
        item = _object(raw, where, ["a", "b", "round", "table"], [])
        meetings.append(
            Meeting(
                boss=_known(item["a"], f"{where}.a", people, "person"),
                sponsor=_known(item["b"], f"{where}.b", people, "person"),
                round=_known(item["round"], f"{where}.round", problem.round_ids, "round"),
                table=_int(item["table"], f"{where}.table", minimum=1),
            )
        )
    return tuple(meetings)


def parse_changes(data: Any, problem: Problem) -> Changes:
    """What changed on the day (see docs/formats.md); raises ProblemError on bad input."""
    top = _object(
        data, "", [], ["absent", "leaves_after", "arrives_at", "unavailable", "fixed", "declines"]
    )
    people = {p.id: p for p in problem.people}
    rounds = problem.round_ids
    absent = frozenset(
        _known(p, f"absent[{i}]", people, "person")
        for i, p in enumerate(_list(top.get("absent", []), "absent"))
    )
    away: list[tuple[str, frozenset[str]]] = []
    for key, after in (("leaves_after", True), ("arrives_at", False)):
        entries = top.get(key, {})
        if not isinstance(entries, dict):
            raise ProblemError(key, "must be an object mapping person ids to round ids")
        for person_id, round_id in entries.items():
            _known(person_id, key, people, "person")
            index = rounds.index(_known(round_id, f"{key}.{person_id}", rounds, "round"))
            gone = rounds[index + 1 :] if after else rounds[:index]
            away.append((person_id, frozenset(gone)))
    for i, raw in enumerate(_list(top.get("unavailable", []), "unavailable")):
        item = _object(raw, f"unavailable[{i}]", ["id", "rounds"], [])
        person_id = _known(item["id"], f"unavailable[{i}].id", people, "person")
        listed = [
            _known(r, f"unavailable[{i}].rounds[{j}]", rounds, "round")
            for j, r in enumerate(_list(item["rounds"], f"unavailable[{i}].rounds"))
        ]
        away.append((person_id, frozenset(listed)))
    declines = frozenset(
        _as_pair(people, a, b) for a, b in _pairs(top.get("declines", []), "declines", people)
    )
    return Changes(
        absent=absent,
        unavailable=tuple(away),
        fixed=_fixed(top.get("fixed", []), "fixed", problem),
        declines=declines,
    )
