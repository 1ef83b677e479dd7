"""Tie strength, keep-in-touch dates and reconnect suggestions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from serendip.engines.network.ties import Interaction, next_due, peak, reconnect, strength

NOW = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def test_a_tie_halves_every_half_life():
    fresh = strength([Interaction("green", NOW)], now=NOW, half_life_days=90)
    old = strength([Interaction("green", ago(90))], now=NOW, half_life_days=90)
    assert fresh == pytest.approx(2.0)
    assert old == pytest.approx(1.0)


@given(st.lists(st.tuples(st.sampled_from(["meeting", "green", "help"]), st.floats(0, 1000))))
def test_strength_never_exceeds_peak_and_grows_with_each_interaction(raw):
    interactions = [Interaction(kind, ago(days)) for kind, days in raw]
    now_strength = strength(interactions, now=NOW, half_life_days=120)
    assert 0 <= now_strength <= peak(interactions) + 1e-9
    more = strength([*interactions, Interaction("meeting", NOW)], now=NOW, half_life_days=120)
    assert more > now_strength


def test_bad_kind_or_half_life_is_refused():
    with pytest.raises(ValueError, match="unknown interaction kind"):
        strength([Interaction("gossip", NOW)], now=NOW, half_life_days=90)
    with pytest.raises(ValueError, match="half-life"):
        strength([], now=NOW, half_life_days=0)


def test_next_due_follows_the_cadence_and_is_never_in_the_past():
    today = NOW.date()
    assert next_due(None, 30, today=today) == today
    assert next_due(today - dt.timedelta(days=10), 30, today=today) == today + dt.timedelta(20)
    assert next_due(today - dt.timedelta(days=100), 30, today=today) == today
    with pytest.raises(ValueError):
        next_due(today, 0, today=today)


def test_reconnect_lists_valuable_ties_gone_cold_most_valuable_first():
    ties = {
        "warm": [Interaction("green", ago(5))],
        "cold": [Interaction("green", ago(400))],
        "colder-but-richer": [Interaction("help", ago(500)), Interaction("green", ago(500))],
        "never-much": [Interaction("meeting", ago(400))],
    }
    assert reconnect(ties, now=NOW, half_life_days=90) == ["colder-but-richer", "cold"]
