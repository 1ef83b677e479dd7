"""What each preference weighs in the meetings engine's problem: the one place that says so.

The planner maximises the sum of the weights of the meetings it places, so the figures only
matter relative to each other: a forced pair beats any sum of ordinary wishes, "must meet"
beats "would like", and a pair nobody marked (weighted by the recommender's affinity) comes
below both.
"""

from __future__ import annotations

# A member's "must meet" and "would like to meet" (``Wish.weight``).
MUST_MEET = 5
WOULD_LIKE = 3
# An organiser's "must meet" pair rule outweighs any sum of ordinary wishes.
FORCED = 1000
# Pairs nobody marked: an affinity of at least AFFINITY_FLOOR gives them
# max(1, round(AFFINITY_WEIGHT * affinity)), 1 or 2, below WOULD_LIKE.
AFFINITY_FLOOR = 0.2
AFFINITY_WEIGHT = 2
