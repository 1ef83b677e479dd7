"""Who sees which report: the one rule that pages, CSV, PDF, the API and nothing else ask.

- The club's dashboard: the club's organisers (staff).
- One event's report: that event's organisers (``serendip.events.access.can_organise``).
- A sponsor's report: the club's organisers, and the sponsors of that organisation only; so a
  sponsor never sees another organisation's outcomes or amounts, in any format.
- The member's report: every member, for themselves (the club's figures there are aggregates
  with small numbers hidden).
"""

from __future__ import annotations

from typing import Any

from serendip.events.access import can_organise, is_club_organiser
from serendip.events.models import Event
from serendip.members.choices import Side
from serendip.members.models import Member, Organisation


def member_of(user: Any) -> Member | None:
    """The signed-in user's member profile, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user_id=user.pk).select_related("organisation").first()


def can_see_club(user: Any) -> bool:
    """Whether the user may see the club's dashboard."""
    return is_club_organiser(user)


def can_see_event(user: Any, event: Event) -> bool:
    """Whether the user may see this event's report."""
    return can_organise(user, event)


def can_see_sponsor(user: Any, organisation: Organisation) -> bool:
    """Whether the user may see this organisation's sponsor report."""
    if is_club_organiser(user):
        return True
    member = member_of(user)
    return (
        member is not None
        and member.side == Side.SPONSOR
        and member.organisation_id == organisation.pk
    )
