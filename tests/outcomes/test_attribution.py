"""The credit rules on hand-built chains: first, last and linear, with introductions and events."""

from __future__ import annotations

import datetime as dt

import pytest

from serendip.outcomes.attribution import Credit, Touch, credit, in_order

SPRING, AUTUMN = 1, 2  # two seminars
CAMILLE, HUGO = 10, 11  # two introducers


def at(month: int, day: int = 1, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=dt.UTC)


def meeting(when: dt.datetime, event: int) -> Touch:
    return Touch("meeting", when, event_id=event, label=f"meeting {event}")


def meal(when: dt.datetime, event: int) -> Touch:
    return Touch("meal", when, event_id=event, label=f"meal {event}")


def introduction(when: dt.datetime, introducer: int) -> Touch:
    return Touch("introduction", when, introducer_id=introducer, label=f"by {introducer}")


def as_dict(credits: list[Credit]) -> dict[tuple[int | None, int | None], float]:
    return {(c.event_id, c.introducer_id): c.share for c in credits}


# A chain of four, given out of order: met at the spring seminar, introduced again by Camille,
# sat together at the autumn seminar's dinner, then helped each other (an interaction).
CHAIN = [
    Touch("interaction", at(11, 2), label="help"),
    introduction(at(6, 15), CAMILLE),
    meeting(at(3, 10), SPRING),
    meal(at(10, 5, 20), AUTUMN),
]


def test_first_touch_credits_the_seminar_that_started_it() -> None:
    assert credit(CHAIN, "first") == [Credit(SPRING, None, 1.0)]


def test_last_touch_credits_what_closed_it_here_the_club() -> None:
    assert credit(CHAIN, "last") == [Credit(None, None, 1.0)]
    assert credit(CHAIN, "last")[0].is_club


def test_linear_shares_a_quarter_each() -> None:
    assert as_dict(credit(CHAIN, "linear")) == {
        (SPRING, None): 0.25,
        (None, CAMILLE): 0.25,
        (AUTUMN, None): 0.25,
        (None, None): 0.25,
    }


def test_linear_adds_up_the_touches_of_the_same_event_and_introducer() -> None:
    chain = [
        meeting(at(3, 10), SPRING),
        meal(at(3, 10, 20), SPRING),
        introduction(at(4, 1), CAMILLE),
        meeting(at(9, 20), AUTUMN),
        introduction(at(10, 1), CAMILLE),
    ]
    shares = as_dict(credit(chain, "linear"))
    assert shares == pytest.approx({(SPRING, None): 0.4, (None, CAMILLE): 0.4, (AUTUMN, None): 0.2})
    # Largest first, and a stable order among equals (events by id before introducers).
    assert [(c.event_id, c.introducer_id) for c in credit(chain, "linear")] == [
        (SPRING, None),
        (None, CAMILLE),
        (AUTUMN, None),
    ]


def test_introduction_first_then_two_seminars() -> None:
    chain = [introduction(at(2, 1), HUGO), meeting(at(3, 10), SPRING), meeting(at(9, 20), AUTUMN)]
    assert credit(chain, "first") == [Credit(None, HUGO, 1.0)]
    assert credit(chain, "last") == [Credit(AUTUMN, None, 1.0)]
    linear = as_dict(credit(chain, "linear"))
    assert linear == pytest.approx(
        {(None, HUGO): 1 / 3, (SPRING, None): 1 / 3, (AUTUMN, None): 1 / 3}
    )


def test_no_encounter_at_all_is_the_clubs() -> None:
    for rule in ("first", "last", "linear"):
        assert credit([], rule) == [Credit(None, None, 1.0)]  # type: ignore[arg-type]


def test_shares_always_sum_to_one() -> None:
    chain = [*CHAIN, introduction(at(1, 5), HUGO), meal(at(3, 10, 20), SPRING)]
    for rule in ("first", "last", "linear"):
        assert sum(c.share for c in credit(chain, rule)) == pytest.approx(1.0)  # type: ignore[arg-type]


def test_a_touch_with_an_event_and_an_introducer_splits_half_and_half() -> None:
    both = Touch("introduction", at(3, 10), event_id=SPRING, introducer_id=CAMILLE)
    assert as_dict(credit([both], "first")) == {(SPRING, None): 0.5, (None, CAMILLE): 0.5}


def test_touches_at_the_same_moment_are_ordered_by_kind_not_by_input() -> None:
    same = at(3, 10)
    a = [introduction(same, CAMILLE), meeting(same, SPRING)]
    assert in_order(a)[0].kind == "meeting"
    assert credit(a, "first") == credit(list(reversed(a)), "first") == [Credit(SPRING, None, 1.0)]
    assert credit(a, "last") == [Credit(None, CAMILLE, 1.0)]


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown credit rule"):
        credit(CHAIN, "middle")  # type: ignore[arg-type]
