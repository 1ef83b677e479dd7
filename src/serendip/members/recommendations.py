"""Use cases around the recommender: the club's index, a member's list, wishes and "not now".

The index is built from the database once and kept in memory until a profile,
a connection or a "not now" changes; every request after that only queries it.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Max
from django.utils import timezone

from serendip.engines.recommend import (
    Community,
    IncompleteProfile,
    Index,
    Profile,
    Recommendation,
    build_index,
    recommend,
)
from serendip.engines.recommend.index import TextSpace
from serendip.engines.recommend.recommend import brief, scores
from serendip.members.models import Connection, HiddenRecommendation, Member

NOT_NOW = dt.timedelta(days=90)
_lock = threading.Lock()
_cache: dict[str, tuple[tuple[object, ...], Index]] = {}


@dataclass(frozen=True)
class Suggestion:
    """A recommendation with the member it is about."""

    member: Member
    recommendation: Recommendation
    introducer: Member | None


def _version() -> tuple[object, ...]:
    """What the index depends on; any change of it means a rebuild."""
    members = Member.objects.aggregate(n=Count("id"), last=Max("updated"))
    connections = Connection.objects.aggregate(n=Count("id"), last=Max("id"))
    hidden = HiddenRecommendation.objects.filter(until__gt=timezone.now()).aggregate(
        n=Count("id"), last=Max("id")
    )
    return (
        members["n"],
        members["last"],
        connections["n"],
        connections["last"],
        hidden["n"],
        hidden["last"],
    )


def profile_of(member: Member) -> Profile:
    """What the recommender may read of a member (never the title)."""
    return Profile(
        id=str(member.pk),
        name=member.full_name,
        language=member.language,
        keywords=tuple(member.keywords),
        offers=tuple(member.offers),
        needs=tuple(member.needs),
        organization=str(member.organisation_id) if member.organisation_id else None,
        industry=member.industry or None,
        seniority=member.seniority or None,
    )


def text_space() -> TextSpace | None:
    """The text space settings ask for; None is the default TF-IDF n-grams."""
    backend = settings.SERENDIP_TEXT_BACKEND
    if backend == "embeddings":
        from serendip.engines.recommend.embeddings import EmbeddingSpace

        return EmbeddingSpace()
    if backend != "tfidf":
        raise ImproperlyConfigured(f"SERENDIP_TEXT_BACKEND is {backend!r}: tfidf or embeddings")
    return None


def club_index() -> Index:
    """The index of the whole club, rebuilt only when what it depends on has changed."""
    version = _version()
    with _lock:
        cached = _cache.get("club")
        if cached is not None and cached[0] == version:
            return cached[1]
        # Inactive accounts (erased members among them) are nobody to meet.
        members = Member.objects.exclude(side="staff").filter(user__is_active=True).order_by("id")
        community = Community(
            profiles=tuple(profile_of(m) for m in members),
            connections=frozenset(
                (str(a), str(b)) for a, b in Connection.objects.values_list("member_a", "member_b")
            ),
            hidden=frozenset(
                (str(a), str(b))
                for a, b in HiddenRecommendation.objects.filter(
                    until__gt=timezone.now()
                ).values_list("member", "hidden")
            ),
        )
        index = build_index(community, text_space())
        _cache["club"] = (version, index)
        return index


def suggestions_for(member: Member, *, top: int = 10) -> list[Suggestion]:
    """The people the member should meet, best first.

    Raises IncompleteProfile (with what to add) when the profile says too little.
    """
    index = club_index()
    if str(member.pk) not in index.position:
        raise IncompleteProfile(("topics", "offers", "needs"))
    found = recommend(index, str(member.pk), k=top)
    ids = {int(r.id) for r in found} | {int(r.introducer) for r in found if r.introducer}
    people = Member.objects.select_related("organisation").in_bulk(ids)
    return [
        Suggestion(people[int(r.id)], r, people[int(r.introducer)] if r.introducer else None)
        for r in found
    ]


def not_now(member: Member, other: Member) -> None:
    """Hide the person from the member's recommendations for 90 days."""
    HiddenRecommendation.objects.update_or_create(
        member=member, hidden=other, defaults={"until": timezone.now() + NOT_NOW}
    )


def affinity(members: list[Member], others: list[Member]) -> dict[tuple[int, int], float]:
    """The recommender's score for every (member, other) pair that scores above zero.

    Planners use it as the keyword affinity of pairs nobody marked: the same
    reciprocal, title-blind score as "People to meet". Colleagues and people who
    already know each other score nothing.
    """
    index = club_index()
    column = {str(o.pk): o.pk for o in others}
    rows = [index.position[c] for c in column if c in index.position]
    found: dict[tuple[int, int], float] = {}
    for member in members:
        row = index.position.get(str(member.pk))
        if row is None:
            continue
        score = scores(index, row)
        for other_row in rows:
            if score[other_row] > 0:
                other = int(index.profiles[other_row].id)
                found[(member.pk, other)] = float(score[other_row])
    return found


def meeting_brief(member: Member, other: Member) -> Recommendation | None:
    """Why the member meets the other person and two or three icebreakers; None if either
    profile is not in the club's index."""
    index = club_index()
    try:
        return brief(index, str(member.pk), str(other.pk))
    except KeyError:
        return None
