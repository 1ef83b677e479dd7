"""The mixer's refusals, broken rules and conflicts in the organiser's language and words.

The engine speaks of people ids, rounds and JSON fields, in English for programmers; it
also gives every refusal, violation and conflict a structure (the rule, who, which round
and table, the figures). These sentences are built from that structure only: members by
name, rounds as rotations, and what the organiser can change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from serendip.engine_ids import member_of
from serendip.engines.mixer import Conflict, ProblemError, Violation
from serendip.members.models import Member


def names_of(ids: Iterable[str]) -> dict[str, str]:
    """Each engine id's member name, in one query (ids written by hand keep their id)."""
    ids = set(ids)
    numbers: dict[str, int] = {}
    for person_id in ids:
        try:
            numbers[person_id] = member_of(person_id)
        except ValueError:  # a problem written by hand, not by the club's apps
            continue
    members = Member.objects.in_bulk(set(numbers.values()))
    names = {person_id: person_id for person_id in ids}
    for person_id, number in numbers.items():
        if number in members:
            names[person_id] = str(members[number])
    return names


def refusal_in_words(error: ProblemError, meal: str) -> str:
    """Why the meal ``meal`` cannot be seated at all, and what to change."""
    numbers = error.numbers
    if error.field == "people" and len(numbers) == 2:
        return _(
            "%(meal)s cannot be seated: %(people)s attendees for %(seats)s seats. Add tables "
            "or seats."
        ) % {"meal": meal, "people": numbers[0], "seats": numbers[1]}
    if error.field == "rules.separate_organizations" and len(numbers) == 2 and error.person:
        member = _member(error.person)
        organisation = member.organisation if member else None
        return _(
            "%(meal)s cannot be seated: %(count)s attendees from %(organisation)s must sit "
            "apart, at %(tables)s tables. Add tables."
        ) % {
            "meal": meal,
            "count": numbers[0],
            "organisation": str(organisation) if organisation else _("one organisation"),
            "tables": numbers[1],
        }
    return _("The tables of %(meal)s cannot be planned: check its tables and rotations.") % {
        "meal": meal
    }


def _member(person_id: str) -> Member | None:
    """The member behind an engine id, if any."""
    try:
        member_id = member_of(person_id)
    except ValueError:
        return None
    return Member.objects.select_related("organisation").filter(pk=member_id).first()


def violation_in_words(violation: Violation, names: dict[str, str]) -> str:
    """One broken rule of a seating, by name, rotation and table."""
    who = [names.get(p, p) for p in violation.people]
    where = {"round": violation.round, "table": violation.table}
    if violation.rule == "repeated pair" and len(who) == 2:
        return _("%(a)s and %(b)s share a table again in rotation %(round)s.") % {
            "a": who[0],
            "b": who[1],
            **where,
        }
    if violation.rule == "colleagues" and len(who) == 2:
        return _("%(a)s and %(b)s, colleagues, share table %(table)s in rotation %(round)s.") % {
            "a": who[0],
            "b": who[1],
            **where,
        }
    if violation.rule == "together" and len(who) == 2:
        return _("%(a)s and %(b)s, who both rated green, are apart in the first rotation.") % {
            "a": who[0],
            "b": who[1],
        }
    return _("A seating rule is broken (%(rule)s).") % {"rule": violation.rule}


def conflict_in_words(conflict: Conflict, names: dict[str, str]) -> str:
    """Why the rules of a meal cannot all hold (or, for an open problem, why no seating is
    known that keeps them), and what to change."""
    numbers = conflict.numbers
    who = [names.get(p, p) for p in conflict.people]
    if conflict.rule == "pairs" and len(numbers) == 4:
        return ngettext(
            "Over %(rounds)s rotations these tables seat at least %(n)s pair twice: this is "
            "proved by counting. Fewer rotations or more, smaller tables avoid it.",
            "Over %(rounds)s rotations these tables seat at least %(n)s pairs twice: this is "
            "proved by counting. Fewer rotations or more, smaller tables avoid it.",
            numbers[3],
        ) % {"rounds": numbers[0], "n": numbers[3]}
    if conflict.rule == "table-mates" and len(numbers) == 2 and who:
        return _(
            "%(who)s would have %(mates)s table-mates over the rotations but may sit with only "
            "%(people)s people: someone is met twice, proved by counting. Fewer rotations or "
            "more tables avoid it."
        ) % {"who": who[0], "mates": numbers[0], "people": numbers[1]}
    if conflict.rule == "hosts" and len(who) == 2:
        return _("%(a)s and %(b)s both host table %(table)s: they sit together every rotation.") % {
            "a": who[0],
            "b": who[1],
            "table": conflict.table,
        }
    if conflict.rule == "latin squares" and len(numbers) == 4 and conflict.proved:
        return _(
            "%(people)s people at %(tables)s tables of %(tables)s cannot meet only new people "
            "over %(rounds)s rotations: this is proved (no two orthogonal Latin squares of "
            "order %(tables)s exist). Fewer rotations avoid it."
        ) % {"people": numbers[0], "tables": numbers[1], "rounds": numbers[2]}
    if conflict.rule == "latin squares" and len(numbers) == 4:
        return _(
            "No seating is known in which %(people)s people at %(tables)s tables of "
            "%(tables)s meet only new people over %(rounds)s rotations (it is an open question "
            "in mathematics): the seating repeats as few pairs as it could. %(fewer)s "
            "rotations, or one seat fewer, avoid it."
        ) % {
            "people": numbers[0],
            "tables": numbers[1],
            "rounds": numbers[2],
            "fewer": numbers[2] - 1,
        }
    if conflict.rule == "exact":
        return _(
            "No seating keeps every rule of this meal: an exact search proves it. Fewer "
            "rotations or more tables avoid it."
        )
    return _("The rules of this meal cannot all hold.")


def seating_warnings(
    violations: Sequence[Violation], conflicts: tuple[Conflict, ...], *, most: int = 5
) -> list[str]:
    """What the organiser reads about a seating that breaks rules: why (when known), then the
    first few broken rules by name and how many more."""
    names = names_of(
        [p for v in violations[:most] for p in v.people] + [p for c in conflicts for p in c.people]
    )
    lines = [conflict_in_words(c, names) for c in conflicts]
    lines += [violation_in_words(v, names) for v in violations[:most]]
    if len(violations) > most:
        left = len(violations) - most
        lines.append(
            ngettext("And %(n)s more broken rule.", "And %(n)s more broken rules.", left)
            % {"n": left}
        )
    return lines
