"""Who may see what of an event's programme (the web pages and the API ask the same rules)."""

from __future__ import annotations

from typing import Any

from serendip.events.access import can_organise
from serendip.events.models import Event
from serendip.members.choices import Side
from serendip.members.models import Member
from serendip.programme.models import Meeting


def can_see_programme(user: Any, event: Event) -> bool:
    """Attendees see the programme (agendas, now/next) once published; the organisers always."""
    return bool(event.published) or can_organise(user, event)


def holds_meeting(member: Member, meeting: Meeting) -> bool:
    """Whether the member is one of the meeting's two people (who alone rate it)."""
    return member.pk in (meeting.boss_id, meeting.sponsor_id)


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
