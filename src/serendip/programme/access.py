"""Who may see what of an event's programme (the web pages and the API ask the same rules)."""

from __future__ import annotations

from typing import Any

from serendip.events.access import can_organise
from serendip.events.models import Event
from serendip.members.choices import Side
from serendip.members.models import Member


def can_read_bulletin(user: Any, event: Event, sponsor_id: int, *, member: Member | None) -> bool:
    """The event's organisers read every sponsor's bulletin; a sponsor reads their own.

    ``member`` is the one behind the request (serendip.members.current), None for none.
    """
    if can_organise(user, event):
        return True
    return (
        member is not None
        and member.pk == sponsor_id
        and event.registrations.filter(member=member, side=Side.SPONSOR).exists()
    )
