"""The day-before letter to attendees, in each one's language (the programme's other letter,
"your agenda changed", is sent by serendip.programme.agenda after each change)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from serendip import mail
from serendip.events.models import Event
from serendip.events.services import User, log
from serendip.members.models import Member
from serendip.programme.briefing import top_meetings
from serendip.programme.planning import agenda_of


def _link(name: str, event: Event) -> str:
    return settings.SERENDIP_SITE_URL + reverse(name, args=[event.slug])


def day_before_recipients(event: Event) -> list[int]:
    """The members with meetings at the event who have an email address, in a stable order."""
    ids = set(event.meetings.values_list("boss", flat=True)) | set(
        event.meetings.values_list("sponsor", flat=True)
    )
    return list(
        Member.objects.filter(pk__in=ids)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def when_it_starts(event: Event, now: dt.datetime | None = None) -> tuple[str, dt.date]:
    """ "today", "tomorrow" or "later", and the first day, by the venue's calendar at the time
    the letter is written (the organiser may send it any day, a worker may write it late)."""
    venue = zoneinfo.ZoneInfo(event.timezone)
    today = timezone.localtime(now or timezone.now(), venue).date()
    first = timezone.localtime(event.start, venue).date()
    last = timezone.localtime(event.end, venue).date()
    if first <= today <= last:
        return "today", first
    if first == today + dt.timedelta(days=1):
        return "tomorrow", first
    return "later", first


@task()
def send_day_before_letters(event_id: int, member_ids: list[int]) -> int:
    """Write and send the day-before letter to these members (a job); returns mails sent."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0  # deleted meanwhile
    when, day = when_it_starts(event)
    messages = []
    for member in Member.objects.filter(pk__in=member_ids).exclude(email="").order_by("pk"):
        # The briefs' reasons and icebreakers are worded in the reader's language too.
        with translation.override(member.language):
            context = {
                "member": member,
                "event": event,
                "agenda": agenda_of(event, member),
                "top": top_meetings(event, member),
                "link": _link("tomorrow", event),
                "when": when,
                "day": day,
            }
        messages.append(
            mail.letter(
                "programme/email/day_before", context, to=member.email, language=member.language
            )
        )
    return mail.send(messages)


def send_day_before(event: Event) -> int:
    """Queue the day-before letter to every attendee with meetings: agenda, the three that
    matter most and why, icebreakers, and the "I'm coming / I can't come" page.

    Returns the number of letters queued (sent at once by the immediate backend; by a worker
    with the database queue, so the organiser's request never waits for the mail server).
    """
    recipients = day_before_recipients(event)
    if recipients:
        # Called outside any transaction (a view or a command): the job may start at once.
        send_day_before_letters.enqueue(event.pk, recipients)
    return len(recipients)


class NotPublished(Exception):
    """Letters asked for a programme attendees cannot see yet; the message says so."""


def remind(event: Event, *, actor: User) -> int:
    """The organiser's "send the day-before letters": queued for everyone with meetings, logged.

    Raises NotPublished before the programme is published (the letter would show an agenda
    the attendee cannot open). Not inside a transaction: the job may start at once.
    """
    if not event.published:
        raise NotPublished(_("Publish the programme before sending the letters."))
    sent = send_day_before(event)
    log(event, actor, "letters", f"{sent} day-before letters", params={"sent": sent})
    return sent
