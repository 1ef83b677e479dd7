"""Use cases on events: the activity log, attendance, the seminar's rounds."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from serendip.events.models import ActivityLog, Event, Registration, RegistrationStatus, Round

User = AbstractBaseUser | AnonymousUser | None


def log(event: Event, actor: User, action: str, details: str = "") -> ActivityLog:
    """Write one line of the event's activity log (who, what, when)."""
    return ActivityLog.objects.create(
        event=event,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        details=details,
    )


def lock(event: Event) -> Event:
    """The event row locked until the transaction ends: edits to one programme take turns."""
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def set_rounds(
    event: Event,
    *,
    days: list[dt.date],
    session_starts: list[dt.time],
    rounds_per_session: int,
    minutes: int,
    changeover: int,
    actor: User,
) -> list[Round]:
    """Replace the event's rounds by sessions of equal rounds on each day.

    Raises ValueError when the programme already has meetings: rounds cannot
    change under planned meetings.
    """
    lock(event)
    if event.meetings.exists():
        raise ValueError("meetings are planned on these rounds; clear the plan first")
    event.rounds.all().delete()
    # Days and times are the venue's, whatever the server's zone.
    tz = zoneinfo.ZoneInfo(event.timezone)
    rounds = []
    session = 0
    for day in sorted(days):
        for start_time in sorted(session_starts):
            session += 1
            start = dt.datetime.combine(day, start_time, tz)
            for k in range(rounds_per_session):
                at = start + dt.timedelta(minutes=k * (minutes + changeover))
                rounds.append(
                    Round(
                        event=event,
                        number=len(rounds) + 1,
                        session=session,
                        start=at,
                        minutes=minutes,
                    )
                )
    Round.objects.bulk_create(rounds)
    log(
        event,
        actor,
        "rounds",
        f"{session} sessions of {rounds_per_session} rounds of {minutes} min "
        f"(+{changeover} min changeover)",
    )
    return rounds


@transaction.atomic
def set_attendance(
    registration: Registration,
    status: str,
    *,
    actor: User,
    left_after: Round | None = None,
) -> Registration:
    """Record check-in, no-show, "left early" (after a round) or an answer to "are you coming?".

    A registration that says it cannot come, or did not come, loses its meetings
    that have not started, so that the re-plan can give their slots to others.
    """
    lock(registration.event)
    registration.status = status
    registration.left_after = left_after if status == RegistrationStatus.LEFT_EARLY else None
    registration.save(update_fields=["status", "left_after"])
    freed = 0
    if status in (RegistrationStatus.CANCELLED, RegistrationStatus.NO_SHOW):
        freed = _free_rounds(registration, after=None)
    elif status == RegistrationStatus.LEFT_EARLY and left_after is not None:
        freed = _free_rounds(registration, after=left_after.number)
    log(
        registration.event,
        actor,
        "attendance",
        f"{registration.member}: {registration.get_status_display()}"
        + (f" after round {left_after.number}" if left_after else "")
        + (f", {freed} meetings freed" if freed else ""),
    )
    return registration


def _free_rounds(registration: Registration, *, after: int | None) -> int:
    """Delete the member's meetings in rounds after ``after`` (all not yet held when None)."""
    meetings = registration.event.meetings.filter(
        Q(boss=registration.member) | Q(sponsor=registration.member)
    )
    if after is not None:
        meetings = meetings.filter(round__number__gt=after)
    else:
        meetings = meetings.filter(round__start__gt=timezone.now())
    deleted, _ = meetings.delete()
    return deleted


def new_calendar_token(registration: Registration) -> str:
    """A fresh secret for the member's calendar feed; the old feed URL stops working."""
    registration.calendar_token = secrets.token_urlsafe(32)
    registration.save(update_fields=["calendar_token"])
    return registration.calendar_token
