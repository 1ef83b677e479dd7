"""The mixer: seat everyone on a design where one fits the room (who takes which seat is
chosen by ``relabel``), else round by round, strangers first; then improve by tabu search,
then by re-seating a few tables of a few rounds exactly (CP-SAT, ``exact``) until the bound
is reached or the time is up. Three rounds at g tables of g in a dense room without a
design are searched over a Latin square instead of the greedy start and the tabu search
(``latin``). A small plan still breaking a hard rule is solved whole,
exactly, which either keeps every hard rule or proves that no seating can.

The search stops as soon as the plan reaches the bound (no seating can do better), and
uses the whole time limit otherwise: the optional ``progress`` callback hears the share
of the time limit spent, every so often, and 1.0 once the search is over."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import numpy as np

from serendip.engines.mixer import latin
from serendip.engines.mixer.designs import Rounds, design_for
from serendip.engines.mixer.diagnose import conflicts
from serendip.engines.mixer.exact import apply, reseat
from serendip.engines.mixer.measure import new_pairs_bound, seating_stats
from serendip.engines.mixer.relabel import _seat as seat_design
from serendip.engines.mixer.relabel import relabel
from serendip.engines.mixer.search import BLOCKED, HARD, KNOWN, Seats, tabu_search
from serendip.engines.mixer.seed import seeded
from serendip.engines.mixer.types import Conflict, Plan, Problem

# People freed at once by one exact re-seating (to begin with, then as few as, as many as),
# and its time at most. The size grows while CP-SAT proves its steps optimal, else shrinks.
NEIGHBOURHOOD_PEOPLE = (24, 8, 60)
NEIGHBOURHOOD_SECONDS = 1.0
# Shares of the time limit: the tabu search until the first, an exact whole plan (when
# small and still breaking a hard rule) until the second, the exact re-seating after.
TABU_SHARE, WHOLE_SHARE = 0.85, 0.95
# The share of the time limit kept to measure the plan once the searches end.
RESERVE_SHARE = 0.07
# The tabu search also hands over after so many restarts in a row without a better seating.
TABU_RESTARTS = 2
# A whole plan is solved exactly when its model stays this small (pairs x tables x rounds).
WHOLE_MODEL_SIZE = 10_000
# A seeded design costing this much or more (any rule broken, known pairs included) is
# fitted to the club's rules by ``relabel`` before the tabu search.
RELABEL_ABOVE = KNOWN
# The most pairs a design may lose to its spread empty seats, as a share of a full room's.
DESIGN_LOSS = 0.01
# ... and the share of the room people meet below which a greedy start may then be better.
SPARSE = 1 / 3
# The progress callback hears from the search at most this often (seconds).
PROGRESS_EVERY = 0.2

Progress = Callable[[float], None]


class _Clock:
    """Tells the caller's progress callback the share of the time limit spent, every so often."""

    def __init__(self, progress: Progress | None, started: float, time_limit: float) -> None:
        self.progress, self.started, self.time_limit = progress, started, time_limit
        self.last = started

    def tick(self) -> None:
        """Report the time spent, unless reported less than ``PROGRESS_EVERY`` ago."""
        if self.progress is None:
            return
        now = time.perf_counter()
        if now - self.last >= PROGRESS_EVERY:
            self.last = now
            self.progress(min(1.0, (now - self.started) / self.time_limit))

    def done(self) -> None:
        """Report that the search is over (the bound reached, or the time spent)."""
        if self.progress is not None:
            self.progress(1.0)


def _design(problem: Problem) -> Rounds | None:
    """A repeat-free design for the room, if its tables are all one size and one is known.

    Empty seats are fine (fewer people than seats); hosts must have tables of their own.
    """
    sizes = set(problem.tables)
    seats = sum(problem.tables)
    hosted = [table for _host, table in problem.hosts]
    if len(sizes) != 1 or len(problem.people) > seats or len(set(hosted)) != len(hosted):
        return None
    # A design meets nobody twice, so its empty seats sit at different tables in every
    # round: pairs lost against tables filled in turn. Past a small share, and when people
    # meet only a small part of the room (a repeat-free seating is then easy to find), the
    # search does better from a greedy start: 170 people at 22 tables of 8 for 5 rounds
    # lose 2.5% and meet a fifth of the room; 476 at 48 tables of 10 lose 0.3%.
    g, s, n = len(problem.tables), problem.tables[0], len(problem.people)
    empty = seats - n
    if empty and problem.rounds * (s - 1) < SPARSE * (n - 1):
        spread = (g - min(g, empty)) * s * (s - 1) // 2 + min(g, empty) * (s - 1) * (s - 2) // 2
        full, rest = divmod(n, s)
        packed = full * s * (s - 1) // 2 + rest * (rest - 1) // 2
        if empty > g or packed - spread > DESIGN_LOSS * packed:
            return None
    return design_for(problem.tables, seats, problem.rounds) or cyclic(
        len(problem.tables), problem.tables[0], problem.rounds
    )


def _seats(design: Rounds) -> int:
    """How many seats a design has."""
    return sum(len(table) for table in design[0])


def _array(seats: Seats, rounds: list[list[list[int]]]) -> np.ndarray:
    """Rounds → tables → person indexes as round by person → table (-1: absent)."""
    seating = np.full(seats.table_of.shape, -1, dtype=np.int64)
    for r, tables in enumerate(rounds):
        for t, members in enumerate(tables):
            seating[r, members] = t
    return seating


def cyclic(g: int, s: int, rounds: int) -> Rounds | None:
    """A repeat-free seating of g tables of s over the integers mod g, when the rounds are few.

    Person (c, i), column c < s and i mod g, is index c * g + i; in round r, table t seats
    (c, t - r * c) for every column. Two people of columns c != c' share a table in rounds
    r and r' only if (r - r') * (c - c') = 0 mod g, which no r - r' < rounds and c - c' < s
    allow when checked below (always when (rounds - 1) * (s - 1) < g: 48 tables of 10 for
    6 rounds, say). The people of one column never meet: room for colleagues.
    """
    if s > g or any((d * e) % g == 0 for d in range(1, rounds) for e in range(1, s)):
        return None
    return [[[c * g + (t - r * c) % g for c in range(s)] for t in range(g)] for r in range(rounds)]


def _seat_pinned(seats: Seats) -> None:
    """Put every host at their table, and together pairs at one table in round 1, where the
    design could not: swap with a free guest there. The searches never move them again."""
    hosts = {seats.index[h]: t for h, t in seats.problem.hosts}
    together = {seats.index[p] for pair_ in seats.problem.together for p in pair_}

    def move(r: int, i: int, table: int) -> bool:
        home = int(seats.table_of[r, i])
        free = [j for j in seats.members[r][table] if j not in hosts and j not in together]
        full = len(seats.members[r][table]) >= seats.sizes[table]
        if home == table or (full and not free):
            return home == table
        seats.stand(r, i)
        if full:
            seats.stand(r, free[0])
            seats.sit(r, free[0], home)
        seats.sit(r, i, table)
        return True

    for r in range(seats.table_of.shape[0]):
        for i, table in hosts.items():
            move(r, i, table)
    for a, b in sorted(seats.problem.together):
        i, j = seats.index[a], seats.index[b]
        # The one who is no host joins the other (parse_problem refused other cases).
        if j in hosts:
            i, j = j, i
        move(0, j, int(seats.table_of[0, i]))


def _greedy(seats: Seats, rng: random.Random) -> None:
    """Seat each round in turn, each person at the table where they cost least."""
    problem = seats.problem
    hosts = dict(problem.hosts)
    groups: dict[str, set[str]] = {}
    for a, b in problem.together:  # people joined by together pairs sit as one group in round 1
        merged = groups.get(a, {a}) | groups.get(b, {b})
        for person in merged:
            groups[person] = merged
    # People whose role a table needs a minimum of are seated first, spread over the room.
    needed = {role for role, low, _high in problem.roles_per_table if low > 0}
    for r in range(problem.rounds):
        order = [p.id for p in problem.people if p.present(r)]
        rng.shuffle(order)
        order.sort(key=lambda person: problem.by_id[person].role not in needed)
        seated: set[str] = set()
        for host, table in problem.hosts:
            seats.sit(r, seats.index[host], table)
            seated.add(host)
        if r == 0:
            for group in sorted({frozenset(g) for g in groups.values()}, key=len, reverse=True):
                members = [seats.index[p] for p in sorted(group) if p not in seated]
                host_table = next((hosts[p] for p in group if p in hosts), None)
                if host_table is None:
                    room = seats.sizes - seats.sizes_now(r)
                    costs = sum(seats.join_costs(r, i) for i in members)
                    costs = np.where(room >= len(members), costs, BLOCKED)
                    host_table = int(np.argmin(costs))
                for i in members:
                    seats.sit(r, i, host_table)
                seated |= group
        for person in order:
            if person in seated:
                continue
            i = seats.index[person]
            costs = seats.join_costs(r, i)
            # Least cost first; then the emptier table, so that people spread over the room.
            best = np.flatnonzero(costs == costs.min())
            seats.sit(r, i, int(best[np.argmin(seats.sizes_now(r)[best])]))


def _neighbourhood(seats: Seats, rng: random.Random, size: int) -> dict[int, list[int]]:
    """Tables to free: around someone breaking a rule if anyone does, else at random."""
    rounds = seats.table_of.shape[0]
    tables = len(seats.sizes)
    freed: dict[int, set[int]] = {}
    conflicted = [(r, int(i)) for r in range(rounds) for i in seats.conflicted(r)]
    if conflicted:
        r, i = conflicted[rng.randrange(len(conflicted))]
        freed[r] = {int(seats.table_of[r, i])}
        # A pair met twice: free their table in the other rounds where they meet too.
        t = int(seats.table_of[r, i])
        for j in seats.members[r][t]:
            if j != i and seats.met[i, j] > 1:
                for r2 in range(rounds):
                    here = seats.table_of[r2, i]
                    if r2 != r and here >= 0 and here == seats.table_of[r2, j]:
                        freed.setdefault(r2, set()).add(int(here))
                break
    else:
        freed[rng.randrange(rounds)] = {rng.randrange(tables)}
    if rounds > 1 and rng.random() < 0.5:
        # Often a second round too: moves that would repeat a pair of the other round can
        # then be made together with the move that avoids it.
        freed.setdefault(rng.randrange(rounds), set()).add(rng.randrange(tables))
    # Then more tables of the same rounds, until enough people are free to move.
    budget = size
    chosen = list(freed)
    while budget > 0:
        r = chosen[rng.randrange(len(chosen))]
        if len(freed[r]) >= tables:
            if all(len(freed[q]) >= tables for q in chosen):
                break
            continue
        freed[r].add(rng.randrange(tables))
        budget = size - sum(len(seats.members[q][t]) for q, ts in freed.items() for t in ts)
    return {r: sorted(ts) for r, ts in freed.items()}


def repair(
    seats: Seats,
    *,
    floor: int,
    deadline: float,
    rng: random.Random,
    tick: Callable[[], None] | None = None,
) -> None:
    """Re-seat a few tables of a few rounds exactly, again and again, until ``floor`` or the
    deadline: each step keeps its answer only if the plan got no worse; ``tick`` is called
    before every step."""
    step = 0
    fewest, most = NEIGHBOURHOOD_PEOPLE[1:]
    size = float(NEIGHBOURHOOD_PEOPLE[0])
    overhead = 0.05  # a step's time besides the solver's (building the model), last seen
    while seats.cost > floor and time.perf_counter() < deadline - overhead:
        step += 1
        if tick is not None:
            tick()
        began = time.perf_counter()
        freed = _neighbourhood(seats, rng, int(size))
        left = deadline - began - overhead
        answer = reseat(seats, freed, seconds=min(NEIGHBOURHOOD_SECONDS, left), seed=step)
        overhead = max(0.05, time.perf_counter() - began - min(NEIGHBOURHOOD_SECONDS, left))
        size = min(most, size * 1.25) if answer.proved else max(fewest, size * 0.8)
        if answer.status not in ("optimal", "improved"):
            continue
        before, undo = seats.cost, {key: int(seats.table_of[key]) for key in answer.tables}
        apply(seats, answer)
        if seats.cost > before:
            apply(seats, type(answer)("undo", undo))


def _whole(seats: Seats, deadline: float) -> Conflict | None:
    """Solve a small plan exactly, keeping every hard rule; the proof if none can."""
    problem = seats.problem
    n, rounds, tables = len(seats.ids), problem.rounds, len(problem.tables)
    if n * (n - 1) // 2 * tables * rounds > WHOLE_MODEL_SIZE:
        return None
    everything = {r: list(range(tables)) for r in range(rounds)}
    left = deadline - time.perf_counter()
    if left <= 0.05:
        return None
    answer = reseat(seats, everything, seconds=left, strict=True)
    if answer.status == "infeasible":
        return Conflict(
            "exact",
            "an exact search (CP-SAT) proves that no seating keeps every hard rule: "
            "no pair twice, colleagues apart, hosts at their tables, together pairs together",
            rules=("repeated pair", "colleagues", "hosts", "together"),
        )
    if answer.tables:
        apply(seats, answer)
    return None


def solve(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    progress: Progress | None = None,
) -> Plan:
    """The best seating found within ``time_limit`` seconds; the same seed gives the same plan
    whenever the search ends before the time limit.

    The search stops early once the plan reaches the bound on new pairs with every rule
    kept. ``progress``, if given, is called every so often with the share of the time limit
    spent (0 to 1), and with 1.0 once the search is over, before the plan is measured.
    """
    started = time.perf_counter()
    clock = _Clock(progress, started, time_limit)
    rng = random.Random(seed)
    seats = Seats(problem)
    design = _design(problem)
    if design is not None:
        # Seats chosen greedily, hard rules and role bounds first, often keep every rule
        # already; if not, half the time at most to fit the club's rules onto the design
        # (``relabel``) from there. The tabu search then mends whatever is left.
        design = seeded(problem, design, rng)
        seats.load(_array(seats, seat_design(problem, design, np.arange(_seats(design)))))
        if seats.cost + new_pairs_bound(problem) >= RELABEL_ABOVE:  # the penalties alone
            first = seats.snapshot(), seats.cost
            rounds = relabel(problem, design, deadline=started + time_limit / 2, rng=rng)
            seats.load(_array(seats, rounds))
            if seats.cost > first[1]:
                seats.load(first[0])
        _seat_pinned(seats)
    floor = -new_pairs_bound(problem)
    # The searches end a little early: measuring the plan takes time too, more when the
    # machine is loaded, and the time limit is the organiser's.
    deadline = started + (1 - RESERVE_SHARE) * time_limit
    if design is None and latin.applies(problem):
        # Three rounds at g tables of g in a dense room: the search over a Latin square
        # keeps the no-repeat rule by construction; it takes the whole time once its seating
        # keeps every rule (the tabu search and the exact re-seating after it found nothing
        # to add on the karate dinner, five runs of five), else the tabu search's share.
        seats.load(
            latin.search(
                seats,
                floor=floor,
                deadline=deadline,
                kept_by=started + TABU_SHARE * (deadline - started),
                rng=rng,
                tick=clock.tick,
            )
        )
    elif design is None:
        _greedy(seats, rng)
    clock.tick()
    # The tabu search first: quick on conflicts, and it stops by itself once none is left
    # for a while. Then the exact re-seating of a few tables at a time for the rest.
    best = tabu_search(
        seats,
        floor=floor,
        deadline=started + TABU_SHARE * (deadline - started),
        rng=rng,
        stall_restarts=TABU_RESTARTS,
        tick=clock.tick,
    )
    seats.restore(best)
    proof = None
    if seats.cost >= HARD:
        clock.tick()
        proof = _whole(seats, started + WHOLE_SHARE * (deadline - started))
    if proof is None:
        repair(seats, floor=floor, deadline=deadline, rng=rng, tick=clock.tick)
    clock.done()
    best = seats.table_of
    seating = tuple(
        tuple(
            tuple(seats.ids[i] for i in np.flatnonzero(tables == t))
            for t in range(len(seats.sizes))
        )
        for tables in best
    )
    stats = seating_stats(problem, seating, seconds=time.perf_counter() - started)
    found = conflicts(problem)
    if proof is not None:
        found = (*found, proof)
    return Plan(seating, stats, found if stats.repeated_pairs or stats.colleagues_together else ())
