"""An exact CP-SAT model of the whole programme, for small instances and proofs of optimality.

The heuristic pipeline is optimal whenever its plan reaches the flow bound;
when it does not and the instance is small enough, this model finishes the job.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from serendip.engines.meetings.select import PENALTY_ALREADY_MET, candidates
from serendip.engines.meetings.timetable import Timetable
from serendip.engines.meetings.types import Pair

# Above this many (pair, round) choices the model is left to the heuristics.
MAX_LITERALS = 30_000


def size(table: Timetable) -> int:
    """How many (pair, round) literals the exact model of this timetable would have."""
    pool = candidates(table.problem, open_rounds=table.open_rounds, exclude=set(table.pinned))
    total = 0
    for k in range(len(pool.value)):
        boss, sponsor = pool.pair(k)
        total += sum(
            1 for r in table.open_rounds if table.available[boss][r] and table.available[sponsor][r]
        )
    return total


def solve_exactly(table: Timetable, *, seconds: float, seed: int) -> bool:
    """Replace the movable meetings by the best CP-SAT finds in time; True if proven optimal.

    Pinned meetings stay where they are. The objective is the engine's own:
    shortfall first, then value, then fewer unwished and already-met pairs.
    """
    problem = table.problem
    pool = candidates(problem, open_rounds=table.open_rounds, exclude=set(table.pinned))
    model = cp_model.CpModel()
    choice: dict[tuple[Pair, int], cp_model.IntVar] = {}
    by_pair: dict[Pair, list[cp_model.IntVar]] = defaultdict(list)
    by_person_round: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    by_person: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    by_round: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    gain: list[tuple[cp_model.IntVar, int, int]] = []
    for k in range(len(pool.value)):
        pair = pool.pair(k)
        for r in table.open_rounds:
            if not (table.available[pair[0]][r] and table.available[pair[1]][r]):
                continue
            x = model.new_bool_var(f"{pair[0]}|{pair[1]}|{r}")
            choice[(pair, r)] = x
            by_pair[pair].append(x)
            by_round[r].append(x)
            for person_id in pair:
                by_person_round[(person_id, r)].append(x)
                by_person[person_id].append(x)
            gain.append((x, int(pool.value[k]), int(pool.penalty[k])))
    pinned_load = {person: [0] * len(problem.rounds) for person in table.capacity}
    pinned_total: dict[str, int] = defaultdict(int)
    pinned_round = [0] * len(problem.rounds)
    for pair in table.pinned:
        r = table.round_of[pair]
        pinned_round[r] += 1
        for person_id in pair:
            pinned_load[person_id][r] += 1
            pinned_total[person_id] += 1
    for xs in by_pair.values():
        model.add_at_most_one(xs)
    for (person_id, r), xs in by_person_round.items():
        model.add(sum(xs) <= table.capacity[person_id] - pinned_load[person_id][r])
    for r, xs in by_round.items():
        model.add(sum(xs) <= problem.tables - pinned_round[r])
    shortfalls = []
    for person in problem.people:
        degree = sum(by_person[person.id]) + pinned_total[person.id]
        model.add(degree <= person.max_meetings)
        if person.min_meetings > pinned_total[person.id]:
            short = model.new_int_var(0, person.min_meetings, f"short|{person.id}")
            model.add(short >= person.min_meetings - degree)
            shortfalls.append(short)
    slots = problem.tables * len(table.open_rounds)
    weight = 2 * slots + PENALTY_ALREADY_MET + 1
    big = weight * int(pool.value.sum()) + PENALTY_ALREADY_MET * slots + 1
    model.minimize(
        big * sum(shortfalls) + sum(x * (penalty - weight * value) for x, value, penalty in gain)
    )
    for (pair, r), x in choice.items():
        model.add_hint(x, table.round_of.get(pair) == r)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = 1  # one worker: the same seed gives the same plan
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    for pair in [p for p in table.round_of if p not in table.pinned]:
        table.remove(pair)
    for (pair, r), x in choice.items():
        if solver.value(x):
            table.place(pair, r)
    return status == cp_model.OPTIMAL
