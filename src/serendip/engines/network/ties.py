"""Tie strength that grows with interactions and fades with time, and keep-in-touch dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# What one interaction adds to a tie, before it fades.
WEIGHTS = {
    "meeting": 1.0,  # a one-to-one at an event, or a coffee
    "green": 2.0,  # both rated their meeting green
    "introduction": 1.5,  # one introduced the other, or was introduced to them
    "help": 3.0,  # one helped the other (recorded in the receiver's ledger)
    "note": 0.5,  # a keep-in-touch follow-up done
}


@dataclass(frozen=True)
class Interaction:
    """Something two people did together, of a kind in WEIGHTS, at a moment."""

    kind: str
    at: dt.datetime


def strength(
    interactions: Iterable[Interaction], *, now: dt.datetime, half_life_days: float
) -> float:
    """The tie's strength now: each interaction's weight halved every ``half_life_days``.

    Raises ValueError for an unknown kind or a non-positive half-life.
    """
    if half_life_days <= 0:
        raise ValueError("the half-life must be positive")
    total = 0.0
    for interaction in interactions:
        if interaction.kind not in WEIGHTS:
            raise ValueError(f"unknown interaction kind {interaction.kind!r}")
        age = max(0.0, (now - interaction.at).total_seconds() / 86400)
        total += WEIGHTS[interaction.kind] * 0.5 ** (age / half_life_days)
    return total


def peak(interactions: Iterable[Interaction]) -> float:
    """What the tie would weigh if nothing faded: how valuable it has been."""
    return sum(WEIGHTS[i.kind] for i in interactions)


def next_due(last_contact: dt.date | None, every_days: int, *, today: dt.date) -> dt.date:
    """When to get in touch next under a cadence of ``every_days``: never before today."""
    if every_days < 1:
        raise ValueError("a cadence is at least one day")
    if last_contact is None:
        return today
    return max(today, last_contact + dt.timedelta(days=every_days))


def reconnect(
    ties: dict[str, list[Interaction]],
    *,
    now: dt.datetime,
    half_life_days: float,
    top: int = 5,
    cold_share: float = 0.35,
) -> list[str]:
    """The valuable ties going cold, most valuable first: people whose tie has faded below
    ``cold_share`` of what it has been worth (and was worth at least one green meeting)."""
    cooling = []
    for person, interactions in ties.items():
        worth = peak(interactions)
        if worth < WEIGHTS["green"]:
            continue
        now_strength = strength(interactions, now=now, half_life_days=half_life_days)
        if now_strength < cold_share * worth:
            cooling.append((-worth, now_strength, person))
    return [person for _worth, _now, person in sorted(cooling)[:top]]
