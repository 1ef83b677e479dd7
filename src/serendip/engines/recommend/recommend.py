"""Who a member should meet: reciprocal, stranger-first, title-blind, fair and diverse.

A pair's score is the harmonic mean of what each side gains — what one needs
against what the other offers, plus the topics they share — so that a pair
where only one side benefits ranks low. Connections, colleagues and people the
member hid are never proposed; friends of friends are, with who could introduce.
Each list keeps every seniority level, every industry and every quartile of
connection count in proportion to its share of members (on average over all
lists), so that nobody is proposed more or less for their title, their industry
or their address book, and no list fills up with one industry.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from serendip.engines.recommend.index import Index, row_of
from serendip.engines.recommend.text import normalise
from serendip.engines.recommend.types import IncompleteProfile, Profile, Recommendation
from serendip.engines.recommend.wording import ICEBREAKERS, INTRODUCED, REASONS, say

SHARED_WEIGHT = 0.5  # topics in common count half as much as a need met
DIVERSITY = 0.2  # how much a repeated industry costs in the list, against the best score
POOL = 50  # candidates considered for re-ranking, at least
REASON_FLOOR = 0.15  # the similarity from which a need met is given as the reason


def scores(index: Index, row: int) -> np.ndarray:
    """Every member's score with the member at ``row``: 0 to 1.5, -inf for the excluded."""
    # Sparse matrix times a dense vector: one pass over the matrix, no sparse result to build.
    # Negative similarities (possible with embeddings) mean "unrelated", not "harmful".
    they_give = np.maximum(index.offers @ row_of(index.needs, row), 0)
    they_get = np.maximum(index.needs @ row_of(index.offers, row), 0)
    shared = np.maximum(index.topics @ row_of(index.topics, row), 0)
    mine = they_give + SHARED_WEIGHT * shared
    theirs = they_get + SHARED_WEIGHT * shared
    total = mine + theirs
    score: np.ndarray = np.divide(
        2 * mine * theirs, total, out=np.zeros_like(total), where=total > 0
    )
    score[row] = -np.inf
    score[list(index.neighbours[row])] = -np.inf
    score[list(index.hidden.get(row, ()))] = -np.inf
    if index.organization[row] >= 0:
        score[index.organization == index.organization[row]] = -np.inf
    return score


# One irrational step per grouping: each member's rounding offset is spread evenly over
# [0, 1) across members, and the three groupings' offsets do not move together.
STEPS = (0.6180339887, 0.4142135624, 0.7320508076)


def _quotas(share: np.ndarray, k: int, offset: float) -> np.ndarray:
    """How many places each group gets in a list of k.

    Systematic rounding with an offset that differs from member to member: each
    group gets its share of k on average over all lists, not just within one, so a
    group smaller than one place in k still gets its exact share of appearances.
    """
    edges = np.floor(np.concatenate([[0.0], np.cumsum(share)]) * k + offset)
    quota: np.ndarray = np.diff(edges).astype(np.int64)
    return quota


def _pool(score: np.ndarray, positive: np.ndarray, size: int) -> np.ndarray:
    """The ``size`` best candidates, best first (ties by row, so lists are reproducible)."""
    pool = positive[np.argpartition(-score[positive], size - 1)[:size]]
    ordered: np.ndarray = pool[np.lexsort((pool, -score[pool]))]
    return ordered


def select(index: Index, row: int, score: np.ndarray, k: int) -> list[int]:
    """The k rows to propose: the best match first, then the best that keep every group
    (seniority, industry, connection quartile) within its quota, industries varied."""
    positive = np.flatnonzero(score > 0)
    if not len(positive):
        return []
    k = min(k, len(positive))
    size = min(len(positive), max(POOL, 5 * k))
    pool = _pool(score, positive, size)
    top = score[pool[0]]
    groups = index.fairness
    quotas = [
        _quotas(g.share, k, (row * step) % 1.0) for g, step in zip(groups, STEPS, strict=False)
    ]
    chosen: list[int] = []
    industries: set[int] = set()

    def take(candidate: int) -> None:
        chosen.append(candidate)
        industries.add(int(index.industry[candidate]))
        for g, quota in zip(groups, quotas, strict=True):
            quota[g.code[candidate]] -= 1

    # The best match is always proposed: quotas must never cost a member their one
    # obvious match (its groups' quotas are charged like any other pick).
    take(int(pool[0]))
    while len(chosen) < k:
        free = ~np.isin(pool, chosen)
        fits = sum(
            (quota[g.code[pool]] > 0).astype(np.int64)
            for g, quota in zip(groups, quotas, strict=True)
        )
        if not (free & (fits == len(groups))).any() and len(pool) < len(positive):
            # Nobody in the pool fits every open quota: look further down the ranking.
            pool = _pool(score, positive, min(len(positive), 8 * len(pool)))
            continue
        repeated = np.isin(index.industry[pool], list(industries))
        # Fitting more quotas comes first, then the score, less a repeated industry.
        value = fits * 10.0 + score[pool] / top - DIVERSITY * repeated
        value[~free] = -np.inf
        take(int(pool[int(np.argmax(value))]))
    return sorted(chosen, key=lambda c: -score[c])


class _Items:
    """Item-level vectors of the profiles a list talks about, made in one batch."""

    # Up to this many items, every pair's similarity is computed in one product up front:
    # one sparse product instead of three slices and products per person listed (a list of
    # ten people has about a hundred items; a programme's thousands of pairs, thousands).
    GRAM_UP_TO = 1000

    def __init__(self, index: Index, profiles: list[Profile]) -> None:
        texts: list[str] = []
        self.rows: dict[tuple[str, str], slice] = {}
        for profile in profiles:
            for field in ("needs", "offers", "keywords"):
                items = getattr(profile, field)
                self.rows[(profile.id, field)] = slice(len(texts), len(texts) + len(items))
                texts += [normalise(x) for x in items]
        self.vectors = index.vectorizer.transform(texts or [""])
        self.gram: np.ndarray | None = None
        if len(texts) <= self.GRAM_UP_TO:
            product = self.vectors @ self.vectors.T
            self.gram = product if isinstance(product, np.ndarray) else product.toarray()

    def best(self, me: Profile, mine: str, other: Profile, theirs: str) -> tuple[float, str, str]:
        """The closest (similarity, my item, their item) between two lists of items."""
        ours, their_items = getattr(me, mine), getattr(other, theirs)
        if not ours or not their_items:
            return 0.0, "", ""
        left, right = self.rows[(me.id, mine)], self.rows[(other.id, theirs)]
        if self.gram is not None:
            similarity = self.gram[left, right]
        else:
            product = self.vectors[left] @ self.vectors[right].T
            similarity = product if isinstance(product, np.ndarray) else product.toarray()
        i, j = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
        return float(similarity[i, j]), ours[i], their_items[j]


def explain(items: _Items, me: Profile, other: Profile) -> str:
    """One line saying why, in the viewer's language."""
    they_offer = items.best(me, "needs", other, "offers")
    you_offer = items.best(other, "needs", me, "offers")
    shared = items.best(me, "keywords", other, "keywords")
    # A need met says more than a topic in common: it wins whenever it is a real match.
    strongest = max(they_offer[0], you_offer[0])
    if strongest < REASON_FLOOR:
        strongest = max(strongest, SHARED_WEIGHT * shared[0])
    language = me.language
    if strongest == they_offer[0] and they_offer[0] > 0:
        _, need, offer = they_offer
        return say(REASONS, "they_offer", language, name=other.name, offer=offer, need=need)
    if strongest == you_offer[0] and you_offer[0] > 0:
        _, need, offer = you_offer
        return say(REASONS, "you_offer", language, name=other.name, need=need, offer=offer)
    topic = shared[2] or (other.keywords[0] if other.keywords else "")
    return say(REASONS, "shared", language, topic=topic)


def icebreakers(me: Profile, other: Profile) -> tuple[str, ...]:
    """Two or three opening questions from the other person's needs and topics."""
    questions = []
    if other.needs:
        questions.append(say(ICEBREAKERS, "need", me.language, need=other.needs[0]))
    if other.keywords:
        questions.append(say(ICEBREAKERS, "topic_start", me.language, topic=other.keywords[0]))
        topic = other.keywords[1] if len(other.keywords) > 1 else other.keywords[0]
        questions.append(say(ICEBREAKERS, "topic_hard", me.language, topic=topic))
    return tuple(questions[:3])


def missing(profile: Profile) -> tuple[str, ...]:
    """What a profile lacks for recommendations: topics, offers or needs."""
    gaps = [
        name
        for name, items in (
            ("topics", profile.keywords),
            ("offers", profile.offers),
            ("needs", profile.needs),
        )
        if not items
    ]
    # One of offers or needs may be empty; with neither, nobody can be matched.
    return (
        tuple(gaps)
        if not (profile.offers or profile.needs) or (not profile.keywords and len(gaps) >= 2)
        else ()
    )


def recommend(index: Index, member: str, *, k: int = 10) -> list[Recommendation]:
    """The k people ``member`` should meet, best first; raises IncompleteProfile if the
    profile says too little and KeyError for an unknown member."""
    row = index.position[member]
    me = index.profiles[row]
    gaps = missing(me)
    if gaps:
        raise IncompleteProfile(gaps)
    score = scores(index, row)
    chosen = select(index, row, score, k)
    items = _Items(index, [me] + [index.profiles[c] for c in chosen])
    result = []
    for c in chosen:
        other = index.profiles[c]
        common = index.neighbours[row] & index.neighbours[c]
        introducer = min(common, key=lambda r: index.profiles[r].name) if common else None
        reason = explain(items, me, other)
        if introducer is not None:
            name = index.profiles[introducer].name
            reason += " " + say({"x": INTRODUCED}, "x", me.language, name=name)
        result.append(
            Recommendation(
                id=other.id,
                score=round(float(score[c]), 4),
                reason=reason,
                icebreakers=icebreakers(me, other),
                introducer=index.profiles[introducer].id if introducer is not None else None,
            )
        )
    return result


def brief(index: Index, member: str, other: str) -> Recommendation:
    """Why ``member`` meets ``other`` and how to start, whoever chose the pair (e.g. a planner).

    Raises KeyError for an unknown member.
    """
    row, other_row = index.position[member], index.position[other]
    me, them = index.profiles[row], index.profiles[other_row]
    items = _Items(index, [me, them])
    return Recommendation(
        id=them.id,
        score=round(max(0.0, float(scores(index, row)[other_row])), 4),
        reason=explain(items, me, them),
        icebreakers=icebreakers(me, them),
    )


def briefs(index: Index, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Recommendation]:
    """``brief`` for many (member, other) pairs at once, the same answers; unknown ones left out.

    Every profile's items are vectorised in one batch and each member's scores computed once:
    a programme's thousands of pairs cost a fraction of one ``brief`` call each.
    """
    known = [(a, b) for a, b in pairs if a in index.position and b in index.position]
    people = sorted({p for pair in known for p in pair})
    items = _Items(index, [index.profiles[index.position[p]] for p in people])
    by_member: dict[str, np.ndarray] = {}
    found: dict[tuple[str, str], Recommendation] = {}
    for member, other in known:
        row, other_row = index.position[member], index.position[other]
        if member not in by_member:
            by_member[member] = scores(index, row)
        me, them = index.profiles[row], index.profiles[other_row]
        found[(member, other)] = Recommendation(
            id=them.id,
            score=round(max(0.0, float(by_member[member][other_row])), 4),
            reason=explain(items, me, them),
            icebreakers=icebreakers(me, them),
        )
    return found


def exposure(index: Index, lists: dict[str, list[str]], by: str = "seniority") -> dict[str, float]:
    """Each group's share of all recommendations ÷ its share of members.

    ``by`` is "seniority" (the default), "industry" or "connections" (quartiles of
    connection count, "q1" the smallest address books); "unknown" for no value.
    """
    group = index.grouping(by)
    counts = np.bincount(
        [group.code[index.position[p]] for people in lists.values() for p in people],
        minlength=len(group.labels),
    ).astype(np.float64)
    total = counts.sum()
    return {
        (label or "unknown"): round(float(counts[g] / total / group.share[g]), 3)
        if total and group.share[g]
        else 0.0
        for g, label in enumerate(group.labels)
    }
