"""Background jobs of the web pages: the live parts rendered ahead of the gong."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Collection

from django.conf import settings
from django.core.cache import caches
from django.db.models import Max, Min
from django.utils import timezone, translation
from django_tasks import task

from serendip.events.models import Event, Registration
from serendip.jobs import WARM_PRIORITY
from serendip.members.recommendations import club_index
from serendip.programme.briefing import warm_briefs
from serendip.web import live
from serendip.web.agenda_part import render_agenda_part
from serendip.web.now_part import render_now_part
from serendip.web.room import room_of

logger = logging.getLogger(__name__)

# Rendered ahead only from this long before the first round starts to as long after the last
# one starts (a round lasts less).
_AROUND_THE_DAY = dt.timedelta(hours=1)
_BUSY_SECONDS = 300  # a run killed mid-way leaves its mark this long at most
_AGAIN_AFTER = dt.timedelta(seconds=2)
# Attendees rendered between two looks at the queue for a more urgent job.
_LOOK_EVERY = 25


class _GaveWay(Exception):
    """A more urgent job waits for this worker: the warm-up stops and comes back behind it."""


@task(priority=WARM_PRIORITY)
def warm_now_parts(event_id: int, at: str = "") -> int:
    """Render every attendee's now part and agenda meetings as at ``at`` (the next gong).

    ``at`` empty: as it is now, after a programme change, if the event is under way.
    Each part is kept under the version its phone will ask for (the poll's and the page's),
    so the phone's next request reads it instead of rendering it. A part already kept, or
    an attendee whose meetings changed since, is left to the page. Returns how many parts
    it rendered.
    """
    event = Event.objects.filter(pk=event_id, published__isnull=False).first()
    if event is None:
        return 0
    moment = dt.datetime.fromisoformat(at) if at else timezone.now()
    day = event.rounds.aggregate(first=Min("start"), last=Max("start"))
    if day["first"] is None or not (
        day["first"] - _AROUND_THE_DAY <= moment <= day["last"] + _AROUND_THE_DAY
    ):
        return 0  # not the seminar's day: nobody is polling
    # One run at a time per event: two would render the same parts side by side, on the cores
    # the pages need. A run that finds another at work comes back a moment later.
    busy = f"serendip:warming-now:{event_id}"
    marks = caches["marks"]
    run = f"warm-up of event {event_id} at {at or 'now'}"  # how the worker's log names it
    if not marks.add(busy, True, timeout=_BUSY_SECONDS):
        if live.queue_runs_apart():
            later = warm_now_parts.using(run_after=timezone.now() + _AGAIN_AFTER)
            later.enqueue(event_id, at)
        logger.info("%s: another run is at work", run)
        return 0
    logger.info("%s: started", run)
    started = time.monotonic()
    try:
        made = _render_all(event, moment, give_way=_urgent_job_waiting)
    except _GaveWay:
        # A re-plan waited behind a run of 20 s: what is rendered stays kept, the rest is
        # rendered when this run comes back, after the urgent job.
        warm_now_parts.enqueue(event_id, at)
        logger.info("%s: gave way to a more urgent job", run)
        return 0
    finally:
        marks.delete(busy)
    logger.info("%s: %s parts in %.1f s", run, made, time.monotonic() - started)
    return made


def _urgent_job_waiting() -> bool:
    """Whether a job more urgent than the warm-up (a re-plan, letters) waits in the queue."""
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        return False  # no queue to look at: every job runs in its page, or in a test's list
    from django_tasks_db.models import DBTaskResult  # only installed apps' models at import

    return DBTaskResult.objects.ready().filter(priority__gt=WARM_PRIORITY).exists()


def render_replanned(sender: object, event_id: int, member_ids: list[int], **kwargs: object) -> int:
    """Render the now parts and agendas of the attendees a re-plan moved, before it is done.

    Run by the re-planning job itself (signal ``agendas_replanned``), in a queue worker only:
    the phones read these pages as soon as the organiser's page says "re-planned", and each
    rendering its own would land on the server's cores at once. Returns how many parts.
    """
    if not live.queue_runs_apart():
        return 0  # the job runs inside the organiser's page: the phones render their own
    event = Event.objects.filter(pk=event_id, published__isnull=False).first()
    if event is None:
        return 0
    return _render_all(event, timezone.now(), members=member_ids)


def _look_at_the_queue(seen: int, give_way: Callable[[], bool] | None) -> None:
    """Every few attendees, raise _GaveWay if ``give_way()`` says a more urgent job waits."""
    if give_way is not None and seen % _LOOK_EVERY == 0 and give_way():
        raise _GaveWay


def _render_all(
    event: Event,
    moment: dt.datetime,
    *,
    members: Collection[int] | None = None,
    give_way: Callable[[], bool] | None = None,
) -> int:
    """Render and keep the attendees' parts at ``moment`` not kept yet; how many.

    Every attendee's, or only ``members``'. The now parts first (every phone polls them at
    the gong), then the meetings of the agendas (opened now and then). Raises _GaveWay when
    ``give_way()``, asked every few attendees, says a more urgent job waits.
    """
    chosen = event.registrations.filter(member__user__isnull=False)
    if members is None:
        # The club's recommender index, built here by a worker that has none yet (after a
        # restart) rather than by a server process while the phones wait; after new
        # connections club_index asks a worker for it (members.tasks.build_club_index).
        club_index()
        # Every pair's why and how first, in one batch: each part would otherwise explain its
        # own meetings, a batch per attendee (50 s for 450 instead of 1 s for the whole room).
        warm_briefs(event)
    else:
        chosen = chosen.filter(member__in=members)
    registrations = list(chosen.select_related("member").order_by("pk"))
    # The parts' versions first, then what the parts show (room_of): a part is never rendered
    # from data older than the version it is kept under.
    todo: list[tuple[Registration, list[str], str]] = []  # now keys, agenda key not kept yet
    for seen, registration in enumerate(registrations):
        _look_at_the_queue(seen, give_way)
        member = registration.member
        found = live.attending_of(event.slug, member.user_id)
        if found is None:
            continue
        with translation.override(member.language):
            # The language the page speaks to this member (MemberLanguageMiddleware).
            language = translation.get_language()
        now_keys = [
            live.part_key(member.user_id, language, found, poll=poll, now=moment)
            for poll in (True, False)
        ]
        agenda_key = live.agenda_part_key(member.user_id, language, found, now=moment)
        if all(live.is_kept(key) for key in now_keys):
            now_keys = []
        if live.is_kept(agenda_key):
            agenda_key = ""
        if now_keys or agenda_key:
            todo.append((registration, now_keys, agenda_key))
    if not todo:
        return 0
    # One read for the whole walk: each part reading its own cost 5,000 queries a room.
    room = room_of(event, [registration.member_id for registration, _, _ in todo])
    made = 0
    # The now parts first (every phone polls them at the gong), then the agendas' meetings
    # (opened now and then).
    for seen, (registration, now_keys, _) in enumerate(todo):
        _look_at_the_queue(seen, give_way)
        if now_keys:
            member = registration.member
            with translation.override(member.language):
                html = render_now_part(
                    event,
                    member,
                    registration,
                    now=moment,
                    csrf_token=live.CSRF_PLACEHOLDER,
                    room=room,
                )
            for key in now_keys:
                live.keep(key, html)
            made += 1
    for seen, (registration, _, agenda_key) in enumerate(todo):
        _look_at_the_queue(seen, give_way)
        if agenda_key:
            member = registration.member
            with translation.override(member.language):
                live.keep(agenda_key, render_agenda_part(event, member, now=moment, room=room))
            made += 1
    return made
