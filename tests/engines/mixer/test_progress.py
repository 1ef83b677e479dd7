"""The mixer's progress: it stops once the plan reaches the bound, and uses its time otherwise,
telling a caller's callback how far through the time limit it is."""

from __future__ import annotations

from serendip.engines.mixer import Problem, parse_problem, solve


def _room(people: int, tables: list[int], rounds: int) -> Problem:
    return parse_problem(
        {"people": [{"id": f"p{i}"} for i in range(people)], "tables": tables, "rounds": rounds}
    )


def test_a_plan_at_the_bound_ends_the_search_long_before_the_time_limit() -> None:
    # Nine people at three tables of three for four rounds: an affine plane, every pair once.
    problem = _room(9, [3, 3, 3], 4)
    heard: list[float] = []
    plan = solve(problem, time_limit=600, seed=3, progress=heard.append)
    assert plan.stats.new_pairs == plan.stats.new_pairs_bound == 36
    # The search said it was over while most of its ten minutes were left.
    assert heard[-1] == 1.0 and all(share < 0.5 for share in heard[:-1])
    # The callback changes nothing: the same seed seats the same plan without it.
    assert solve(problem, time_limit=600, seed=3).rounds == plan.rounds


def test_a_search_short_of_the_bound_reports_its_progress_on_the_way() -> None:
    # Sixty people at tables of eight and seven for six rounds: no design, a long search.
    problem = _room(60, [8, 8, 8, 8, 7, 7, 7, 7], 6)
    heard: list[float] = []
    plan = solve(problem, time_limit=1, seed=0, progress=heard.append)
    assert heard == sorted(heard) and all(0 <= share <= 1 for share in heard)
    assert heard[-1] == 1.0
    if plan.stats.new_pairs < plan.stats.new_pairs_bound:
        # It searched until its time was up, telling how far it was on the way.
        assert any(share < 1 for share in heard)
