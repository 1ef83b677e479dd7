"""What the live pages (now, agenda, gong) keep between programme changes, and their ETags.

Everything here is keyed on versions read from the database: the event's
``programme_version`` (bumped by every programme write, serendip.events.services.lock) for
the gong and the pages' ETags; for the now and agenda parts, the attendee's own meetings and
who of them was away, the rounds, the profiles (a no-show elsewhere leaves them as they
were). A process never needs to be told that its copy is stale, it sees a new key.

At the gong 450 phones poll the same pages: one query (``attending``) says which version of
them an attendee should see. A phone holding that version gets a 304; another gets the
rendered part from Django's cache, which ``serendip serve`` keeps in files every server
process shares; only the first reader of a new version renders it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from serendip.events.models import Event, Registration
from serendip.jobs import queue_runs_apart
from serendip.members.models import Member
from serendip.programme.models import Meeting, Rating, Round
from serendip.programme.tasks import warm_event_briefs

# Rendered once with this in place of the CSRF token, which is each reader's own: the cached
# part is shared by every request of the attendee, the token filled in when it is sent.
CSRF_PLACEHOLDER = "csrf-token-filled-in-when-sent"
_REQUEST_MEMO = "_serendip_attending"


@dataclass(frozen=True)
class Attending:
    """An attendee's registration as the live pages need it, and the versions they depend on."""

    event_id: int
    member_id: int
    name: str
    published: bool
    calendar_token: str
    programme: tuple[object, ...]  # version, publication, name, time zone, the rounds
    mine: tuple[object, ...]  # the attendee's meetings, and who of them and theirs is away
    ratings: tuple[object, ...]  # how many ratings of the attendee's meetings, the last one
    profiles: tuple[object, ...]  # the club's profiles (names, organisations, contacts)


def _tables() -> dict[str, str]:
    return {
        "event": Event._meta.db_table,
        "registration": Registration._meta.db_table,
        "member": Member._meta.db_table,
        "meeting": Meeting._meta.db_table,
        "rating": Rating._meta.db_table,
        "round": Round._meta.db_table,
    }


def _attending_sql() -> str:
    t = _tables()
    table = connection.ops.quote_name("table")
    # Whether the people I meet were there ("did not take place"), by registration.
    away = (
        "CASE x.status WHEN 'no_show' THEN 1 WHEN 'cancelled' THEN 2"
        " WHEN 'left_early' THEN 3 ELSE 0 END"
    )

    def mine(side: str, other: str) -> str:
        # My meetings on one side, each with the other person's registration and ratings:
        # index lookups from my registration, never a scan of the event's meetings.
        return (
            f"SELECT mm.id, mm.round_id * 1000 + mm.{table} AS place,"
            " mm.boss_id + mm.sponsor_id AS people,"
            f" x.id * ({away}) + COALESCE(x.left_after_id, 0) AS away"
            f" FROM me JOIN {t['meeting']} mm"
            f" ON mm.event_id = me.event_id AND mm.{side} = me.member_id"
            f" LEFT JOIN {t['registration']} x"
            f" ON x.event_id = mm.event_id AND x.member_id = mm.{other}"
        )

    # One pass over my meetings, read once (a CTE), rather than a correlated subquery per
    # sum: PostgreSQL planned 15 subplans on every poll, most of its CPU at the gong.
    return (
        "WITH me AS ("
        "SELECT e.id AS event_id, r.member_id, e.programme_version, e.published, e.name,"
        " e.timezone, r.calendar_token, r.status, r.left_after_id"
        f" FROM {t['event']} e JOIN {t['registration']} r ON r.event_id = e.id"
        f" JOIN {t['member']} m ON m.id = r.member_id"
        " WHERE e.slug = %s AND m.user_id = %s),"
        f" mine AS ({mine('boss_id', 'sponsor_id')} UNION ALL {mine('sponsor_id', 'boss_id')})"
        " SELECT me.event_id, me.member_id, me.programme_version, me.published, me.name,"
        " me.timezone, me.calendar_token, my.rated, my.last_rated,"
        " club.n, club.top, club.updated, rounds.n, rounds.first, rounds.last, rounds.minutes,"
        " my.n, my.seats, my.people, my.away, me.status, me.left_after_id"
        " FROM me"
        " CROSS JOIN (SELECT COUNT(*) AS n, MAX(id) AS top, MAX(updated) AS updated"
        f" FROM {t['member']}) club"
        " CROSS JOIN (SELECT COUNT(*) AS n, MIN(start) AS first, MAX(start) AS last,"
        f" SUM(minutes) AS minutes FROM me JOIN {t['round']} rr ON rr.event_id = me.event_id)"
        " rounds"
        # My meetings, their rounds, tables and people: a swap between two of them moves a sum.
        " CROSS JOIN (SELECT COUNT(*) AS n, SUM(id * place) AS seats, SUM(id * people) AS people,"
        " SUM(away) AS away,"
        f" SUM((SELECT COUNT(*) FROM {t['rating']} g WHERE g.meeting_id = mine.id)) AS rated,"
        f" MAX((SELECT MAX(g.created) FROM {t['rating']} g WHERE g.meeting_id = mine.id))"
        " AS last_rated FROM mine) my"
    )


def _prepared_cursor() -> CursorWrapper:
    """A cursor whose statements PostgreSQL plans once per connection (elsewhere Django's own).

    Planning the attending query cost PostgreSQL more than running it, on every poll of
    every phone. Django's cursors bind parameters client-side, which PostgreSQL cannot
    prepare; this one binds them server-side and prepares at first use (psycopg keeps the
    statement for the connection's life). Without ``prepare_threshold`` in the database's
    OPTIONS (settings: ``SERENDIP_DB_PREPARE=0``, for a transaction-mode pooler) psycopg
    prepares nothing and this is a plain server-side binding cursor.
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    # As Django opens its own (BaseDatabaseWrapper._cursor), and wrapped as it wraps them:
    # the query is counted, logged and checked for thread sharing like any other.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    return connection._prepare_cursor(_prepared_class()(connection.connection))  # type: ignore[attr-defined]


@functools.cache
def _prepared_class() -> type[Any]:
    import psycopg  # PostgreSQL's driver: imported where it is the database only

    class Prepared(psycopg.Cursor[Any]):
        """psycopg's server-side binding cursor, preparing each statement at its first use."""

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Prepared:
            kwargs.setdefault("prepare", True)
            return super().execute(query, params, **kwargs)

    return Prepared


def attending(request: HttpRequest, slug: str) -> Attending | None:
    """The signed-in attendee's registration to the event and its versions, in one query.

    None when the reader is not signed in or not registered. Read once per request.
    """
    memo: dict[str, Attending | None] = request.__dict__.setdefault(_REQUEST_MEMO, {})
    if slug in memo:
        return memo[slug]
    found = attending_of(slug, request.user.pk) if request.user.is_authenticated else None
    memo[slug] = found
    return found


def attending_of(slug: str, user_pk: int) -> Attending | None:
    """``attending`` for a given account (the warm-up job reads every attendee's)."""
    with _prepared_cursor() as cursor:
        cursor.execute(_attending_sql(), [slug, user_pk])
        row = cursor.fetchone()
    if row is None:
        return None
    return Attending(
        event_id=row[0],
        member_id=row[1],
        name=row[4],
        published=row[3] is not None,
        calendar_token=row[6] or "",
        programme=(row[2], str(row[3]), row[4], row[5], *map(str, row[12:16])),
        mine=tuple(str(v) for v in row[16:22]),
        ratings=(int(row[7] or 0), str(row[8])),  # a sum of counts: none without meetings
        profiles=tuple(str(v) for v in row[9:12]),
    )


# The rounds of each event at a given version of its programme, as (start, end): a few
# entries per process, never stale since the key moves with every change of the rounds.
_rounds: dict[tuple[object, ...], list[tuple[dt.datetime, dt.datetime]]] = {}
_rounds_lock = threading.Lock()


Schedule = list[tuple[dt.datetime, dt.datetime]]


def _schedule(event_id: int, programme: tuple[object, ...]) -> Schedule:
    key = (event_id, *programme)
    with _rounds_lock:
        held = _rounds.get(key)
    if held is None:
        held = [
            (start, start + dt.timedelta(minutes=minutes))
            for start, minutes in Round.objects.filter(event_id=event_id).values_list(
                "start", "minutes"
            )
        ]
        with _rounds_lock:
            if len(_rounds) > 64:
                _rounds.clear()
            _rounds[key] = held
    return held


def attending_phase(found: Attending, now: dt.datetime | None = None) -> tuple[int, int]:
    """``phase`` from the rounds this process already read at this version of the programme."""
    now = now or timezone.now()
    started = ended = 0
    for start, end in _schedule(found.event_id, found.programme):
        started += start <= now
        ended += end <= now
    return started, ended


def _tag(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def has_messages(request: HttpRequest) -> bool:
    """Whether a message waits to be shown (after a rating, say): content no kept page has."""
    return bool(request.COOKIES.get("messages"))


def now_key(
    request: HttpRequest, found: Attending, *, poll: bool = False, now: dt.datetime | None = None
) -> str:
    """The version of the attendee's "now" part: their meetings, club, clock phase, ratings.

    Not the programme's version: a no-show or a re-plan elsewhere in the room leaves the
    page of everyone they do not meet as it was, and 450 phones need not fetch it again.
    """
    return part_key(request.user.pk, get_language(), found, poll=poll, now=now)


def part_key(
    user_pk: object,
    language: str,
    found: Attending,
    *,
    poll: bool = False,
    now: dt.datetime | None = None,
) -> str:
    """``now_key`` for a given reader, language and moment (the warm-up job has no request).

    ``poll``: the version the page's own polling fetches (``?part=live``). It leaves the
    ratings out: now.js never replaces a rating form already on the page, so a rating (the
    wave after each gong) changes nothing the poll would show, and costs no render.
    """
    return _tag(
        "now",
        user_pk,
        language,
        found.programme[1:],
        found.mine,
        found.profiles,
        attending_phase(found, now),
        "poll" if poll else found.ratings,
    )


def agenda_key(request: HttpRequest, found: Attending) -> str:
    """The version of the attendee's meetings on their agenda (``agenda_part``)."""
    return agenda_part_key(request.user.pk, get_language(), found)


def agenda_part_key(
    user_pk: object, language: str, found: Attending, *, now: dt.datetime | None = None
) -> str:
    """``agenda_key`` for a given reader, language and moment (the warm-up job has no request).

    Like the now part's, not the programme's version: a no-show or a re-plan elsewhere in
    the room leaves the agenda of everyone they do not meet as it was. Which meetings were
    held (each offers to record an outcome) follows the rounds over and who of the
    attendee's meetings was away: the part changes once a round, not per poll.
    """
    return _tag(
        "agenda",
        user_pk,
        language,
        found.programme[1:],
        found.profiles,
        found.mine,
        attending_phase(found, now)[1],
    )


def now_etag(request: HttpRequest, slug: str) -> str | None:
    """The now page's ETag for this attendee (the whole page or its live part)."""
    found = attending(request, slug)
    if found is None or has_messages(request):
        return None
    part = request.GET.get("part", "")
    return _tag(now_key(request, found, poll=part == "live"), part)


def agenda_etag(request: HttpRequest, slug: str) -> str | None:
    """The agenda's ETag for this attendee."""
    found = attending(request, slug)
    if found is None or has_messages(request):
        return None
    # The page around the kept part shows the meal tables (any programme change may move
    # them: the version) and the private feed's address (its token, the host).
    return _tag(
        agenda_key(request, found),
        found.programme[0],
        found.calendar_token,
        request.get_host(),
        request.user.is_staff,
    )


def gong_etag(request: HttpRequest, slug: str) -> str | None:
    """The gong screen changes only with the programme (its countdown runs in the browser)."""
    event = Event.objects.filter(slug=slug).only("pk", "programme_version").first()
    if event is None or has_messages(request):
        return None
    return _tag("gong", request.user.pk, get_language(), event.pk, event.programme_version)


def rendered(
    request: HttpRequest, key: str, render: Callable[[str], str], *, also: str = ""
) -> SafeString:
    """The part stored under ``key``, rendered by ``render(csrf_token)`` by its first reader.

    ``render`` is given a placeholder for the CSRF token; this reader's own token replaces it.
    ``also``: another key the same rendering serves (the poll's, which ignores ratings).
    """
    return with_token(request, kept(key, render, also=also))


def kept(key: str, render: Callable[[str], str], *, also: str = "") -> str:
    """The HTML kept under ``key`` (the CSRF placeholder in it), rendered if nobody has yet."""
    html = cache.get(f"serendip:live:{key}")
    if html is None:
        html = render(CSRF_PLACEHOLDER)
        keep(key, html)
        if also:
            cache.add(f"serendip:live:{also}", html, timeout=settings.SERENDIP_LIVE_CACHE_SECONDS)
    return str(html)


def with_token(request: HttpRequest, html: str) -> SafeString:
    """Kept HTML with this reader's own CSRF token in place of the placeholder."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # our own template's output, escaped when rendered


def page_key(request: HttpRequest, part_key: str) -> str:
    """The version of a whole live page around a part: the menu differs for organisers."""
    return _tag("page", part_key, request.user.is_staff, request.get_full_path())


def keep(key: str, html: str) -> None:
    """Keep a rendered part under its version for every server process."""
    cache.set(f"serendip:live:{key}", html, timeout=settings.SERENDIP_LIVE_CACHE_SECONDS)


def is_kept(key: str) -> bool:
    """Whether a part is already kept under this version."""
    return cache.has_key(f"serendip:live:{key}")


def next_gong(found: Attending, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the attendee's now part next changes by the clock (a round starts or ends)."""
    now = now or timezone.now()
    moments = [t for span in _schedule(found.event_id, found.programme) for t in span if t > now]
    return min(moments, default=None)


def warm_next_gong_soon(found: Attending, now: dt.datetime | None = None) -> bool:
    """Ask a queue worker to render every attendee's now part for the next gong, before it.

    At the gong every phone's part changes at once: rendered on demand, 450 renders land
    on the servers in the seconds the room takes out its phones. A worker renders them in
    the quiet half of the round instead (``SERENDIP_WARM_AHEAD_SECONDS`` before the gong),
    once per gong, programme and profiles. Returns whether this call asked.
    """
    now = now or timezone.now()
    at = next_gong(found, now)
    if at is None or not queue_runs_apart():
        return False
    # Not the programme's version: each check-in at the desk moves it, and would ask again
    # for 450 parts that have not changed (the parts' own versions leave it out too).
    asked = f"serendip:warm-now:{_tag(found.event_id, found.programme[1:], found.profiles, at)}"
    if not cache.add(asked, True, timeout=settings.SERENDIP_LIVE_CACHE_SECONDS):
        return False
    from serendip.web.tasks import warm_now_parts  # the job renders with this module

    ahead = at - dt.timedelta(seconds=settings.SERENDIP_WARM_AHEAD_SECONDS)
    warm_now_parts.using(run_after=max(ahead, now)).enqueue(found.event_id, at.isoformat())
    return True


def warm_gongs_under_way(now: dt.datetime | None = None) -> int:
    """Ask for the parts of the next gong of every event under way; how many were asked.

    A worker starting during the seminar (a restart, a deploy) asks at once: the first
    phone's poll would ask too, but later, and leave the worker less of the round to render
    the room's parts before the gong. Asked as that poll asks (``warm_next_gong_soon``, read
    for one attendee), so the poll then finds it asked and a second run never walks the room.
    """
    if not queue_runs_apart():
        return 0
    now = now or timezone.now()
    around = dt.timedelta(hours=1)
    under_way = (
        Event.objects.filter(
            published__isnull=False,
            rounds__start__gt=now - around,
            rounds__start__lt=now + around,
        )
        .values_list("pk", "slug")
        .distinct()
        .order_by("pk")
    )
    asked = 0
    for event_id, slug in under_way:
        attendees = Registration.objects.filter(event_id=event_id, member__user__isnull=False)
        user_id = attendees.values_list("member__user_id", flat=True).order_by("pk").first()
        found = attending_of(slug, user_id) if user_id is not None else None
        if found is not None and warm_next_gong_soon(found, now):
            asked += 1
    return asked


def warm_after_change(sender: object, event_id: int, **kwargs: object) -> None:
    """After a programme change, ask a worker to render the parts the phones will read now.

    Changes come in bursts (a desk marking no-shows, a re-plan and its letters): the job
    runs ``SERENDIP_WARM_AFTER_CHANGE_SECONDS`` after the first and sees them all. It does
    nothing unless the event is under way (serendip.web.tasks.warm_now_parts).
    """
    if not queue_runs_apart():
        return
    delay = settings.SERENDIP_WARM_AFTER_CHANGE_SECONDS
    if cache.add(f"serendip:warm-now-changed:{event_id}", True, timeout=delay):
        from serendip.web.tasks import warm_now_parts  # the job renders with this module

        later = warm_now_parts.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
        later.enqueue(event_id, "")


def warm_briefs_soon(found: Attending) -> None:
    """Ask a queue worker to explain the event's pairs, once per programme and profiles.

    Called by the first reader of a new version of a live page: the other phones' pages
    after the next gong then find the why and how of their meetings already computed.
    Without a worker (the demo's one process, the tests) each page explains its own pairs.
    """
    if not queue_runs_apart():
        return
    asked = f"serendip:warm:{_tag(found.event_id, found.programme[0], found.profiles)}"
    if cache.add(asked, True, timeout=settings.SERENDIP_LIVE_CACHE_SECONDS):
        warm_event_briefs.enqueue(found.event_id)
