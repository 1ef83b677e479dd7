"""Inputs and outputs of the one-to-one meetings engine: frozen dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from serendip.engines.checks import Violation as Violation


class Side(StrEnum):
    BOSS = "boss"
    SPONSOR = "sponsor"


@dataclass(frozen=True)
class Round:
    """One time slot of the programme; ``start`` (ISO 8601) and ``minutes`` are informative."""

    id: str
    start: str | None = None
    minutes: int | None = None


@dataclass(frozen=True)
class Person:
    """A boss or a sponsor: how many meetings at once, in all, and when they are away."""

    id: str
    side: Side
    capacity: int
    min_meetings: int
    max_meetings: int
    unavailable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Wish:
    """``source`` would like to meet ``target``, with a positive weight."""

    source: str
    target: str
    weight: int


@dataclass(frozen=True)
class Meeting:
    """A boss and a sponsor at one table in one round."""

    boss: str
    sponsor: str
    round: str
    table: int


@dataclass(frozen=True)
class Fixed:
    """A meeting the organiser imposes; ``table`` is None when any table will do."""

    boss: str
    sponsor: str
    round: str
    table: int | None = None


Pair = tuple[str, str]  # (boss, sponsor)


@dataclass(frozen=True)
class Problem:
    """Everything the planner needs; built and checked by ``formats.parse_problem``."""

    rounds: tuple[Round, ...]
    tables: int
    people: tuple[Person, ...]
    wishes: tuple[Wish, ...] = ()
    declines: frozenset[Pair] = frozenset()
    fixed: tuple[Fixed, ...] = ()
    already_met: frozenset[Pair] = frozenset()

    @property
    def round_ids(self) -> tuple[str, ...]:
        """Round ids in time order."""
        return tuple(r.id for r in self.rounds)

    def person(self, person_id: str) -> Person:
        """The person with this id; raises KeyError if unknown."""
        return self.people_by_id[person_id]

    @cached_property
    def people_by_id(self) -> dict[str, Person]:
        """Every person by id."""
        return {p.id: p for p in self.people}

    def pair_values(self) -> dict[Pair, int]:
        """Value of each wished (boss, sponsor) pair: the wish weights in both directions."""
        values: dict[Pair, int] = {}
        for wish in self.wishes:
            pair = self.as_pair(wish.source, wish.target)
            values[pair] = values.get(pair, 0) + wish.weight
        return values

    def as_pair(self, a: str, b: str) -> Pair:
        """The (boss, sponsor) pair of two people, whichever order they are given in."""
        return (a, b) if self.person(a).side == Side.BOSS else (b, a)


@dataclass(frozen=True)
class Shortfall:
    """Someone who has fewer meetings than their minimum."""

    id: str
    meetings: int
    min: int


@dataclass(frozen=True)
class Stats:
    """What a plan achieves; ``upper_bound`` is proven for plans with the same shortfall."""

    meetings: int
    value: int
    upper_bound: int
    shortfall: int
    below_min: tuple[Shortfall, ...]
    idle_gaps: int
    seconds: float
    moved: int | None = None


@dataclass(frozen=True)
class Plan:
    """The meetings, in round then table order, and their stats."""

    meetings: tuple[Meeting, ...]
    stats: Stats


@dataclass(frozen=True)
class Changes:
    """What happened on the day, for ``replan``; see ``formats.parse_changes``."""

    absent: frozenset[str] = frozenset()
    unavailable: tuple[tuple[str, frozenset[str]], ...] = ()
    fixed: tuple[Fixed, ...] = ()
    declines: frozenset[Pair] = field(default_factory=frozenset)
