"""Re-planning on the day: the past never changes and the new plan obeys the changed rules."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serendip.engines.meetings import parse_problem, solve, validate
from serendip.engines.meetings.formats import parse_changes
from serendip.engines.meetings.replan import replan
from serendip.engines.meetings.types import Problem
from tests.engines.meetings.strategies import problems


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.data())
def test_replan_never_touches_past_rounds(problem: Problem, data: st.DataObject) -> None:
    plan = solve(problem, time_limit=5, seed=2)
    rounds = problem.round_ids
    start = data.draw(st.integers(0, len(rounds) - 1))
    people = [p.id for p in problem.people]
    absent = data.draw(st.lists(st.sampled_from(people), unique=True, max_size=2))
    leaving = data.draw(st.lists(st.sampled_from(people), unique=True, max_size=1))
    changes = parse_changes(
        {"absent": absent, "leaves_after": {p: rounds[start] for p in leaving}}, problem
    )
    changed, new = replan(problem, plan, changes, from_round=rounds[start], time_limit=5, seed=2)
    past = set(rounds[:start])
    assert {m for m in new.meetings if m.round in past} == {
        m for m in plan.meetings if m.round in past
    }
    assert validate(changed, new) == []
    later = set(rounds[start:])
    assert not [m for m in new.meetings if m.round in later and {m.boss, m.sponsor} & set(absent)]
    assert new.stats.moved is not None and new.stats.moved >= 0


def midday_problem() -> Problem:
    bosses = [
        {"id": f"b{i}", "side": "boss", "min_meetings": 3, "max_meetings": 4} for i in range(20)
    ]
    sponsors = [
        {"id": f"s{i}", "side": "sponsor", "capacity": 2, "min_meetings": 8} for i in range(6)
    ]
    wishes = [{"from": f"b{i}", "to": f"s{i % 6}", "weight": 2} for i in range(20)]
    return parse_problem(
        {
            "rounds": [{"id": f"r{i}"} for i in range(8)],
            "tables": 12,
            "people": bosses + sponsors,
            "wishes": wishes,
        }
    )


def test_no_shows_at_midday_move_few_meetings_and_refill_the_freed_sponsors() -> None:
    problem = midday_problem()
    plan = solve(problem, time_limit=5)
    changes = parse_changes({"absent": ["b0", "b1"]}, problem)
    changed, new = replan(problem, plan, changes, from_round="r4", time_limit=5)
    assert validate(changed, new) == []
    remaining = [m for m in plan.meetings if m.round >= "r4"]
    assert new.stats.moved is not None and new.stats.moved < len(remaining) // 2
    short_sponsors = [s.id for s in new.stats.below_min if s.id.startswith("s")]
    assert short_sponsors == []


def test_a_new_fixed_meeting_is_placed_and_kept() -> None:
    problem = midday_problem()
    plan = solve(problem, time_limit=5)
    met = {(m.boss, m.sponsor) for m in plan.meetings}
    boss, sponsor = next(
        (f"b{i}", f"s{j}") for i in range(20) for j in range(6) if (f"b{i}", f"s{j}") not in met
    )
    changes = parse_changes(
        {"fixed": [{"a": boss, "b": sponsor, "round": "r6", "table": 1}]}, problem
    )
    changed, new = replan(problem, plan, changes, from_round="r5", time_limit=5)
    assert validate(changed, new) == []
    assert [(m.round, m.table) for m in new.meetings if (m.boss, m.sponsor) == (boss, sponsor)] == [
        ("r6", 1)
    ]
