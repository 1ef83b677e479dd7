"""What an attendee should know about each meeting: shared keywords, why, how to start."""

from __future__ import annotations

from collections.abc import Callable, Collection
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


def briefs(
    event: Event,
    member: Member,
    *,
    detail: Callable[[list[Meeting]], Collection[int]] | None = None,
) -> list[Brief]:
    """Every meeting of the member's agenda with why and how to start.

    ``detail`` picks, from the agenda, the meetings whose why and how the page shows: the
    others come bare (who, when), which spares the recommender on pages that list them only.
    """
    wished = dict(Wish.objects.filter(event=event, member=member).values_list("wanted", "weight"))
    found = []
    meetings = agenda_of(event, member)
    chosen = None if detail is None else set(detail(meetings))
    # Checked once, not once per meeting, and not at all when no meeting is detailed.
    index = club_index() if meetings and (chosen is None or chosen) else None
    for meeting in meetings:
        other = meeting.other(member)
        if chosen is not None and meeting.pk not in chosen:
            found.append(Brief(meeting, other, [], "", (), score=float(wished.get(other.pk, 0))))
            continue
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
