"""Exact re-seating with CP-SAT: a few tables of a few rounds, or the whole plan when it is small.

The large-neighbourhood repair frees the people of some tables in some rounds and
seats them again, exactly, at those same tables: every other seat stays where it is.
The model carries the same weights as the tabu search (``search``): a pair seated
together twice or colleagues together weigh ``HARD``, known pairs together ``KNOWN``,
a role-bound miss ``ROLE``, and every distinct new pair takes one off. The current
seats are given as a hint, so the answer is never worse than what it replaces.

With ``strict`` the hard rules become constraints instead of weights: on a whole
plan, an INFEASIBLE answer is then a proof that no seating keeps them all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from ortools.sat.python import cp_model

from serendip.engines.mixer.search import HARD, KNOWN, ROLE, Seats


@dataclass(frozen=True)
class Reseated:
    """The answer of one exact re-seating: the new tables of the freed people, if any."""

    status: str  # "optimal", "improved", "unchanged", "infeasible" or "unknown"
    tables: dict[tuple[int, int], int]  # (round, person) -> table, for the freed people
    proved: bool = False  # whether CP-SAT proved the answer the best of its neighbourhood


def reseat(
    seats: Seats,
    freed: dict[int, list[int]],
    *,
    seconds: float,
    strict: bool = False,
    seed: int = 0,
) -> Reseated:
    """Seat again, exactly, the people at tables ``freed[round]`` of each round, at those tables."""
    problem = seats.problem
    rounds_freed = sorted(r for r, tables in freed.items() if tables)
    model = cp_model.CpModel()
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}  # (round, person, table)
    people: dict[int, list[int]] = {}
    for r in rounds_freed:
        tables = sorted(set(freed[r]))
        members = [int(i) for i in np.flatnonzero(np.isin(seats.table_of[r], tables))]
        people[r] = members
        for i in members:
            choices = [model.new_bool_var(f"x{r}_{i}_{t}") for t in tables]
            for t, var in zip(tables, choices, strict=True):
                x[r, i, t] = var
                model.add_hint(var, int(seats.table_of[r, i] == t))
            model.add_exactly_one(choices)
        for t in tables:
            model.add(sum(x[r, i, t] for i in members) <= int(seats.sizes[t]))
        for host, table in problem.hosts:
            i = seats.index[host]
            if (r, i, table) in x:
                model.add(x[r, i, table] == 1)
            elif i in members:  # the host's table is not among the freed ones: stay put
                model.add(x[r, i, int(seats.table_of[r, i])] == 1)
        if r == 0:
            for first, second in problem.together:
                i, j = seats.index[first], seats.index[second]
                if i in members and j in members:
                    for t in tables:
                        model.add(x[r, i, t] == x[r, j, t])
                elif i in members or j in members:  # the other one stays: so does this one
                    k = i if i in members else j
                    model.add(x[r, k, int(seats.table_of[r, k])] == 1)
    objective: list[cp_model.LinearExprT] = []
    # Meetings outside the freed tables stay as they are.
    fixed = seats.met.copy()
    for r in rounds_freed:
        for t in freed[r]:
            for a, b in combinations(seats.members[r][t], 2):
                fixed[a, b] -= 1
                fixed[b, a] -= 1
    colleagues = seats.static >= HARD
    known = (seats.static > 0) & ~colleagues
    pair_rounds: dict[tuple[int, int], list[int]] = defaultdict(list)
    for r in rounds_freed:
        for a, b in combinations(sorted(people[r]), 2):
            pair_rounds[a, b].append(r)

    def same(r: int, a: int, b: int) -> int:
        return int(seats.table_of[r, a] == seats.table_of[r, b])

    for (a, b), rs in pair_rounds.items():
        meets = []
        for r in rs:
            tables = freed[r]
            if (fixed[a, b] or colleagues[a, b]) and strict:
                for t in tables:
                    model.add_bool_or([x[r, a, t].Not(), x[r, b, t].Not()])
                continue
            if known[a, b] or fixed[a, b] or colleagues[a, b] or len(rs) > 1:
                # Whether a and b share a table in round r, exactly.
                together = model.new_bool_var(f"m{r}_{a}_{b}")
                for t in tables:
                    model.add_bool_or([x[r, a, t].Not(), x[r, b, t].Not(), together])
                model.add_hint(together, same(r, a, b))
                meets.append(together)
            else:
                # Only rewarded: an upper link is enough, the objective pulls it up.
                together = model.new_bool_var(f"m{r}_{a}_{b}")
                at = int(seats.table_of[r, a])
                hint = same(r, a, b)
                both = [_both(model, x[r, a, t], x[r, b, t], hint * (t == at)) for t in tables]
                model.add(together <= sum(both))
                model.add_hint(together, same(r, a, b))
                meets.append(together)
        if not meets:
            continue
        total = sum(meets)
        if known[a, b]:
            objective.append(KNOWN * total)
        if colleagues[a, b]:
            objective.append(HARD * total)
        already = int(fixed[a, b])
        now = sum(same(r, a, b) for r in rs)
        if strict:
            model.add(total + already <= 1)
        elif already + len(meets) > 1:
            repeats = model.new_int_var(0, already + len(meets), f"rep_{a}_{b}")
            model.add(repeats >= total + already - 1)
            objective.append(HARD * repeats)
            model.add_hint(repeats, max(0, now + already - 1))
        if seats.new[a, b] and not already:
            met = model.new_bool_var(f"new_{a}_{b}")
            model.add(met <= total)
            model.add_hint(met, int(now > 0))
            objective.append(-met)
    _role_terms(seats, model, x, people, freed, objective)
    model.minimize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return Reseated("infeasible", {}, True)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Reseated("unknown", {})
    tables_of = {(r, i): t for (r, i, t), var in x.items() if solver.boolean_value(var)}
    changed = any(int(seats.table_of[r, i]) != t for (r, i), t in tables_of.items())
    label = "optimal" if status == cp_model.OPTIMAL else "improved"
    return Reseated(label if changed else "unchanged", tables_of, status == cp_model.OPTIMAL)


def _both(
    model: cp_model.CpModel, a: cp_model.IntVar, b: cp_model.IntVar, hint: int
) -> cp_model.IntVar:
    """A variable at most a and at most b (their product when maximised)."""
    var = model.new_bool_var("")
    model.add_hint(var, hint)
    model.add_implication(var, a)
    model.add_implication(var, b)
    return var


def _role_terms(
    seats: Seats,
    model: cp_model.CpModel,
    x: dict[tuple[int, int, int], cp_model.IntVar],
    people: dict[int, list[int]],
    freed: dict[int, list[int]],
    objective: list[cp_model.LinearExprT],
) -> None:
    """Role-bound misses of the freed tables (an empty table misses nothing)."""
    for r, tables in freed.items():
        for t in tables:
            occupied = model.new_bool_var(f"occ{r}_{t}")
            seated = sum(x[r, i, t] for i in people.get(r, []))
            counts = seats.counts[r, t]
            model.add_hint(occupied, int(counts.sum() > 0))
            model.add(seated <= int(seats.sizes[t]) * occupied)
            for k, (low, high) in enumerate(zip(seats.low, seats.high, strict=True)):
                count = sum(x[r, i, t] for i in people.get(r, []) if seats.role[i] == k)
                under = model.new_int_var(0, int(low), f"under{r}_{t}_{k}")
                over = model.new_int_var(0, int(seats.sizes[t]), f"over{r}_{t}_{k}")
                model.add(count + under >= int(low) * occupied)
                model.add(count - over <= int(high))
                if counts.sum():
                    model.add_hint(under, max(0, int(low) - int(counts[k])))
                    model.add_hint(over, max(0, int(counts[k]) - int(high)))
                else:
                    model.add_hint(under, 0)
                    model.add_hint(over, 0)
                objective.append(ROLE * (under + over))


def apply(seats: Seats, answer: Reseated) -> None:
    """Move the freed people to their new tables (everyone stands first, then sits)."""
    moves = [(r, i, t) for (r, i), t in answer.tables.items() if seats.table_of[r, i] != t]
    for r, i, _t in moves:
        seats.stand(r, i)
    for r, i, t in moves:
        seats.sit(r, i, t)
