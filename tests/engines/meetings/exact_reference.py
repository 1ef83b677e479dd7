"""An exact reference for the tests: the whole problem as one CP-SAT model, written apart.

It knows nothing of the engine's pipeline; it encodes the rules of
docs/formats.md directly and returns the best (shortfall, value) any plan reaches.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from serendip.engines.meetings.types import Problem, Side


def best_shortfall_and_value(problem: Problem) -> tuple[int, int]:
    """The lexicographic optimum: the least total shortfall, then the most value."""
    bosses = [p for p in problem.people if p.side == Side.BOSS]
    sponsors = [p for p in problem.people if p.side == Side.SPONSOR]
    values = problem.pair_values()
    model = cp_model.CpModel()
    meets = {}
    for b in bosses:
        for s in sponsors:
            if (b.id, s.id) in problem.declines:
                continue
            for r in problem.round_ids:
                if r not in b.unavailable and r not in s.unavailable:
                    meets[(b.id, s.id, r)] = model.new_bool_var(f"{b.id}{s.id}{r}")
    for b in bosses:
        for s in sponsors:
            model.add(sum(v for (bb, ss, _), v in meets.items() if (bb, ss) == (b.id, s.id)) <= 1)
    for r in problem.round_ids:
        model.add(sum(v for (_, _, rr), v in meets.items() if rr == r) <= problem.tables)
        for person in problem.people:
            held = [v for (bb, ss, rr), v in meets.items() if rr == r and person.id in (bb, ss)]
            model.add(sum(held) <= person.capacity)
    shortfall = []
    for person in problem.people:
        degree = sum(v for (bb, ss, _), v in meets.items() if person.id in (bb, ss))
        model.add(degree <= person.max_meetings)
        short = model.new_int_var(0, person.min_meetings, f"short{person.id}")
        model.add(short >= person.min_meetings - degree)
        shortfall.append(short)
    for f in problem.fixed:
        model.add(meets[(f.boss, f.sponsor, f.round)] == 1)
    value = sum(values.get((bb, ss), 0) * v for (bb, ss, _), v in meets.items())
    model.minimize(sum(shortfall))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    least = round(solver.objective_value)
    model.add(sum(shortfall) <= least)
    model.maximize(value)
    assert solver.solve(model) == cp_model.OPTIMAL
    return least, round(solver.objective_value)
