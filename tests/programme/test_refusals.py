"""The planner's refusals in the organiser's words, read from the engine's fields."""

from __future__ import annotations

import pytest

from serendip.engine_ids import person
from serendip.engines.meetings import ProblemError
from serendip.programme.refusals import refusal_in_words
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_promise_beyond_the_rounds_names_the_member_and_the_figures() -> None:
    member = MemberFactory(first_name="Łucja", last_name="Dvořák")
    error = ProblemError(
        f"people[4] ({person(member.pk)}).min_meetings",
        "6 is more than max_meetings 4",
        person=person(member.pk),
        numbers=(6, 4),
    )
    words = refusal_in_words(error)
    assert str(member) in words and "6 meetings" in words and "at most 4" in words


def test_a_hand_placed_meeting_that_no_longer_fits_names_the_member() -> None:
    member = MemberFactory()
    error = ProblemError("fixed[0]", "'m1' is unavailable in round 'r2'", person=person(member.pk))
    assert str(member) in refusal_in_words(error)


def test_the_sentence_is_never_read_for_names() -> None:
    member = MemberFactory()
    # The English names the member, the fields do not: nobody is named rather than a guess.
    error = ProblemError("wishes[0]", f"{person(member.pk)!r} cannot wish to meet themselves")
    assert str(member) not in refusal_in_words(error)
    assert "refused the set-up" in refusal_in_words(error)


def test_a_problem_written_by_hand_names_nobody() -> None:
    error = ProblemError("people[0] (b9).min_meetings", "3 is more than 2", person="b9")
    assert refusal_in_words(error) == (
        "The planner refused the set-up; check the tables, rounds and packages."
    )
