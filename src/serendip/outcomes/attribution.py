"""Who gets the credit for an outcome: the chain of encounters and the credit rules.

Pure (no Django): the chain is a list of touches, each an encounter between the parties
before the outcome's date. A touch credits what made it happen:

- a one-to-one meeting or a shared meal table credits its event (the seminar that started it);
- an introduction credits its introducer (the network feeding itself);
- an ask answered or a recorded interaction credits the club itself (event and introducer None).

The rules (selectable in the reports):

- ``first``: the whole credit goes to the first touch (who started it);
- ``last``: the whole credit goes to the last touch before the outcome (who closed it);
- ``linear``: every touch gets an equal share (1/n), and shares of the same target add up.

A touch with both an event and an introducer splits its part half and half. An outcome with
no touch at all is the club's (share 1.0). For one outcome and one rule the shares sum to 1.
Touches at the same moment are ordered by kind (meeting, meal, introduction, ask,
interaction) then label, so the result never depends on the order the database returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

TouchKind = Literal["meeting", "meal", "introduction", "ask", "interaction"]
Rule = Literal["first", "last", "linear"]
RULES: tuple[Rule, ...] = ("first", "last", "linear")
KIND_ORDER: dict[str, int] = {
    "meeting": 0,
    "meal": 1,
    "introduction": 2,
    "ask": 3,
    "interaction": 4,
}


@dataclass(frozen=True)
class Touch:
    """One encounter between the parties: what, when, and what it credits."""

    kind: TouchKind
    when: dt.datetime
    event_id: int | None = None
    introducer_id: int | None = None
    label: str = ""


@dataclass(frozen=True)
class Credit:
    """A share of one outcome's credit: to an event, to an introducer, or (both None) the club."""

    event_id: int | None
    introducer_id: int | None
    share: float

    @property
    def is_club(self) -> bool:
        """Whether this is the club's own share."""
        return self.event_id is None and self.introducer_id is None


Target = tuple[int | None, int | None]


def in_order(touches: Sequence[Touch]) -> list[Touch]:
    """The touches in time order, ties broken by kind then label (a stable chain)."""
    return sorted(touches, key=lambda t: (t.when, KIND_ORDER.get(t.kind, 9), t.label))


def _targets(touch: Touch) -> list[Target]:
    targets: list[Target] = []
    if touch.event_id is not None:
        targets.append((touch.event_id, None))
    if touch.introducer_id is not None:
        targets.append((None, touch.introducer_id))
    return targets or [(None, None)]


def credit(touches: Sequence[Touch], rule: Rule) -> list[Credit]:
    """The outcome's credit under the rule, one line per target, largest share first."""
    if rule not in RULES:
        raise ValueError(f"unknown credit rule {rule!r}")
    chain = in_order(touches)
    if not chain:
        return [Credit(None, None, 1.0)]
    if rule == "first":
        counted = chain[:1]
    elif rule == "last":
        counted = chain[-1:]
    else:
        counted = chain
    shares: dict[Target, float] = {}
    for touch in counted:
        targets = _targets(touch)
        part = 1.0 / len(counted) / len(targets)
        for target in targets:
            shares[target] = shares.get(target, 0.0) + part
    # Sorted by share, then a fixed order of targets (club last), for stable output.
    ordered = sorted(
        shares.items(),
        key=lambda item: (-item[1], item[0][0] is None, item[0][0] or 0, item[0][1] or 0),
    )
    return [Credit(event, introducer, share) for (event, introducer), share in ordered]
