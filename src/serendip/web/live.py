"""What the live pages (now, agenda, gong) keep between programme changes, and their ETags.

Everything here is keyed on the event's ``programme_version``, which every programme write
bumps in the database (serendip.events.services.lock), and on the members' profiles: a
process never needs to be told that its copy is stale, it sees a new key.
Phones polling a page that has not changed get a 304 from a few small queries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from serendip.events.models import Event, Registration
from serendip.members.models import Member
from serendip.programme.models import Rating, Round


def phase(event: Event, now: Any = None) -> tuple[int, int]:
    """How many rounds have started and ended: the live pages change only when it does."""
    now = now or timezone.now()
    started = ended = 0
    for start, minutes in Round.objects.filter(event=event).values_list("start", "minutes"):
        started += start <= now
        ended += start + dt.timedelta(minutes=minutes) <= now
    return started, ended


def profiles_version() -> tuple[object, ...]:
    """The members' profiles as the briefs read them: changes with any edit, addition or removal.

    Not the recommender's whole fingerprint: that also counts connections, and every pair of
    greens at the gong makes one, which would send every phone's unchanged page again.
    """
    found = Member.objects.aggregate(n=Count("id"), last=Max("id"), updated=Max("updated"))
    return (found["n"], found["last"], found["updated"])


def _tag(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _has_messages(request: HttpRequest) -> bool:
    # A message to show (after a rating, say) is content the cached page does not have.
    return bool(request.COOKIES.get("messages"))


def _registration(request: HttpRequest, slug: str) -> tuple[Event, Registration] | None:
    registration = (
        Registration.objects.filter(event__slug=slug, member__user_id=request.user.pk)
        .select_related("event")
        .first()
    )
    return (registration.event, registration) if registration else None


def now_etag(request: HttpRequest, slug: str) -> str | None:
    """The now page's version for this attendee: programme, club, clock phase, ratings."""
    found = _registration(request, slug) if request.user.is_authenticated else None
    if found is None or _has_messages(request):
        return None
    event, registration = found
    ratings = Rating.objects.filter(
        meeting__event=event, meeting__in=_meeting_ids(event, registration.member_id)
    ).aggregate(n=Count("id"), last=Max("created"))
    return _tag(
        "now",
        request.user.pk,
        get_language(),
        request.GET.get("part", ""),
        event.programme_version,
        event.published,
        profiles_version(),
        phase(event),
        ratings["n"],
        ratings["last"],
    )


def agenda_etag(request: HttpRequest, slug: str) -> str | None:
    """The agenda's version for this attendee: programme, club, calendar link."""
    found = _registration(request, slug) if request.user.is_authenticated else None
    if found is None or _has_messages(request):
        return None
    event, registration = found
    return _tag(
        "agenda",
        request.user.pk,
        get_language(),
        event.programme_version,
        event.published,
        profiles_version(),
        registration.calendar_token,
    )


def gong_etag(request: HttpRequest, slug: str) -> str | None:
    """The gong screen changes only with the programme (its countdown runs in the browser)."""
    event = Event.objects.filter(slug=slug).only("pk", "programme_version").first()
    if event is None or _has_messages(request):
        return None
    return _tag("gong", request.user.pk, get_language(), event.pk, event.programme_version)


def _meeting_ids(event: Event, member_id: int) -> Any:
    return event.meetings.filter(Q(boss_id=member_id) | Q(sponsor_id=member_id)).values("id")
