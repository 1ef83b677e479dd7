"""The preference weights, from their one module: their order is the club's rule."""

from __future__ import annotations

import pytest

from serendip.programme import weights
from serendip.programme.models import Wish
from serendip.programme.services import Preference, preferences_of, set_preference
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_a_forced_pair_beats_every_wish_and_a_must_beats_a_would_like() -> None:
    most_affinity = max(1, round(weights.AFFINITY_WEIGHT * 1.0))
    assert 0 < most_affinity < weights.WOULD_LIKE < weights.MUST_MEET < weights.FORCED
    # A forced pair outweighs a member's every "must meet" in a seminar of 150 people.
    assert weights.FORCED > 150 * weights.MUST_MEET


def test_a_preference_is_stored_with_its_weight_and_read_back() -> None:
    event = EventFactory()
    member, first, second = MemberFactory(), MemberFactory(), MemberFactory()
    set_preference(event, member, first, Preference.MUST)
    set_preference(event, member, second, Preference.WOULD)
    stored = dict(Wish.objects.filter(member=member).values_list("wanted", "weight"))
    assert stored == {first.pk: weights.MUST_MEET, second.pk: weights.WOULD_LIKE}
    assert preferences_of(event, member) == {first.pk: Preference.MUST, second.pk: Preference.WOULD}
    assert Wish._meta.get_field("weight").default == weights.WOULD_LIKE
