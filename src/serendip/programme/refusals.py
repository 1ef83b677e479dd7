"""The meetings engine's refusals in the organiser's language and the club's words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from serendip.engine_ids import member_of
from serendip.engines.meetings import ProblemError
from serendip.members.models import Member


def _who(error: ProblemError) -> str | None:
    """The member the refusal is about, by name (the engine names them in ``person``)."""
    if error.person is None:
        return None
    try:
        member_id = member_of(error.person)
    except ValueError:  # a problem written by hand, not by the club's apps
        return None
    member = Member.objects.filter(pk=member_id).first()
    return str(member) if member else None


def refusal_in_words(error: ProblemError) -> str:
    """What the organiser reads when the planner refuses the event's problem.

    The engine names a field (``people[24] (m62).min_meetings``) and a reason in English
    for programmers, and who and which figures in ``person`` and ``numbers``; the organiser
    gets a sentence naming the person and what to change.
    """
    field, numbers = error.field, error.numbers
    named = _who(error)
    who = named or _("someone")
    if field == "rounds":
        return _("The programme has no rounds yet: save the set-up first.")
    if field == "tables":
        return _("The event has no tables for the meetings: give their number in the set-up.")
    if field.endswith(".min_meetings") and len(numbers) >= 2:
        return _(
            "%(who)s is promised %(n)s meetings but can hold at most %(max)s: lower their "
            "package, or add rounds or representatives."
        ) % {"who": who, "n": numbers[0], "max": numbers[1]}
    if field.startswith("people[") and field.endswith((".capacity", ".max_meetings")):
        return _("%(who)s's package cannot be planned: check their representatives.") % {"who": who}
    if field.startswith("fixed"):
        return _(
            "A meeting placed by hand for %(who)s no longer fits the set-up: remove it "
            "or change the set-up."
        ) % {"who": who}
    if named:
        return _(
            "The planner refused the set-up for %(who)s; check the tables, rounds and packages."
        ) % {"who": who}
    return _("The planner refused the set-up; check the tables, rounds and packages.")
