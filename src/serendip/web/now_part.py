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
from serendip.programme.models import Colour, Meeting, Rating
from serendip.programme.reports import (
    MeetingState,
    attendance_of,
    follow_up_contact,
    meeting_state,
)


def render_now_part(
    event: Event,
    member: Member,
    registration: Registration,
    *,
    now: dt.datetime,
    csrf_token: str,
) -> SafeString:
    """The now page's live part for the member at ``now``, in the active language, as HTML."""
    # Only the meetings now and next show their why and how: the rest are listed by name, so
    # the recommender is not asked about them on every poll of 450 phones.
    all_briefs = briefs(event, member, detail=lambda meetings: now_and_next(meetings, now))
    # Who of the member and the people they meet was away: not the whole room's registrations.
    attendance = attendance_of(event, members={member.pk} | {b.other.pk for b in all_briefs})
    current = [b for b in all_briefs if b.meeting.round.start <= now < b.meeting.round.end]
    upcoming = [b for b in all_briefs if b.meeting.round.start > now]
    following = [b for b in upcoming if b.meeting.round_id == upcoming[0].meeting.round_id]
    past = [b for b in all_briefs if b.meeting.round.end <= now]
    ratings = {r.meeting_id: r for r in Rating.objects.filter(rater=member, meeting__event=event)}
    # The other side's follow-ups on my past meetings only, not the whole event's.
    theirs = {
        r.meeting_id: r
        for r in Rating.objects.filter(
            meeting__in=[b.meeting.pk for b in past], follow_up=True
        ).exclude(rater=member)
    }
    to_rate, missed = [], []
    for b in reversed(past):
        if meeting_state(b.meeting, attendance, now) != MeetingState.HELD:
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
