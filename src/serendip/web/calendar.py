"""An attendee's agenda as an iCalendar file (RFC 5545), for downloads and the private feed."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from serendip.events.models import Event
from serendip.meals.services import tables_of
from serendip.members.models import Member
from serendip.programme.planning import agenda_of


def agenda_calendar(event: Event, member: Member) -> bytes:
    """One calendar entry per meeting and per meal rotation of the member at the event."""
    calendar = Calendar()
    calendar.add("prodid", "-//serendip//agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.name} · {member.full_name}")
    stamp = timezone.now()
    host = settings.SERENDIP_SITE_URL.split("//")[-1]
    for meeting in agenda_of(event, member):
        other = meeting.other(member)
        entry = CalendarEvent()
        entry.add("uid", f"meeting-{meeting.pk}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", meeting.round.start)
        entry.add("dtend", meeting.round.end)
        entry.add("summary", f"{other.full_name} · table {meeting.table}")
        company = other.organisation.name if other.organisation else ""
        entry.add("description", f"{other.full_name}, {other.headline} {company}".strip())
        entry.add("location", f"{event.venue}, table {meeting.table}")
        calendar.add_component(entry)
    for meal, rotation, table in tables_of(member):
        if meal.event_id != event.pk:
            continue
        entry = CalendarEvent()
        entry.add("uid", f"meal-{meal.pk}-{rotation}-{member.pk}@{host}")
        entry.add("dtstamp", stamp)
        entry.add("dtstart", meal.start)
        entry.add("summary", f"{meal.name} · table {table} ({rotation})")
        entry.add("location", event.venue)
        calendar.add_component(entry)
    return calendar.to_ical()
