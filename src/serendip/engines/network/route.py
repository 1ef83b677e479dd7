"""Routing an ask to the people who can help: direct connections first, then friends of
friends through the connection who trusts them most."""

from __future__ import annotations

from dataclasses import dataclass

from serendip.engines.recommend.text import normalise, vectorizer

# Below this similarity an offer does not answer the ask.
MATCH_FLOOR = 0.12


@dataclass(frozen=True)
class Person:
    """Someone who might help: what they offer, whom they know and how well."""

    id: str
    offers: tuple[str, ...]
    ties: dict[str, float]  # connection id -> tie strength


@dataclass(frozen=True)
class Helper:
    """A suggested helper: the offer that matches, and who can introduce them if needed."""

    id: str
    offer: str
    similarity: float
    introducer: str | None  # None: a direct connection


def similarity(ask: str, texts: list[str]) -> list[float]:
    """How well each text answers the ask, 0 to 1, across French and English; a text
    below MATCH_FLOOR does not answer it."""
    if not texts or not normalise(ask):
        return [0.0] * len(texts)
    space = vectorizer()
    matrix = space.fit_transform([normalise(ask)] + [normalise(t) for t in texts])
    return [float(x) for x in (matrix[1:] @ matrix[0].T).toarray().ravel()]


def route(ask: str, asker: Person, people: list[Person], *, top: int = 5) -> list[Helper]:
    """Who can help with the ask, best first: direct connections whose offers match, then
    second-degree people whose offers match, each through the shared connection with the
    strongest tie to both. The asker and their own colleagues' ids are the caller's to
    leave out of ``people``."""
    by_id = {p.id: p for p in people}
    direct = set(asker.ties)
    second: dict[str, tuple[float, str]] = {}
    for friend in direct:
        if friend not in by_id:
            continue
        for other, tie in by_id[friend].ties.items():
            if other == asker.id or other in direct:
                continue
            trust = min(asker.ties[friend], tie)  # a path is as strong as its weakest tie
            if other not in second or trust > second[other][0]:
                second[other] = (trust, friend)
    reachable = [p for p in people if p.id in direct or p.id in second]
    items = [(p.id, offer) for p in reachable for offer in p.offers if offer.strip()]
    best: dict[str, tuple[float, str]] = {}
    for (pid, offer), score in zip(items, similarity(ask, [o for _p, o in items]), strict=True):
        if score >= MATCH_FLOOR and (pid not in best or score > best[pid][0]):
            best[pid] = (float(score), offer)
    ranked = sorted(best.items(), key=lambda kv: (kv[0] not in direct, -kv[1][0], kv[0]))
    return [
        Helper(
            id=pid,
            offer=offer,
            similarity=round(score, 4),
            introducer=None if pid in direct else second[pid][1],
        )
        for pid, (score, offer) in ranked[:top]
    ]
