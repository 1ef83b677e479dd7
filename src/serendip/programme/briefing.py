"""What an attendee should know about each meeting: shared keywords, why, how to start.

The why and how of a pair (the recommender's brief, a few milliseconds each) are kept in
Django's cache, which ``serendip serve``'s processes share in files, keyed by the pair and by
the club's profiles: the first process to explain a pair does it for all, a re-plan only
costs its new pairs, and ``warm_briefs`` (a queue job the live pages ask for once per
version of the programme) explains a whole programme in one batch before the phones ask.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from serendip.events.models import Event
from serendip.members.models import Member
from serendip.members.recommendations import meeting_briefs
from serendip.programme.models import Meeting, Wish
from serendip.programme.planning import agenda_of

# What a pair's brief is kept as: the reason, the icebreakers, the recommender's score.
Explained = tuple[str, tuple[str, ...], float]
_UNKNOWN: Explained = ("", (), 0.0)  # a profile the recommender does not know: nothing to say
_CHUNK = 400  # pairs explained and stored at a time by the warm-up (the next rounds first)
# How long an explained pair is kept: the day-before letter, the day, the bulletin after. Not
# forever: a profile's edit makes new keys, and the old ones would then fill the cache.
_KEPT_SECONDS = 3 * 24 * 3600


@dataclass(frozen=True)
class Brief:
    """One meeting as the attendee sees it."""

    meeting: Meeting
    other: Member
    shared: list[str]
    reason: str
    icebreakers: tuple[str, ...]
    score: float


def shared_keywords(a: Member, b: Member) -> list[str]:
    """The keywords both profiles list, compared without case."""
    theirs = {k.casefold() for k in b.keywords}
    return [k for k in a.keywords if k.casefold() in theirs]


def profiles_version() -> tuple[object, ...]:
    """The club's profiles as the briefs depend on them: count, newest id, last edit."""
    found = Member.objects.aggregate(n=Count("id"), last=Max("id"), edited=Max("updated"))
    return tuple(str(found[k]) for k in ("n", "last", "edited"))


def _key(member_id: int, other_id: int, version: tuple[object, ...]) -> str:
    # The profiles decide the reason and icebreakers; the score also weighs connections,
    # which move at every gong: it is the one of the moment the pair was first explained
    # (it only orders the day before's three meetings).
    scope = (connection.settings_dict["NAME"], settings.SERENDIP_TEXT_BACKEND, *version)
    digest = hashlib.blake2b(repr(scope).encode(), digest_size=8).hexdigest()
    return f"serendip:brief:{digest}:{member_id}:{other_id}"


def explained(
    pairs: Collection[tuple[int, int]], *, version: tuple[object, ...] | None = None
) -> dict[tuple[int, int], Explained]:
    """Why each (member id, other id) pair meets and how to start, from the shared cache.

    The pairs no process has explained yet are explained here, in one batch, and kept.
    ``version``: the club's ``profiles_version()`` when the caller has it already.
    """
    if not pairs:
        return {}
    version = version or profiles_version()
    keys = {pair: _key(*pair, version) for pair in pairs}
    held = cache.get_many(keys.values())
    found = {pair: held[key] for pair, key in keys.items() if key in held}
    missing = [pair for pair in pairs if pair not in found]
    if missing:
        new = {
            pair: (brief.reason, tuple(brief.icebreakers), brief.score) if brief else _UNKNOWN
            for pair, brief in meeting_briefs(missing).items()
        }
        cache.set_many({keys[pair]: value for pair, value in new.items()}, timeout=_KEPT_SECONDS)
        found.update(new)
    return found


def briefs(
    event: Event,
    member: Member,
    *,
    detail: Callable[[list[Meeting]], Collection[int]] | None = None,
    version: tuple[object, ...] | None = None,
    agenda: list[Meeting] | None = None,
    wished: dict[int, float] | None = None,
) -> list[Brief]:
    """Every meeting of the member's agenda with why and how to start.

    ``detail`` picks, from the agenda, the meetings whose why and how the page shows: the
    others come bare (who, when), which spares the recommender on pages that list them only.
    ``version``, ``agenda``, ``wished``: the club's ``profiles_version()``, the member's
    meetings in round order and their wishes, when the caller has read them already (a
    worker's walk of the room, ``web.room``).
    """
    if wished is None:
        wished = dict(
            Wish.objects.filter(event=event, member=member).values_list("wanted", "weight")
        )
    meetings = agenda_of(event, member) if agenda is None else agenda
    chosen = {m.pk for m in meetings} if detail is None else set(detail(meetings))
    why = explained(
        {(member.pk, m.other(member).pk) for m in meetings if m.pk in chosen}, version=version
    )
    found = []
    for meeting in meetings:
        other = meeting.other(member)
        if meeting.pk not in chosen:
            found.append(Brief(meeting, other, [], "", (), score=float(wished.get(other.pk, 0))))
            continue
        reason, icebreakers, score = why[(member.pk, other.pk)]
        found.append(
            Brief(
                meeting=meeting,
                other=other,
                shared=shared_keywords(member, other),
                reason=reason,
                icebreakers=icebreakers,
                # A meeting the member asked for matters more than one the planner proposed.
                score=wished.get(other.pk, 0) + score,
            )
        )
    return found


def top_meetings(event: Event, member: Member, *, k: int = 3) -> list[Brief]:
    """The k meetings that matter most for the member, best first."""
    return sorted(briefs(event, member), key=lambda b: -b.score)[:k]


def _both_sides(meetings: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each (boss id, sponsor id) meeting as the two pairs explained: one per reader."""
    return [pair for boss, sponsor in meetings for pair in ((boss, sponsor), (sponsor, boss))]


def explain_meetings(meetings: Iterable[Meeting]) -> None:
    """Explain these meetings to both sides now (a re-plan's new meetings, before it is saved).

    The agendas they change are read as soon as the plan is saved: each would otherwise
    explain its own new meetings, on the cores the room's phones need.
    """
    explained(_both_sides((m.boss_id, m.sponsor_id) for m in meetings))


def _pairs_in_order(event: Event) -> list[tuple[int, int]]:
    """Both sides of every meeting: the rounds not over first (the next gong's), then the past."""
    now = timezone.now()
    rows = Meeting.objects.filter(event=event).values_list(
        "boss_id", "sponsor_id", "round__start", "round__minutes", "round__number"
    )
    ordered = sorted(rows, key=lambda r: (r[2] + dt.timedelta(minutes=r[3]) <= now, r[4]))
    return _both_sides((boss, sponsor) for boss, sponsor, *_ in ordered)


def warm_briefs(event: Event) -> int:
    """Explain every pair of the event's programme ahead of the phones; returns how many new.

    The pairs already warmed under these profiles are remembered in one cache entry, so a
    re-plan or a no-show (a new version of the programme) costs only the pairs it created.
    """
    version = profiles_version()
    done_key = _key(event.pk, 0, ("warmed", *version))
    busy_key = _key(event.pk, 0, ("warming", *version))
    # One worker at a time: a second one would explain the same pairs again, on the same
    # cores as the phones' pages; the pairs it leaves are explained by the pages that need them.
    if not caches["marks"].add(busy_key, True, timeout=600):
        return 0
    try:
        done: set[tuple[int, int]] = cache.get(done_key) or set()
        pairs = [pair for pair in _pairs_in_order(event) if pair not in done]
        for start in range(0, len(pairs), _CHUNK):
            chunk = pairs[start : start + _CHUNK]
            explained(chunk, version=version)
            done.update(chunk)
            cache.set(done_key, done, timeout=_KEPT_SECONDS)
    finally:
        caches["marks"].delete(busy_key)
    return len(pairs)
