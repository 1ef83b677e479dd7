"""The recommender's index: every profile's needs, offers and topics as vectors, built once.

Queries read it and never change it, so one index serves every request until a
profile or a connection changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

import numpy as np
from scipy import sparse

from serendip.engines.recommend.text import joined, vectorizer
from serendip.engines.recommend.types import Community, Profile


class TextSpace(Protocol):
    """Where texts become comparable vectors: TF-IDF n-grams (default) or embeddings."""

    def fit(self, corpus: Sequence[str]) -> Any: ...

    def transform(self, texts: Sequence[str]) -> Any: ...


Vectors: TypeAlias = sparse.csr_matrix | np.ndarray  # one row per profile, unit length or zero


def row_of(vectors: Vectors, row: int) -> np.ndarray:
    """One row as a dense vector, whichever space made the matrix."""
    dense: np.ndarray = (
        vectors[row] if isinstance(vectors, np.ndarray) else np.asarray(vectors[row].toarray())
    )
    return dense.ravel()


@dataclass(frozen=True)
class Index:
    """Vectors and relations of a community, by row (one row per profile)."""

    profiles: tuple[Profile, ...]
    position: dict[str, int]
    vectorizer: TextSpace
    needs: Vectors
    offers: Vectors
    topics: Vectors
    neighbours: tuple[frozenset[int], ...]
    hidden: dict[int, frozenset[int]]
    organization: np.ndarray  # organisation code per row, -1 for none
    industry: np.ndarray  # industry code per row, -1 for none
    # Seniority, industry and connection-count quartile: each group's exposure must match
    # its share of members. Read for fairness and variety only, never as a score.
    fairness: tuple[Grouping, ...]

    def grouping(self, name: str) -> Grouping:
        """The grouping called ``name``: seniority, industry or connections."""
        return next(g for g in self.fairness if g.name == name)


@dataclass(frozen=True)
class Grouping:
    """Members split into groups whose exposure is measured and kept to their share."""

    name: str
    code: np.ndarray  # the group of each row, 0 to len(labels) - 1
    labels: tuple[str, ...]
    share: np.ndarray  # each group's share of members


def group_by(name: str, values: Sequence[str]) -> Grouping:
    """Group rows by a label ("" for unknown)."""
    labels = tuple(sorted(set(values)))
    position = {label: i for i, label in enumerate(labels)}
    code = np.array([position[v] for v in values], dtype=np.int64)
    share = np.bincount(code, minlength=len(labels)) / max(1, len(values))
    return Grouping(name=name, code=code, labels=labels, share=share)


def quartiles(degrees: Sequence[int]) -> list[str]:
    """Each row's quartile of connection count, "q1" the smallest address books.

    By rank, ties broken by row, so that the four groups are equal in size whatever
    the ties: members with the same count are interchangeable for fairness.
    """
    order = np.argsort(np.asarray(degrees, dtype=np.int64), kind="stable")
    quartile = np.empty(len(order), dtype=np.int64)
    quartile[order] = np.arange(len(order)) * 4 // max(1, len(order))
    return [f"q{q + 1}" for q in quartile]


def _codes(values: list[str | None]) -> tuple[np.ndarray, list[str]]:
    labels = sorted({v for v in values if v})
    code = {label: i for i, label in enumerate(labels)}
    return np.array([code.get(v, -1) if v else -1 for v in values], dtype=np.int64), labels


def _matrix(space: TextSpace, texts: list[str]) -> Vectors:
    found = space.transform(texts)
    return found if isinstance(found, np.ndarray) else sparse.csr_matrix(found)


def build_index(community: Community, space: TextSpace | None = None) -> Index:
    """The index of a community: fit the text space on every text, then vectorise.

    ``space`` defaults to the character n-gram TF-IDF space; ``EmbeddingSpace`` (the
    ``embeddings`` extra) is the optional alternative.
    """
    profiles = community.profiles
    position = {p.id: i for i, p in enumerate(profiles)}
    needs = [joined(p.needs) for p in profiles]
    offers = [joined(p.offers) for p in profiles]
    topics = [joined(p.keywords) for p in profiles]
    model = space if space is not None else vectorizer()
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
    fairness = (
        group_by("seniority", [p.seniority or "" for p in profiles]),
        group_by("industry", [p.industry or "" for p in profiles]),
        group_by("connections", quartiles([len(n) for n in neighbours])),
    )
    return Index(
        profiles=profiles,
        position=position,
        vectorizer=model,
        needs=_matrix(model, needs),
        offers=_matrix(model, offers),
        topics=_matrix(model, topics),
        neighbours=tuple(frozenset(n) for n in neighbours),
        hidden={k: frozenset(v) for k, v in hidden.items()},
        organization=organization,
        industry=industry,
        fairness=fairness,
    )
