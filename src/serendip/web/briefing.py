"""What an attendee should know about each meeting: shared keywords, why, how to start."""

from __future__ import annotations

from dataclasses import dataclass

from serendip.events.models import Event
from serendip.members.models import Member
from serendip.members.recommendations import club_index, meeting_brief
from serendip.programme.models import Meeting, Wish
from serendip.programme.planning import agenda_of


@dataclass(frozen=True)
class Brief:
    """One meeting as the attendee sees it."""

    meeting: Meeting
    other: Member
    shared: list[str]
    reason: str
    icebreakers: tuple[str, ...]
    score: float


def shared_keywords(a: Member, b: Member) -> list[str]:
    """The keywords both profiles list, compared without case."""
    theirs = {k.casefold() for k in b.keywords}
    return [k for k in a.keywords if k.casefold() in theirs]


def briefs(event: Event, member: Member) -> list[Brief]:
    """Every meeting of the member's agenda with why and how to start."""
    wished = dict(Wish.objects.filter(event=event, member=member).values_list("wanted", "weight"))
    found = []
    meetings = agenda_of(event, member)
    index = club_index() if meetings else None  # checked once, not once per meeting
    for meeting in meetings:
        other = meeting.other(member)
        brief = meeting_brief(member, other, index=index)
        reason = brief.reason if brief else ""
        found.append(
            Brief(
                meeting=meeting,
                other=other,
                shared=shared_keywords(member, other),
                reason=reason,
                icebreakers=brief.icebreakers if brief else (),
                # A meeting the member asked for matters more than one the planner proposed.
                score=wished.get(other.pk, 0) + (brief.score if brief else 0.0),
            )
        )
    return found


def top_meetings(event: Event, member: Member, *, k: int = 3) -> list[Brief]:
    """The k meetings that matter most for the member, best first."""
    return sorted(briefs(event, member), key=lambda b: -b.score)[:k]
