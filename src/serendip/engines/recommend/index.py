"""The recommender's index: every profile's needs, offers and topics as vectors, built once.

Queries read it and never change it, so one index serves every request until a
profile or a connection changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from serendip.engines.recommend.text import joined, vectorizer
from serendip.engines.recommend.types import Community, Profile


@dataclass(frozen=True)
class Index:
    """Vectors and relations of a community, by row (one row per profile)."""

    profiles: tuple[Profile, ...]
    position: dict[str, int]
    vectorizer: TfidfVectorizer
    needs: sparse.csr_matrix
    offers: sparse.csr_matrix
    topics: sparse.csr_matrix
    neighbours: tuple[frozenset[int], ...]
    hidden: dict[int, frozenset[int]]
    organization: np.ndarray  # organisation code per row, -1 for none
    industry: np.ndarray  # industry code per row, -1 for none
    level: np.ndarray  # seniority code per row, for fairness only
    levels: tuple[str, ...]  # the seniority labels, "" for unknown
    level_share: np.ndarray  # each level's share of members


def _codes(values: list[str | None]) -> tuple[np.ndarray, list[str]]:
    labels = sorted({v for v in values if v})
    code = {label: i for i, label in enumerate(labels)}
    return np.array([code.get(v, -1) if v else -1 for v in values], dtype=np.int64), labels


def build_index(community: Community) -> Index:
    """The index of a community: fit one n-gram vocabulary on every text, then vectorise."""
    profiles = community.profiles
    position = {p.id: i for i, p in enumerate(profiles)}
    needs = [joined(p.needs) for p in profiles]
    offers = [joined(p.offers) for p in profiles]
    topics = [joined(p.keywords) for p in profiles]
    model = vectorizer()
    corpus = [t for t in needs + offers + topics if t.strip()] or ["empty"]
    model.fit(corpus)
    neighbours: list[set[int]] = [set() for _ in profiles]
    for a, b in community.connections:
        if a in position and b in position:
            neighbours[position[a]].add(position[b])
            neighbours[position[b]].add(position[a])
    hidden: dict[int, set[int]] = {}
    for viewer, person in community.hidden:
        if viewer in position and person in position:
            hidden.setdefault(position[viewer], set()).add(position[person])
    organization, _ = _codes([p.organization for p in profiles])
    industry, _ = _codes([p.industry for p in profiles])
    seniority = [p.seniority or "" for p in profiles]
    levels = tuple(sorted(set(seniority)))
    level = np.array([levels.index(s) for s in seniority], dtype=np.int64)
    share = np.bincount(level, minlength=len(levels)) / max(1, len(profiles))
    return Index(
        profiles=profiles,
        position=position,
        vectorizer=model,
        needs=model.transform(needs).tocsr(),
        offers=model.transform(offers).tocsr(),
        topics=model.transform(topics).tocsr(),
        neighbours=tuple(frozenset(n) for n in neighbours),
        hidden={k: frozenset(v) for k, v in hidden.items()},
        organization=organization,
        industry=industry,
        level=level,
        levels=levels,
        level_share=share,
    )
