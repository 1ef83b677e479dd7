"""The part of an attendee's agenda that takes work: their meetings, with why and how.

Rendered for a given moment, without a request: by the agenda's first reader of a new
version, or by a queue worker with the now parts (serendip.web.tasks.warm_now_parts). The
page around it (tabs, meal tables, calendar link) is the reader's own and cheap.
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from serendip.events.models import Event
from serendip.members.models import Member
from serendip.programme.briefing import briefs
from serendip.programme.models import Meeting
from serendip.programme.reports import Attendance, MeetingState, meeting_state
from serendip.web.room import Room, room_of


def render_agenda_part(
    event: Event, member: Member, *, now: dt.datetime, room: Room | None = None
) -> SafeString:
    """The member's meetings round by round at ``now``, in the active language, as HTML.

    Each meeting held offers to record what came of it: "held" follows the clock and who
    came, both in the part's version (``live.agenda_key``). ``room``: what a worker's walk
    of the room read once for every attendee; a page reads its reader's own.
    """
    room = room or room_of(event, [member.pk])
    agenda, wished = room.agenda(member.pk), room.wished(member.pk)
    all_briefs = briefs(event, member, version=room.profiles, agenda=agenda, wished=wished)
    context = {
        "event": event,
        "briefs": all_briefs,
        "held": held_meetings(agenda, room.attendance, now=now),
    }
    return mark_safe(render_to_string("web/attendee/agenda_meetings.html", context))


def held_meetings(meetings: list[Meeting], attendance: Attendance, *, now: dt.datetime) -> set[int]:
    """The meetings that took place by ``now`` (round over, both there)."""
    return {m.pk for m in meetings if meeting_state(m, attendance, now) == MeetingState.HELD}
