"""The part of an attendee's "now" page that follows the clock: now, next, to rate.

Rendered for a given moment, without a request: by the page's first reader of a new
version, or by a queue worker ahead of the gong (serendip.web.tasks.warm_now_parts).
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from serendip.events.models import Event, Registration
from serendip.members.models import Member
from serendip.programme.briefing import briefs
from serendip.programme.models import Colour, Meeting
from serendip.programme.reports import (
    MeetingState,
    follow_up_contact,
    meeting_state,
)
from serendip.web.room import Room, room_of


def render_now_part(
    event: Event,
    member: Member,
    registration: Registration,
    *,
    now: dt.datetime,
    csrf_token: str,
    room: Room | None = None,
) -> SafeString:
    """The now page's live part for the member at ``now``, in the active language, as HTML.

    ``room``: what a worker's walk of the room read once for every attendee; a page reads
    its reader's own (a room of one, in as many queries).
    """

    # Only the meetings now and next show their why and how: the rest are listed by name, so
    # the recommender is not asked about them on every poll of 450 phones.
    def detail(meetings: list[Meeting]) -> set[int]:
        return now_and_next(meetings, now)

    room = room or room_of(event, [member.pk])
    all_briefs = briefs(
        event,
        member,
        detail=detail,
        version=room.profiles,
        agenda=room.agenda(member.pk),
        wished=room.wished(member.pk),
    )
    current = [b for b in all_briefs if b.meeting.round.start <= now < b.meeting.round.end]
    upcoming = [b for b in all_briefs if b.meeting.round.start > now]
    following = [b for b in upcoming if b.meeting.round_id == upcoming[0].meeting.round_id]
    past = [b for b in all_briefs if b.meeting.round.end <= now]
    ratings = room.ratings.get(member.pk, {})
    # The other side's follow-ups on my past meetings.
    theirs = {
        r.meeting_id: r
        for b in past
        for r in room.follow_ups.get(b.meeting.pk, [])
        if r.rater_id != member.pk
    }
    to_rate, missed = [], []
    for b in reversed(past):
        if meeting_state(b.meeting, room.attendance, now) != MeetingState.HELD:
            missed.append(b)
            continue
        asked = b.meeting.pk in theirs
        # Their ticking "I'd like a follow-up" is their agreement to share their details.
        to_rate.append((b, ratings.get(b.meeting.pk), follow_up_contact(b.other, asked=asked)))
    context = {
        "event": event,
        "registration": registration,
        "current": current,
        "next": following,
        "to_rate": to_rate,
        "missed": missed,
        "colours": Colour.choices,
        "csrf_token": csrf_token,
    }
    return mark_safe(render_to_string("web/attendee/now_live.html", context))


def now_and_next(meetings: list[Meeting], now: dt.datetime) -> set[int]:
    """The meetings under way and those of the attendee's next round (agenda in round order)."""
    current = {m.pk for m in meetings if m.round.start <= now < m.round.end}
    upcoming = [m for m in meetings if m.round.start > now]
    following = (
        {m.pk for m in upcoming if m.round_id == upcoming[0].round_id} if upcoming else set()
    )
    return current | following
