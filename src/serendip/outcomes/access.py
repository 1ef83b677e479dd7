"""Who sees which outcome, and who sees its amount and note.

- Organisers (club staff) see every outcome, with amounts and notes.
- A member sees the outcomes they are a party to, with amounts and notes.
- A sponsor-side member also sees the confirmed outcomes involving their own organisation
  (the organisation a party was with at the time), with amounts, as in the sponsor's
  report; never the private note, and never another organisation's outcomes.
- Everyone else sees no single outcome: only the reports' aggregates.

The gratitude ledger's rule is untouched: nothing here counts what a giver gave.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from serendip.events.access import is_club_organiser
from serendip.members.choices import Side
from serendip.members.models import Member
from serendip.outcomes.models import Outcome, OutcomeStatus


def member_of(user: Any) -> Member | None:
    """The user's member record, or None (anonymous users, accounts without one)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Member.objects.filter(user=user).select_related("organisation").first()


def _sponsor_organisation(member: Member | None) -> int | None:
    if member is None or member.side != Side.SPONSOR:
        return None
    return member.organisation_id


def visible_outcomes(user: Any) -> QuerySet[Outcome]:
    """The outcomes this user may see one by one."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Outcome.objects.none()
    if is_club_organiser(user):
        return Outcome.objects.all()
    member = member_of(user)
    if member is None:
        return Outcome.objects.none()
    mine = Q(parties__member=member)
    organisation = _sponsor_organisation(member)
    if organisation is not None:
        mine |= Q(parties__organisation_id=organisation, status=OutcomeStatus.CONFIRMED)
    ids = Outcome.objects.filter(mine).values("pk")
    return Outcome.objects.filter(pk__in=ids)


def is_party(user: Any, outcome: Outcome) -> bool:
    """Whether the user lived the outcome."""
    member = member_of(user)
    return member is not None and outcome.parties.filter(member=member).exists()


def can_see(user: Any, outcome: Outcome) -> bool:
    """Whether the user may see this outcome at all."""
    return visible_outcomes(user).filter(pk=outcome.pk).exists()


def can_see_amounts(user: Any, outcome: Outcome) -> bool:
    """Amounts: the parties, organisers, and sponsors for their own organisation's outcomes."""
    if is_club_organiser(user) or is_party(user, outcome):
        return True
    organisation = _sponsor_organisation(member_of(user))
    return (
        organisation is not None
        and outcome.status == OutcomeStatus.CONFIRMED
        and outcome.parties.filter(organisation_id=organisation).exists()
    )


def can_see_note(user: Any, outcome: Outcome) -> bool:
    """The private note: the parties and organisers only."""
    return is_club_organiser(user) or is_party(user, outcome)
