"""The club's periodic jobs: the weekly digest, the introductions' clock, day-before letters,
the reports' summaries of events over.

``serendip periodic`` (from a systemd timer, cron or its own ``--every`` loop) asks what is
due and queues it. Each job is idempotent per period: a letter job first claims its period
(``PeriodicRun``), so a second run, a second machine or a job queued twice sends nothing more;
a job that fails gives its claim back so that the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from serendip.events.models import Event
from serendip.network.digest import send_digests
from serendip.network.introductions import expire_and_remind
from serendip.programme.letters import day_before_recipients, send_day_before_letters
from serendip.reports.figures import refresh_summaries, stale_summaries
from serendip.web.lost_jobs import give_up_lost_jobs
from serendip.web.models import PeriodicRun

logger = logging.getLogger(__name__)

DIGEST = "weekly-digest"
DAY_BEFORE = "day-before"


def claim(job: str, period: str) -> bool:
    """Take the job for this period; False when it was taken already (by anyone)."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(job=job, period=period)
    except IntegrityError:
        return False
    return True


def _once(job: str, period: str, work: Callable[[], int]) -> int | None:
    """Do the work unless this period's run was claimed already; None when skipped."""
    if not claim(job, period):
        logger.info("%s for %s: already done, skipped", job, period)
        return None
    try:
        done = work()
    except BaseException:
        # Give the period back: the next periodic run tries again.
        PeriodicRun.objects.filter(job=job, period=period).delete()
        raise
    PeriodicRun.objects.filter(job=job, period=period).update(finished=timezone.now())
    logger.info("%s for %s: %s sent", job, period, done, extra={"job": job, "sent": done})
    return done


def week_of(moment: dt.datetime) -> str:
    """The ISO week of a moment in the club's time zone, e.g. ``2026-W49``."""
    year, week, _day = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


@task()
def weekly_digest(period: str) -> int | None:
    """Send the digest of the given week once; returns mails sent (None if sent already)."""
    return _once(DIGEST, period, send_digests.call)


@task()
def day_before_letters(event_id: int, day: str) -> int | None:
    """Send an event's day-before letters once for the given day; None if sent already."""
    event = Event.objects.filter(pk=event_id, published__isnull=False).first()
    if event is None:
        return 0

    def send() -> int:
        return send_day_before_letters.call(event.pk, day_before_recipients(event))

    return _once(DAY_BEFORE, f"{event_id}:{day}", send)


@task()
def introduction_clock() -> tuple[int, int]:
    """Expire introductions past their date, remind at half-time (idempotent by itself)."""
    return expire_and_remind()


@task()
def report_summaries() -> int:
    """Compute the kept summary of every event over whose summary is missing or stale (the
    dashboard then reads them instead of computing them at the organiser's first view)."""
    return refresh_summaries()


def digest_due(now: dt.datetime) -> bool:
    """Whether this week's digest time has come (the week's digest may have gone already)."""
    local = timezone.localtime(now)
    return (local.weekday(), local.hour) >= (
        settings.SERENDIP_DIGEST_WEEKDAY,
        settings.SERENDIP_DIGEST_HOUR,
    )


def events_tomorrow(now: dt.datetime) -> list[Event]:
    """Published events that start tomorrow (club time), once the reminder hour has come."""
    local = timezone.localtime(now)
    if local.hour < settings.SERENDIP_REMIND_HOUR:
        return []
    tomorrow = local.date() + dt.timedelta(days=1)
    return [
        event
        for event in Event.objects.filter(published__isnull=False).order_by("start", "pk")
        if timezone.localdate(event.start) == tomorrow
    ]


def run_periodic(*, now: dt.datetime | None = None) -> list[str]:
    """Queue every job that is due now; returns one line per job queued."""
    now = now or timezone.now()
    # Each job, its arguments, what it is called, and for a job done once per period its claim.
    queued: list[tuple[Any, tuple[Any, ...], str, tuple[str, str] | None]] = [
        (introduction_clock, (), "introductions: expiries and reminders", None),
    ]
    if stale_summaries(now):
        queued.append((report_summaries, (), "reports: events' summaries", None))
    if digest_due(now):
        week = week_of(now)
        queued.append((weekly_digest, (week,), f"weekly digest {week}", (DIGEST, week)))
    day = (timezone.localdate(now) + dt.timedelta(days=1)).isoformat()
    for event in events_tomorrow(now):
        what = f"day-before letters for {event.slug}"
        queued.append(
            (day_before_letters, (event.pk, day), what, (DAY_BEFORE, f"{event.pk}:{day}"))
        )
    lines = []
    swept = give_up_lost_jobs(now)
    if swept.requeued or swept.failed or swept.claims_released:
        lines.append(
            f"lost jobs: {swept.requeued} queued again, {swept.failed} failed, "
            f"{swept.claims_released} periodic claims released"
        )
    for job, args, what, once in queued:
        run = PeriodicRun.objects.filter(job=once[0], period=once[1]).first() if once else None
        if run is not None:
            # Said as it is: the job would only find its period claimed and skip.
            lines.append(f"{what}: {'sent already' if run.finished else 'being sent'}")
            continue
        result = job.enqueue(*args)
        lines.append(f"{what}: {result.status.lower()}")
    return lines
