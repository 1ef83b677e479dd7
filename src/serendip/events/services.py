"""Use cases on events: the activity log, attendance, the seminar's rounds."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from serendip.events.models import (
    PLANNED_STATUSES,
    ActivityLog,
    Event,
    FreedMeeting,
    Registration,
    RegistrationStatus,
    Round,
)
from serendip.events.signals import programme_changed

# Who acts: a signed-in account, an anonymous visitor or nobody (a command, a periodic job).
User = Account | AnonymousUser | None


def signed_in(actor: User) -> Account | None:
    """The account that acts, or None when nobody signed in does."""
    return actor if isinstance(actor, Account) else None


def log(
    event: Event,
    actor: User,
    action: str,
    details: str = "",
    *,
    params: dict[str, Any] | None = None,
) -> ActivityLog:
    """Write one line of the event's activity log (who, what, when).

    ``params`` (numbers, names, codes; JSON) fill the action's sentence in the reader's
    language when the log is shown (serendip.events.activity); ``details`` is the plain
    record, shown only for actions without params.
    """
    return ActivityLog.objects.create(
        event=event,
        actor=signed_in(actor),
        action=action,
        details=details,
        params=params or {},
    )


def lock(event: Event, *, bump: bool = True) -> Event:
    """The event row locked until the transaction ends: edits to one programme take turns.

    Every programme write takes this lock, so it is also where the programme's version is
    bumped: the caches of every web process see the new number once the write commits.
    ``bump=False`` is for a write that may leave what attendees see as it was (a check-in):
    it calls ``bump_programme_version`` itself when it does change it.
    """
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if bump:
        bump_programme_version(event, locked)
    return locked


def bump_programme_version(event: Event, locked: Event | None = None) -> None:
    """Tell every process's cached live pages that the event's programme changed."""
    Event.objects.filter(pk=event.pk).update(programme_version=F("programme_version") + 1)
    event.programme_version = (
        Event.objects.filter(pk=event.pk).values_list("programme_version", flat=True).get()
    )
    if locked is not None:
        locked.programme_version = event.programme_version
    event_id = event.pk
    transaction.on_commit(lambda: programme_changed.send(sender=Event, event_id=event_id))


class PastIsFrozen(Exception):
    """A change that would touch a round that has started; the message says which and why."""


def has_started(round: Round, now: dt.datetime | None = None) -> bool:
    """Whether the round has begun: its meetings are history from then on."""
    return round.start <= (now or timezone.now())


def first_open_round(event: Event, now: dt.datetime | None = None) -> Round | None:
    """The first round that has not started yet (None when every round has)."""
    return event.rounds.filter(start__gt=now or timezone.now()).order_by("number").first()


def event_under_way(event: Event, now: dt.datetime | None = None) -> bool:
    """Whether the event's first round has started."""
    return event.rounds.filter(start__lte=now or timezone.now()).exists()


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
    rounds: list[Round] = []
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
        params={
            "sessions": session,
            "rounds_per_session": rounds_per_session,
            "minutes": minutes,
            "changeover": changeover,
        },
    )
    return rounds


@transaction.atomic
def create_event(*, actor: User, **fields: Any) -> Event:
    """Create an event from its fields; whoever creates it organises it (events.access).

    Raises ValidationError with what the model refuses (end before start, unknown zone...).
    """
    event = Event(**fields)
    event.full_clean()
    event.save()
    if (account := signed_in(actor)) is not None:
        event.organisers.add(account)
    log(
        event,
        actor,
        "event",
        f"created: {event.name}",
        params={"change": "created", "name": event.name},
    )
    return event


@transaction.atomic
def change_event(event: Event, *, actor: User, **fields: Any) -> Event:
    """Change an event's fields, under its lock (its times and place are what attendees see).

    Raises ValidationError with what the model refuses, changing nothing.
    """
    lock(event)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save(update_fields=[*fields, "programme_version"])
    log(
        event,
        actor,
        "event",
        "changed: " + ", ".join(sorted(fields)),
        params={"change": "changed", "fields": sorted(fields)},
    )
    return event


@transaction.atomic
def set_up_programme(
    event: Event,
    *,
    tables: int,
    boss_min_meetings: int,
    boss_max_meetings: int,
    preferences_deadline: dt.datetime | None,
    days: list[dt.date],
    session_starts: list[dt.time],
    rounds_per_session: int,
    minutes: int,
    changeover: int,
    actor: User,
) -> list[Round]:
    """Save the seminar's set-up in one go: tables, minimums, deadline and rounds.

    Raises ValueError, changing nothing, when meetings are planned on the rounds.
    """
    rounds = set_rounds(
        event,
        days=days,
        session_starts=session_starts,
        rounds_per_session=rounds_per_session,
        minutes=minutes,
        changeover=changeover,
        actor=actor,
    )
    event.tables, event.preferences_deadline = tables, preferences_deadline
    event.boss_min_meetings, event.boss_max_meetings = boss_min_meetings, boss_max_meetings
    event.save(
        update_fields=["tables", "boss_min_meetings", "boss_max_meetings", "preferences_deadline"]
    )
    log(event, actor, "setup", "tables and minimums saved")
    return rounds


@transaction.atomic
def save_packages(event: Event, *, changed: list[Registration], actor: User) -> list[Registration]:
    """Save the sponsors' packages (guaranteed meetings, representatives) as changed, logged."""
    lock(event, bump=False)  # packages weigh on the next planning, not on what attendees see
    for registration in changed:
        registration.save(update_fields=["guaranteed_meetings", "representatives"])
    log(
        event,
        actor,
        "packages",
        ", ".join(f"{r.member}: {r.guaranteed_meetings} / {r.representatives}" for r in changed),
        params={
            "changes": [
                {
                    "member": str(r.member),
                    "guaranteed": r.guaranteed_meetings,
                    "representatives": r.representatives,
                }
                for r in changed
            ]
        },
    )
    return changed


@transaction.atomic
def set_attendance(
    registration: Registration,
    status: str,
    *,
    actor: User,
    left_after: Round | None = None,
    now: dt.datetime | None = None,
) -> Registration:
    """Record check-in, no-show, "left early" (after a round) or an answer to "are you coming?".

    A registration that says it cannot come, or did not come, loses its meetings
    that have not started, so that the re-plan can give their slots to others; the
    meetings of rounds that have started stay as they are, whatever the status.
    Whoever loses or gains a meeting is told after the commit.
    """
    # A plain check-in changes nothing attendees see: only a move into or out of absence
    # (meetings freed, given back, "did not take place") changes their pages.
    lock(registration.event, bump=False)
    # The stored status, not the caller's copy: undoing depends on what was recorded.
    was = Registration.objects.values_list("status", flat=True).get(pk=registration.pk)
    registration.status = status
    registration.left_after = left_after if status == RegistrationStatus.LEFT_EARLY else None
    registration.save(update_fields=["status", "left_after"])
    freed = restored = 0
    if status in (RegistrationStatus.CANCELLED, RegistrationStatus.NO_SHOW):
        freed = _free_rounds(registration, after=None, now=now)
    elif status == RegistrationStatus.LEFT_EARLY and left_after is not None:
        if was in AWAY:
            # A corrected round (left later than first recorded): the rounds between come back.
            restored = _give_back(registration, now=now)
        freed = _free_rounds(registration, after=left_after.number, now=now)
    elif was in AWAY:
        # A mistake undone (a no-show who was there after all): their meetings come back.
        restored = _give_back(registration, now=now)
    if status in AWAY or was in AWAY or freed or restored:
        bump_programme_version(registration.event)
    log(
        registration.event,
        actor,
        "attendance",
        f"{registration.member}: {registration.get_status_display()}"
        + (f" after round {left_after.number}" if left_after else "")
        + (f", {freed} meetings freed" if freed else "")
        + (f", {restored} meetings given back" if restored else ""),
        params={
            "member": str(registration.member),
            "status": str(status),
            "after_round": left_after.number if left_after else None,
            "freed": freed,
            "restored": restored,
        },
    )
    return registration


# Statuses whose meetings were taken away, and which a later status can undo.
AWAY = (
    RegistrationStatus.CANCELLED,
    RegistrationStatus.NO_SHOW,
    RegistrationStatus.LEFT_EARLY,
)


# The statuses an attendee's own "I'm coming / I can't come" may change; the others are
# the desk's word on the day (checked in, no-show, left early).
ANSWERABLE = (
    RegistrationStatus.INVITED,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.CANCELLED,
)


def answer_coming(registration: Registration, *, coming: bool, actor: User) -> Registration:
    """The attendee's own answer to "are you coming?", until the first round starts.

    Raises PastIsFrozen once the event is under way or the desk has recorded them.
    """
    with transaction.atomic():
        # set_attendance bumps the programme version itself when what attendees see changes.
        lock(registration.event, bump=False)
        registration.refresh_from_db()
        if event_under_way(registration.event):
            raise PastIsFrozen(_("The event has started: please tell the organisers at the desk."))
        if registration.status not in ANSWERABLE:
            raise PastIsFrozen(
                _("You are already recorded as %(status)s: please tell the organisers.")
                % {"status": registration.get_status_display()}
            )
        status = RegistrationStatus.CONFIRMED if coming else RegistrationStatus.CANCELLED
        return set_attendance(registration, status, actor=actor)


def _free_rounds(registration: Registration, *, after: int | None, now: dt.datetime | None) -> int:
    """Delete the member's meetings not yet started (and after round ``after`` when given).

    A round that has started is history: its meetings stay even when the person turns
    out to have left before it (the report counts who was there, not the rows).
    """
    meetings = registration.event.meetings.filter(
        Q(boss=registration.member) | Q(sponsor=registration.member),
        round__start__gt=now or timezone.now(),
    )
    if after is not None:
        meetings = meetings.filter(round__number__gt=after)
    freed = list(meetings.values_list("boss_id", "sponsor_id"))
    # Remembered so that undoing the absence can give them back (the latest absence counts).
    registration.freed_meetings.all().delete()
    FreedMeeting.objects.bulk_create(
        FreedMeeting(
            registration=registration,
            round_id=m.round_id,
            table=m.table,
            seat=m.seat,
            boss_id=m.boss_id,
            sponsor_id=m.sponsor_id,
            pinned=m.pinned,
        )
        for m in meetings
    )
    meetings.delete()
    # Imported here: the programme app sits above events, and owns the agenda mails.
    from serendip.programme.agenda import after_commit

    # Their partners are told; the person whose attendance changed knows already.
    after_commit(registration.event, {m for pair in freed for m in pair} - {registration.member_id})
    return len(freed)


def _give_back(registration: Registration, *, now: dt.datetime | None) -> int:
    """Re-create the meetings the registration's absence freed, where nothing has changed.

    A meeting comes back only if its round has not started, its partner is still expected
    for that round, and its table, both people and the representative's seat are still free
    in that round (a re-plan may have given the slot to someone else meanwhile).
    """
    # Imported here: the programme app sits above events.
    from serendip.programme.agenda import after_commit
    from serendip.programme.models import Meeting

    event = registration.event
    moment = now or timezone.now()
    expected = {
        r.member_id: r
        for r in event.registrations.filter(status__in=PLANNED_STATUSES).select_related(
            "left_after"
        )
    }
    given: list[FreedMeeting] = []
    for freed in registration.freed_meetings.select_related("round"):
        partner = expected.get(
            freed.sponsor_id if freed.boss_id == registration.member_id else freed.boss_id
        )
        if freed.round.start <= moment or partner is None or freed.table > event.tables:
            continue
        if partner.left_after is not None and partner.left_after.number < freed.round.number:
            continue
        taken = event.meetings.filter(round=freed.round).filter(
            Q(table=freed.table)
            | Q(boss_id=freed.boss_id)
            | Q(sponsor_id=freed.sponsor_id, seat=freed.seat)
        )
        met = event.meetings.filter(boss_id=freed.boss_id, sponsor_id=freed.sponsor_id)
        if taken.exists() or met.exists():
            continue
        Meeting.objects.create(
            event=event,
            round=freed.round,
            table=freed.table,
            seat=freed.seat,
            boss_id=freed.boss_id,
            sponsor_id=freed.sponsor_id,
            pinned=freed.pinned,
        )
        given.append(freed)
    registration.freed_meetings.all().delete()
    # Their partners are told; the person whose attendance changed knows already.
    after_commit(
        event, {m for f in given for m in (f.boss_id, f.sponsor_id)} - {registration.member_id}
    )
    return len(given)


def new_calendar_token(registration: Registration) -> str:
    """A fresh secret for the member's calendar feed; the old feed URL stops working."""
    registration.calendar_token = secrets.token_urlsafe(32)
    registration.save(update_fields=["calendar_token"])
    return registration.calendar_token
