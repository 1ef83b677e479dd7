"""Checking decoded JSON input for the engines: every refusal names the field and the reason."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class ProblemError(ValueError):
    """Bad input: ``field`` says where (e.g. ``people[3].capacity``), ``reason`` says why.

    The reason is English for programmers. Callers that explain the refusal to people read
    the structured part instead: ``person``, the id of the person the refusal is about (if
    any), and ``numbers``, the figures the reason quotes, in the order it quotes them (e.g.
    the minimum asked and the most that fits).
    """

    def __init__(
        self,
        field: str,
        reason: str,
        *,
        person: str | None = None,
        numbers: tuple[int, ...] = (),
    ) -> None:
        self.field = field
        self.reason = reason
        self.person = person
        self.numbers = numbers
        super().__init__(f"{field}: {reason}")


def as_object(
    value: Any, where: str, required: Iterable[str], optional: Iterable[str]
) -> dict[str, Any]:
    """The value as a JSON object with only the allowed keys and every required one."""
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


def as_list(value: Any, where: str) -> list[Any]:
    """The value as a JSON list."""
    if not isinstance(value, list):
        raise ProblemError(where, f"must be a list, got {type(value).__name__}")
    return value


def as_int(value: Any, where: str, *, minimum: int) -> int:
    """The value as a whole number of at least ``minimum`` (JSON booleans refused)."""
    # JSON true/false are not numbers, even though Python's bool is an int.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProblemError(where, f"must be a whole number, got {value!r}")
    if value < minimum:
        raise ProblemError(where, f"must be at least {minimum}, got {value}")
    return value


def as_id(value: Any, where: str) -> str:
    """The value as a non-empty string id."""
    if not isinstance(value, str) or not value:
        raise ProblemError(where, f"must be a non-empty string, got {value!r}")
    return value


def as_known(value: Any, where: str, known: Iterable[str], what: str) -> str:
    """The value as one of the ``known`` ids."""
    text = as_id(value, where)
    if text not in known:
        raise ProblemError(where, f"unknown {what} id {text!r}")
    return text


def check_unique(ids: list[str], where: str) -> None:
    """Refuse the first id that appears twice."""
    repeated = [i for i, n in Counter(ids).items() if n > 1]
    if repeated:
        raise ProblemError(where, f"duplicate id {repeated[0]!r}")


def as_pairs(value: Any, where: str, known: Iterable[str]) -> list[tuple[str, str]]:
    """The value as a list of pairs of two different ``known`` person ids."""
    pairs = []
    for i, raw in enumerate(as_list(value, where)):
        item = as_list(raw, f"{where}[{i}]")
        if len(item) != 2:
            raise ProblemError(f"{where}[{i}]", f"must name two people, got {len(item)}")
        a = as_known(item[0], f"{where}[{i}][0]", known, "person")
        b = as_known(item[1], f"{where}[{i}][1]", known, "person")
        if a == b:
            raise ProblemError(f"{where}[{i}]", f"names {a!r} twice")
        pairs.append((a, b))
    return pairs


@dataclass(frozen=True)
class Violation:
    """A broken hard rule: which rule, who, where, and a sentence for programmers.

    ``rule`` is the rule's name as docs/formats.md spells it; ``people`` the ids of the
    people concerned, the one the rule is about first (e.g. the person who is unavailable or
    over capacity, the boss then the sponsor of a meeting); ``round`` where: the round's id
    for the meetings engine, the round's number from 1 for the mixer (its rounds have no
    ids); ``table`` the table's number from 1. None where the rule is about the whole plan.
    Callers that explain a violation to people read these fields, never ``message``.
    """

    rule: str
    message: str
    people: tuple[str, ...] = ()
    round: str | int | None = None
    table: int | None = None

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"
