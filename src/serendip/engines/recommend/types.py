"""Inputs and outputs of the recommender: frozen dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass

Pair = tuple[str, str]


@dataclass(frozen=True)
class Profile:
    """What the recommender may read of a member. ``seniority`` is only there to measure
    fairness of exposure: no score ever reads it (nor a title or a company size)."""

    id: str
    name: str
    language: str = "en"
    keywords: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    organization: str | None = None
    industry: str | None = None
    seniority: str | None = None


@dataclass(frozen=True)
class Community:
    """Everyone, who already knows whom, and whom each member hid for now."""

    profiles: tuple[Profile, ...]
    connections: frozenset[Pair] = frozenset()
    hidden: frozenset[Pair] = frozenset()  # (viewer, hidden person)


@dataclass(frozen=True)
class Recommendation:
    """Someone worth meeting, why, how to open the conversation, and who could introduce."""

    id: str
    score: float
    reason: str
    icebreakers: tuple[str, ...]
    introducer: str | None = None


class IncompleteProfile(ValueError):
    """The member's profile says too little to recommend anyone; ``missing`` says what to add."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__("complete your profile to get recommendations: add " + ", ".join(missing))
