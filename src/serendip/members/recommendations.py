"""Use cases around the recommender: the club's index, a member's list, wishes and "not now".

The index is built once per state of the club and shared by every web process: each
request compares a one-query fingerprint of the club (profiles, connections, "not now")
with the one its process holds; when it differs, the process reads the club, and loads
the index another process already built for exactly that content (a file in the data
folder, written by atomic rename) or builds it itself, one process at a time.
A profile changed through one process is thus in every process's next answer.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import pickle
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from serendip.engine_ids import member_of_profile, profile
from serendip.engines.recommend import (
    Community,
    EmbeddingSpace,
    IncompleteProfile,
    Index,
    Profile,
    Recommendation,
    TextSpace,
    brief,
    build_index,
    recommend,
    scores,
)
from serendip.engines.recommend import briefs as many_briefs
from serendip.jobs import queue_runs_apart
from serendip.members.models import Connection, HiddenRecommendation, Member

NOT_NOW = dt.timedelta(days=90)
_lock = threading.Lock()
_cache: dict[str, tuple[tuple[object, ...], Index, float, str]] = {}
# Per index: its lists and briefs, computed once (15 ms a brief, 40 ms a list at 400 members).
_memo: dict[str, tuple[Index, dict[tuple[object, ...], object]]] = {}


@dataclass(frozen=True)
class Suggestion:
    """A recommendation with the member it is about."""

    member: Member
    recommendation: Recommendation
    introducer: Member | None


def _version() -> tuple[object, ...]:
    """What the index depends on, in one query; any change of it means a re-read.

    Counts and the newest id or timestamp of members, their accounts, connections and
    "not now" lines: edits, additions, deletions and deactivations all move one of them.
    """
    member = Member._meta.db_table
    user = Member._meta.get_field("user").related_model._meta.db_table
    tie = Connection._meta.db_table
    hidden = HiddenRecommendation._meta.db_table
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {member}), (SELECT MAX(id) FROM {member}),"
        f" (SELECT MAX(updated) FROM {member}),"
        f" (SELECT COUNT(*) FROM {user} WHERE is_active),"
        f" (SELECT COUNT(*) FROM {tie}), (SELECT MAX(id) FROM {tie}),"
        f" (SELECT COUNT(*) FROM {hidden} WHERE until > %s),"
        f" (SELECT MAX(until) FROM {hidden})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now()])
        row = cursor.fetchone()
    return (str(connection.settings_dict["NAME"]), *(str(v) for v in row))


def profile_of(member: Member) -> Profile:
    """What the recommender may read of a member (never the title); the industry is read for
    variety and fair exposure only."""
    return Profile(
        id=profile(member.pk),
        name=member.full_name,
        language=member.language,
        keywords=tuple(member.keywords),
        offers=tuple(member.offers),
        needs=tuple(member.needs),
        organization=str(member.organisation_id) if member.organisation_id else None,
        # An industry code of the vocabulary: the member's own, else their organisation's.
        industry=member.industry
        or (member.organisation.industry if member.organisation is not None else "")
        or None,
        seniority=member.seniority or None,
    )


def text_space() -> TextSpace | None:
    """The text space settings ask for; None is the default TF-IDF n-grams."""
    backend = settings.SERENDIP_TEXT_BACKEND
    if backend == "embeddings":
        return EmbeddingSpace()
    if backend != "tfidf":
        raise ImproperlyConfigured(f"SERENDIP_TEXT_BACKEND is {backend!r}: tfidf or embeddings")
    return None


def _index_dir() -> Path:
    """Where built indexes are shared between processes (``SERENDIP_INDEX_DIR`` or the data
    folder's ``index``)."""
    configured = getattr(settings, "SERENDIP_INDEX_DIR", None) or os.environ.get(
        "SERENDIP_INDEX_DIR"
    )
    return Path(configured) if configured else Path(settings.DATA_DIR) / "index"


def _community() -> Community:
    """The club as the recommender reads it, straight from the database."""
    # Inactive accounts (erased members among them) are nobody to meet.
    members = (
        Member.objects.exclude(side="staff")
        .filter(user__is_active=True)
        .select_related("organisation")
        .order_by("id")
    )
    return Community(
        profiles=tuple(profile_of(m) for m in members),
        connections=frozenset(
            (profile(a), profile(b))
            for a, b in Connection.objects.values_list("member_a", "member_b")
        ),
        hidden=frozenset(
            (profile(a), profile(b))
            for a, b in HiddenRecommendation.objects.filter(until__gt=timezone.now()).values_list(
                "member", "hidden"
            )
        ),
    )


def _digest(community: Community) -> str:
    """A name for exactly this content and text space: equal content, equal index."""
    h = hashlib.sha256(settings.SERENDIP_TEXT_BACKEND.encode())
    h.update(repr(community.profiles).encode())
    h.update(repr(sorted(community.connections)).encode())
    h.update(repr(sorted(community.hidden)).encode())
    return h.hexdigest()[:32]


def _load(path: Path) -> Index | None:
    try:
        with path.open("rb") as f:
            # Our own file, written by this function's twin below, in a folder of ours.
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None


def _store(path: Path, index: Index) -> None:
    """Write then rename: a reader sees the old file or the whole new one, never half."""
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    # Older indexes are of no use to anyone now; keep a few for processes still loading.
    for old in sorted(path.parent.glob("club-*.pickle"), key=lambda p: p.stat().st_mtime)[:-3]:
        old.unlink(missing_ok=True)


def _shared_index(community: Community) -> tuple[Index, str]:
    """The index of this content and its name: another process's if it built it, else built
    here once."""
    name = _digest(community)
    folder = _index_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        # A read-only data folder: memory only.
        return build_index(community, text_space()), name
    path = folder / f"club-{name}.pickle"
    index = _load(path)
    if index is not None:
        return index, name
    with (folder / "build.lock").open("a") as lock:
        # One process builds while the others wait for its file instead of building too.
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            index = _load(path)
            if index is None:
                index = build_index(community, text_space())
                _store(path, index)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return index, name


def _only_ties_moved(held: tuple[object, ...], now: tuple[object, ...]) -> bool:
    """Whether the two fingerprints differ by connections alone (see ``_version``'s order)."""
    return held[:5] == now[:5] and held[7:] == now[7:]


def club_index() -> Index:
    """The index of the whole club, re-read only when what it depends on has changed.

    New connections alone wait up to ``SERENDIP_INDEX_TIES_SECONDS``: at the gong every pair
    of greens makes one, and re-reading the club for each would cost every process a
    rebuild per rating; profiles and "not now" are followed at once. After that while, with
    a queue worker, a page asks the worker for the new index and keeps serving the one it
    has until the worker has built it (a list leaves out the reader's newest connections
    itself): each process re-reading the club on the seminar day kept a phone waiting.
    """
    version = _version()
    settle = float(getattr(settings, "SERENDIP_INDEX_TIES_SECONDS", 60))
    with _lock:
        cached = _cache.get("club")
        if cached is not None:
            held, index, since, _name = cached
            if held == version:
                return index
            if _only_ties_moved(held, version):
                if time.monotonic() - since < settle:
                    return index
                if queue_runs_apart():
                    return _newer_announced(held, version) or _ask_for_index(settle, index)
        return _rebuild(version)


def _rebuild(version: tuple[object, ...]) -> Index:
    """Read the club, take or build its index, announce it to the other processes (under
    ``_lock``); ``version`` is the fingerprint read before the club was."""
    index, name = _shared_index(_community())
    _cache["club"] = (version, index, time.monotonic(), name)
    _announce(version, name)
    return index


def rebuild_club_index() -> None:
    """Build the club's index as it is now and announce it (the job a page asked for)."""
    with _lock:
        _rebuild(_version())


def _announcement() -> Path:
    return _index_dir() / "club-latest.json"


def _announce(version: tuple[object, ...], name: str) -> None:
    """Tell the other processes which index holds the club at ``version`` (write, rename)."""
    path = _announcement()
    try:
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    except OSError:
        return  # a read-only data folder: each process builds its own (see _shared_index)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump({"version": list(version), "name": name}, f)
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)


def _newer_announced(held: tuple[object, ...], version: tuple[object, ...]) -> Index | None:
    """The index another process announced, if it is newer than ``held`` and differs from the
    club at ``version`` by connections alone; kept as this process's (under ``_lock``)."""
    try:
        announced = json.loads(_announcement().read_text())
        built = tuple(announced["version"])
        name = str(announced["name"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if built == held or not (built == version or _only_ties_moved(built, version)):
        return None
    index = _load(_index_dir() / f"club-{name}.pickle")
    if index is not None:
        _cache["club"] = (built, index, time.monotonic(), name)
    return index


def _ask_for_index(settle: float, held: Index) -> Index:
    """Ask a queue worker to build the index (once a while, whichever process asks); meanwhile
    the index held is the answer: only connections moved."""
    scope = repr(connection.settings_dict["NAME"]).encode()
    asked = f"serendip:index-asked:{hashlib.blake2b(scope, digest_size=16).hexdigest()}"
    if cache.add(asked, True, timeout=max(settle, 1)):
        from serendip.members.tasks import build_club_index  # the job calls this module

        build_club_index.enqueue()
    return held


def _answers(index: Index) -> dict[tuple[object, ...], object]:
    """The answers already computed from this index (an index never changes once built)."""
    with _lock:
        held = _memo.get("answers")
        if held is None or held[0] is not index:
            held = (index, {})
            _memo["answers"] = held
        return held[1]


def _shared_answer(index: Index, key: tuple[object, ...], compute: Callable[[], object]) -> object:
    """An answer from this index: this process's memo, else another process's, else computed.

    A member's list takes 25 ms to compute at 600 members: on the seminar's day 450 phones
    open "people to meet", each served by any of the server's processes. The answer is
    kept in Django's cache (files every process shares) under the index's name, which
    names its exact content: a new index is a new name, never a stale answer.
    """
    answers = _answers(index)
    if key in answers:
        return answers[key]
    held = _cache.get("club")
    name = held[3] if held is not None and held[1] is index else ""
    scope = repr((connection.settings_dict["NAME"], name, key)).encode()
    shared = f"serendip:answer:{hashlib.blake2b(scope, digest_size=16).hexdigest()}"
    answer = cache.get(shared) if name else None
    if answer is None:
        answer = compute()
        if name:
            cache.set(shared, answer, timeout=settings.SERENDIP_LIVE_CACHE_SECONDS)
    answers[key] = answer
    return answer


def index_version() -> tuple[object, ...]:
    """The club's fingerprint the index was last checked against (caches of briefs key on it)."""
    return _version()


def suggestions_for(member: Member, *, top: int = 10) -> list[Suggestion]:
    """The people the member should meet, best first.

    Raises IncompleteProfile (with what to add) when the profile says too little.
    """
    index = club_index()
    if profile(member.pk) not in index.position:
        raise IncompleteProfile(("topics", "offers", "needs"))
    # The index may not know the member's newest connections yet (see club_index): they are
    # read from the database and left out here, so a pair that just met is never proposed.
    known = {
        other
        for pair in Connection.objects.filter(Q(member_a=member) | Q(member_b=member)).values_list(
            "member_a", "member_b"
        )
        for other in pair
        if other != member.pk
    }
    wanted = top + len(known)
    listed = _shared_answer(
        index,
        ("recommend", member.pk, wanted),
        lambda: recommend(index, profile(member.pk), k=wanted),
    )
    found = [r for r in cast(list[Recommendation], listed) if member_of_profile(r.id) not in known][
        :top
    ]
    ids = {member_of_profile(r.id) for r in found}
    ids |= {member_of_profile(r.introducer) for r in found if r.introducer}
    people = Member.objects.select_related("organisation").in_bulk(ids)
    return [
        Suggestion(
            people[member_of_profile(r.id)],
            r,
            people[member_of_profile(r.introducer)] if r.introducer else None,
        )
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
    column = {profile(o.pk): o.pk for o in others}
    rows = [index.position[c] for c in column if c in index.position]
    found: dict[tuple[int, int], float] = {}
    for member in members:
        row = index.position.get(profile(member.pk))
        if row is None:
            continue
        score = scores(index, row)
        for other_row in rows:
            if score[other_row] > 0:
                other = member_of_profile(index.profiles[other_row].id)
                found[(member.pk, other)] = float(score[other_row])
    return found


def meeting_brief(
    member: Member, other: Member, *, index: Index | None = None
) -> Recommendation | None:
    """Why the member meets the other person and two or three icebreakers; None if either
    profile is not in the club's index (``index``: one already fetched for many briefs)."""
    index = index or club_index()
    answers = _answers(index)
    key = ("brief", member.pk, other.pk)
    if key not in answers:
        try:
            answers[key] = brief(index, profile(member.pk), profile(other.pk))
        except KeyError:
            answers[key] = None
    return cast(Recommendation | None, answers[key])


def meeting_briefs(
    pairs: list[tuple[int, int]], *, index: Index | None = None
) -> dict[tuple[int, int], Recommendation | None]:
    """``meeting_brief`` for many (member id, other id) pairs, computed in one batch."""
    index = index or club_index()
    answers = _answers(index)
    missing = [pair for pair in pairs if ("brief", *pair) not in answers]
    if missing:
        computed = many_briefs(index, [(profile(a), profile(b)) for a, b in missing])
        for a, b in missing:
            answers[("brief", a, b)] = computed.get((profile(a), profile(b)))
    return {pair: cast(Recommendation | None, answers[("brief", *pair)]) for pair in pairs}
