"""Inputs and outputs of the table-rotation mixer: frozen dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from serendip.engines import checks


@dataclass(frozen=True)
class Violation(checks.Violation):
    """A broken hard rule, with who (``people``), in which round and at which table
    (1-based, None when the rule is about the whole plan)."""

    people: tuple[str, ...] = ()
    round: int | None = None
    table: int | None = None


@dataclass(frozen=True)
class Conflict(checks.Violation):
    """Why the hard rules cannot all hold: ``rule`` names the argument ("hosts": two hosts of
    one table; "pairs": more pairs seated than may meet; "table-mates": someone has more
    table-mates than people to sit with; "exact": an exact search found no seating; "latin
    squares": a seating needs mutually orthogonal Latin squares), ``rules`` the hard rules in
    conflict (as docs/formats.md names them), ``people`` and ``table`` (1-based) whom and
    where it is about, ``numbers`` the figures the message quotes, in its order. ``proved``
    is False when nothing proves it, only that no seating is known (an open problem).
    Callers explaining it to people read these fields, never ``message``."""

    rules: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()
    proved: bool = True

    def __str__(self) -> str:
        return self.message


Pair = tuple[str, str]  # two person ids, smaller first


def pair(a: str, b: str) -> Pair:
    """The pair of two ids in canonical (sorted) order."""
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class Person:
    """Someone to seat: ``leaves_after`` is the last round they attend (None: all)."""

    id: str
    organization: str | None = None
    role: str | None = None
    leaves_after: int | None = None

    def present(self, round_index: int) -> bool:
        """Whether they sit at a table in round ``round_index`` (0-based)."""
        return self.leaves_after is None or round_index < self.leaves_after


@dataclass(frozen=True)
class Problem:
    """Who to seat, at which tables, for how many rounds, under which rules."""

    people: tuple[Person, ...]
    tables: tuple[int, ...]
    rounds: int
    known_pairs: frozenset[Pair] = frozenset()
    together: frozenset[Pair] = frozenset()
    hosts: tuple[tuple[str, int], ...] = ()  # person id, table index (0-based)
    separate_organizations: bool = False
    roles_per_table: tuple[tuple[str, int, int], ...] = ()  # role, min, max

    @cached_property
    def colleagues(self) -> frozenset[Pair]:
        """Pairs of people from the same organisation."""
        by_org: dict[str, list[str]] = {}
        for p in self.people:
            if p.organization:
                by_org.setdefault(p.organization, []).append(p.id)
        return frozenset(
            pair(a, b) for ids in by_org.values() for i, a in enumerate(ids) for b in ids[i + 1 :]
        )

    @cached_property
    def by_id(self) -> dict[str, Person]:
        """Every person by id."""
        return {p.id: p for p in self.people}


Seating = tuple[tuple[tuple[str, ...], ...], ...]  # rounds → tables → person ids


@dataclass(frozen=True)
class Stats:
    """What a seating achieves; ``new_pairs_bound`` is the most any seating could reach
    (see ``measure.new_pairs_bound``)."""

    repeated_pairs: int
    known_pairs_together: int
    colleagues_together: int
    role_bound_misses: int
    new_pairs: int
    new_pairs_bound: int
    seconds: float


@dataclass(frozen=True)
class Plan:
    """One list per round, one tuple of person ids per table, and the stats; ``conflicts``
    says why a plan still breaking a hard rule could not keep them all (proved, or an open
    problem: see ``Conflict.proved``)."""

    rounds: Seating
    stats: Stats
    conflicts: tuple[Conflict, ...] = ()
