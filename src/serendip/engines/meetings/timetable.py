"""The working state of a programme: who meets whom in which round, with fast checks."""

from __future__ import annotations

from collections import defaultdict

from serendip.engines.meetings.types import Pair, Problem


class Timetable:
    """Meetings by round with per-person and per-round loads, for the solver's moves.

    ``open_rounds`` are the round indexes where meetings may be added or moved
    (all of them, except for a re-plan that must leave the past alone).
    """

    def __init__(self, problem: Problem, open_rounds: range | None = None) -> None:
        self.problem = problem
        self.round_ids = problem.round_ids
        self.open_rounds = open_rounds if open_rounds is not None else range(len(self.round_ids))
        self.capacity = {p.id: p.capacity for p in problem.people}
        self.maximum = {p.id: p.max_meetings for p in problem.people}
        index = {r: i for i, r in enumerate(self.round_ids)}
        self.available = {
            p.id: [i not in {index[r] for r in p.unavailable} for i in range(len(self.round_ids))]
            for p in problem.people
        }
        self.round_of: dict[Pair, int] = {}
        self.pinned: set[Pair] = set()
        self.load: dict[str, list[int]] = {p.id: [0] * len(self.round_ids) for p in problem.people}
        self.total: dict[str, int] = defaultdict(int)
        self.round_load = [0] * len(self.round_ids)
        self.by_person: dict[str, set[Pair]] = defaultdict(set)
        self.by_round: list[set[Pair]] = [set() for _ in self.round_ids]

    def fits(self, pair: Pair, r: int) -> bool:
        """Whether the pair can meet in round index ``r`` without breaking a hard rule."""
        boss, sponsor = pair
        return (
            self.round_load[r] < self.problem.tables
            and self.available[boss][r]
            and self.available[sponsor][r]
            and self.load[boss][r] < self.capacity[boss]
            and self.load[sponsor][r] < self.capacity[sponsor]
        )

    def has_room(self, pair: Pair) -> bool:
        """Whether neither side has reached their maximum number of meetings."""
        return all(self.total[p] < self.maximum[p] for p in pair)

    def place(self, pair: Pair, r: int, *, pinned: bool = False) -> None:
        """Add the meeting in round index ``r`` (the caller has checked ``fits``)."""
        self.round_of[pair] = r
        self.round_load[r] += 1
        self.by_round[r].add(pair)
        for person in pair:
            self.load[person][r] += 1
            self.total[person] += 1
            self.by_person[person].add(pair)
        if pinned:
            self.pinned.add(pair)

    def remove(self, pair: Pair) -> int:
        """Take the meeting out; returns the round index it was in."""
        r = self.round_of.pop(pair)
        self.round_load[r] -= 1
        self.by_round[r].discard(pair)
        for person in pair:
            self.load[person][r] -= 1
            self.total[person] -= 1
            self.by_person[person].discard(pair)
        self.pinned.discard(pair)
        return r

    def free_rounds(self, pair: Pair) -> list[int]:
        """Open round indexes where the pair could meet right now."""
        return [r for r in self.open_rounds if self.fits(pair, r)]

    def partners_in(self, person: str, r: int) -> list[Pair]:
        """The person's meetings in round index ``r``."""
        return [p for p in self.by_person[person] if self.round_of[p] == r]

    def move_out_of_the_way(self, person: str, r: int) -> bool:
        """Move one of the person's movable meetings out of round ``r``; True if done."""
        for pair in sorted(self.partners_in(person, r)):
            if pair in self.pinned:
                continue
            self.remove(pair)
            for other in self.open_rounds:
                if other != r and self.fits(pair, other):
                    self.place(pair, other)
                    return True
            self.place(pair, r)
        return False

    def place_with_moves(self, pair: Pair) -> bool:
        """Place the pair, moving at most one meeting of each side if needed; True if placed."""
        free = self.free_rounds(pair)
        if free:
            self.place(pair, free[0])
            return True
        boss, sponsor = pair
        for r in self.open_rounds:
            if not (self.available[boss][r] and self.available[sponsor][r]):
                continue
            if self.round_load[r] >= self.problem.tables:
                continue
            for person in pair:
                if self.load[person][r] >= self.capacity[person] and not self.move_out_of_the_way(
                    person, r
                ):
                    break
            if self.fits(pair, r):
                self.place(pair, r)
                return True
        return False

    def counts(self) -> dict[str, int]:
        """Meetings per person."""
        return dict(self.total)
