"""The repair that lifts people below their minimum by displacing a meeting nobody needs."""

from __future__ import annotations

from serendip.engines.meetings.fill import eject_for_minimums
from serendip.engines.meetings.formats import parse_problem
from serendip.engines.meetings.timetable import Timetable


def full_round() -> Timetable:
    """One round, one table, taken by b2 (no minimum) while b1 needs one meeting."""
    problem = parse_problem(
        {
            "rounds": [{"id": "r1"}],
            "tables": 1,
            "people": [
                {"id": "b1", "side": "boss", "min_meetings": 1},
                {"id": "b2", "side": "boss"},
                {"id": "s1", "side": "sponsor"},
            ],
            "wishes": [{"from": "b2", "to": "s1", "weight": 5}],
        }
    )
    table = Timetable(problem)
    table.place(("b2", "s1"), 0)
    return table


def test_a_spare_meeting_gives_its_slot_to_someone_below_minimum() -> None:
    table = full_round()
    assert eject_for_minimums(table) == 1
    assert set(table.round_of) == {("b1", "s1")}


def test_a_pinned_meeting_is_never_displaced() -> None:
    table = full_round()
    table.pinned.add(("b2", "s1"))
    assert eject_for_minimums(table) == 0
    assert set(table.round_of) == {("b2", "s1")}
