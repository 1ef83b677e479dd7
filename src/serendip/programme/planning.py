"""The bridge between the database and the meetings engine: problem in, meetings out.

People and rounds get their engine ids from serendip.engine_ids (``m<member id>``,
``r<number>``); the engine is reached through its package only (serendip.engines.meetings).
Every write locks the event row first, so planning, re-planning, hand edits and
check-ins take turns; the Meeting constraints are the last line of defence.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from serendip.engine_ids import member_of, person, round_key
from serendip.engines.meetings import (
    Changes,
    Plan,
    Problem,
    Violation,
    evaluate,
    parse_problem,
    replan,
    validate,
)
from serendip.engines.meetings import Meeting as Slot
from serendip.events.models import (
    PLANNED_STATUSES,
    Event,
    Registration,
    Round,
)
from serendip.events.services import (
    PastIsFrozen,
    User,
    bump_programme_version,
    first_open_round,
    has_started,
    lock,
    log,
)
from serendip.members.choices import Side
from serendip.members.models import Connection, Member
from serendip.members.recommendations import affinity
from serendip.programme.agenda import after_commit
from serendip.programme.models import Decline, Meeting, PairRule, Wish
from serendip.programme.weights import AFFINITY_FLOOR, AFFINITY_WEIGHT, FORCED


@dataclass(frozen=True)
class Programme:
    """An event's problem in the engine's terms, with what maps it back to the database."""

    problem: Problem
    rounds: dict[str, Round]
    registrations: dict[str, Registration]


def _pair_weights(
    event: Event, bosses: set[int], sponsors: set[int]
) -> tuple[dict[tuple[int, int], int], set[tuple[int, int]]]:
    """Directed wish weights (from, to) and undirected declines (boss, sponsor) among attendees."""
    everyone = bosses | sponsors
    weights: dict[tuple[int, int], int] = {}
    for w in Wish.objects.filter(event=event, member__in=everyone, wanted__in=everyone):
        if (w.member_id in bosses) != (w.wanted_id in bosses):
            weights[(w.member_id, w.wanted_id)] = w.weight
    declines: set[tuple[int, int]] = set()
    for d in Decline.objects.filter(event=event, member__in=everyone, declined__in=everyone):
        boss, sponsor = (
            (d.member_id, d.declined_id) if d.member_id in bosses else (d.declined_id, d.member_id)
        )
        declines.add((boss, sponsor))
    for rule in PairRule.objects.filter(event=event, boss__in=bosses, sponsor__in=sponsors):
        if rule.rule == PairRule.Rule.FORBID:
            declines.add((rule.boss_id, rule.sponsor_id))
        else:
            weights[(rule.boss_id, rule.sponsor_id)] = FORCED
            declines.discard((rule.boss_id, rule.sponsor_id))
    marked = {tuple(sorted(k)) for k in weights} | {tuple(sorted(k)) for k in declines}
    boss_members = list(Member.objects.filter(pk__in=bosses))
    sponsor_members = list(Member.objects.filter(pk__in=sponsors))
    for (boss, sponsor), score in affinity(boss_members, sponsor_members).items():
        if score >= AFFINITY_FLOOR and tuple(sorted((boss, sponsor))) not in marked:
            weights[(sponsor, boss)] = max(1, round(AFFINITY_WEIGHT * score))
    return weights, declines


def programme_of(event: Event, *, everyone: bool = False) -> Programme:
    """The event's one-to-one problem; ``everyone`` keeps absent people (for re-planning).

    Raises ProblemError when the set-up is incomplete (no rounds, no tables).
    """
    rounds = {round_key(r.number): r for r in event.rounds.order_by("number")}
    numbers = {r.number: key for key, r in rounds.items()}
    registrations = event.registrations.filter(side__in=[Side.BOSS, Side.SPONSOR]).select_related(
        "member", "left_after"
    )
    if not everyone:
        registrations = registrations.filter(status__in=PLANNED_STATUSES)
    regs = {person(r.member_id): r for r in registrations.order_by("member_id")}
    people: list[dict[str, Any]] = []
    for pid, r in regs.items():
        away = []
        if r.left_after is not None:
            away = [key for n, key in numbers.items() if n > r.left_after.number]
        if r.side == Side.BOSS:
            entry: dict[str, Any] = {"id": pid, "side": "boss", "min_meetings": 0}
            if event.boss_min_meetings:
                entry["min_meetings"] = min(event.boss_min_meetings, len(rounds))
            if event.boss_max_meetings:
                entry["max_meetings"] = max(entry["min_meetings"], event.boss_max_meetings)
        else:
            entry = {"id": pid, "side": "sponsor", "capacity": r.representatives}
            entry["min_meetings"] = r.guaranteed_meetings or 0
        people.append(entry | {"unavailable": away})
    bosses = {r.member_id for r in regs.values() if r.side == Side.BOSS}
    sponsors = {r.member_id for r in regs.values() if r.side == Side.SPONSOR}
    weights, declines = _pair_weights(event, bosses, sponsors)
    fixed = [
        {"a": person(m.boss_id), "b": person(m.sponsor_id), "round": round_key(m.round.number)}
        | {"table": m.table}
        for m in event.meetings.filter(pinned=True).select_related("round")
        if person(m.boss_id) in regs and person(m.sponsor_id) in regs
    ]
    known = Connection.objects.filter(
        member_a__in=bosses | sponsors, member_b__in=bosses | sponsors
    )
    data = {
        "rounds": [
            {"id": key, "start": r.start.isoformat(), "minutes": r.minutes}
            for key, r in rounds.items()
        ],
        "tables": event.tables,
        "people": people,
        "wishes": [
            {"from": person(a), "to": person(b), "weight": w} for (a, b), w in weights.items()
        ],
        "declines": [[person(b), person(s)] for b, s in sorted(declines)],
        "fixed": fixed,
        "already_met": [[person(c.member_a_id), person(c.member_b_id)] for c in known],
    }
    return Programme(parse_problem(data), rounds, regs)


def current_plan(event: Event, programme: Programme) -> tuple[Slot, ...]:
    """The event's meetings in the engine's terms."""
    return tuple(
        Slot(person(m.boss_id), person(m.sponsor_id), round_key(m.round.number), m.table)
        for m in event.meetings.select_related("round").order_by("round__number", "table")
    )


def figures(event: Event) -> dict[str, Any]:
    """Value, proven bound and minimums of the event's current programme."""
    programme = programme_of(event, everyone=True)
    stats = evaluate(programme.problem, current_plan(event, programme))
    return {
        "meetings": stats.meetings,
        "value": stats.value,
        "upper_bound": stats.upper_bound,
        # Who came or is still expected and is short; absent people's minimums no longer count.
        "below_min": [
            (programme.registrations[s.id].member, s.meetings, s.min)
            for s in stats.below_min
            if programme.registrations[s.id].status in PLANNED_STATUSES
        ],
        "idle_gaps": stats.idle_gaps,
    }


def _key(m: Meeting) -> tuple[str, str, str, int]:
    return (person(m.boss_id), person(m.sponsor_id), round_key(m.round.number), m.table)


def _clashes(slot: Slot, kept: Meeting, representatives: int, used: int) -> bool:
    """Whether a planned slot cannot stand beside a meeting that must stay."""
    if (slot.boss, slot.sponsor) == (person(kept.boss_id), person(kept.sponsor_id)):
        return True
    if slot.round != round_key(kept.round.number):
        return False
    return (
        slot.table == kept.table
        or slot.boss == person(kept.boss_id)
        or (slot.sponsor == person(kept.sponsor_id) and used >= representatives)
    )


@dataclass(frozen=True)
class _Store:
    """What saving a plan changes: the meetings dropped and added, and whose agenda moves."""

    stale: list[Meeting]
    new: list[Meeting]

    @property
    def affected(self) -> set[int]:
        """The members whose agenda changes."""
        return {m.boss_id for m in self.stale + self.new} | {
            m.sponsor_id for m in self.stale + self.new
        }

    def frozen(self, now: dt.datetime | None = None) -> PastIsFrozen | None:
        """The refusal if a round these changes touch has started by ``now`` (None if none has).

        Checked again when changes worked out earlier are saved: a round may start meanwhile.
        """
        for m in self.stale:
            if has_started(m.round, now):
                message = _(
                    "round %(round)s has started: %(boss)s and %(sponsor)s's meeting cannot change"
                )
                return PastIsFrozen(
                    message % {"round": m.round.number, "boss": m.boss, "sponsor": m.sponsor}
                )
        for m in self.new:
            if has_started(m.round, now):
                return PastIsFrozen(
                    _("round %(round)s has started: no meeting can be added to it")
                    % {"round": m.round.number}
                )
        return None

    def apply(self) -> int:
        """Delete the stale meetings and create the new ones; how many meetings changed."""
        Meeting.objects.filter(pk__in=[m.pk for m in self.stale]).delete()
        Meeting.objects.bulk_create(self.new)
        return len(self.stale) + len(self.new)


def _to_store(
    event: Event,
    programme: Programme,
    slots: tuple[Slot, ...],
    *,
    keep_pinned: bool,
    now: dt.datetime | None = None,
) -> _Store:
    """What makes the database hold ``slots``, read but not written.

    Meetings that stay keep their row (and ratings); new ones get the first free
    representative seat of their sponsor in their round. The past is never touched: a
    plan that would drop, move or add a meeting in a round that has started is refused.
    A meeting placed by hand after ``programme`` was read (while the planner ran) stays,
    and the planned meetings in its way give way to it.
    """
    now = now or timezone.now()
    wanted = {(s.boss, s.sponsor, s.round, s.table) for s in slots}
    existing = list(event.meetings.select_related("round", "boss", "sponsor"))
    read = {(f.boss, f.sponsor, f.round, f.table) for f in programme.problem.fixed}
    placed_meanwhile = [m for m in existing if m.pinned and keep_pinned and _key(m) not in read]
    if placed_meanwhile:
        capacity = {pid: r.representatives for pid, r in programme.registrations.items()}
        for m in placed_meanwhile:
            used = Counter(s.round for s in slots if s.sponsor == person(m.sponsor_id))
            slots = tuple(
                s for s in slots if not _clashes(s, m, capacity.get(s.sponsor, 1), used[s.round])
            )
        wanted = {(s.boss, s.sponsor, s.round, s.table) for s in slots} | {
            _key(m) for m in placed_meanwhile
        }
    pinned = {(m.boss_id, m.sponsor_id) for m in existing if m.pinned and keep_pinned}
    stale = [m for m in existing if _key(m) not in wanted]
    kept = {_key(m): m for m in existing if _key(m) in wanted}
    seats: dict[tuple[str, str], set[int]] = defaultdict(set)
    for key, m in kept.items():
        seats[(key[1], key[2])].add(m.seat)
    new = []
    for boss, sponsor, rnd, table in sorted(wanted - set(kept)):
        used_seats = seats[(sponsor, rnd)]
        seat = next(n for n in range(1, len(used_seats) + 2) if n not in used_seats)
        used_seats.add(seat)
        new.append(
            Meeting(
                event=event,
                round=programme.rounds[rnd],
                table=table,
                boss_id=member_of(boss),
                sponsor_id=member_of(sponsor),
                seat=seat,
                pinned=(member_of(boss), member_of(sponsor)) in pinned,
            )
        )
    store = _Store(stale, new)
    frozen = store.frozen(now)
    if frozen is not None:
        raise frozen
    return store


@transaction.atomic
def save_plan(
    event: Event,
    plan: Plan,
    programme: Programme,
    *,
    actor: User,
    now: dt.datetime | None = None,
) -> int:
    """Replace the programme by a fresh plan (hand-placed meetings are in it as fixed).

    ``now`` is the moment of the change (the clock's by default; the demo replays its day).
    """
    lock(event)
    store = _to_store(event, programme, plan.meetings, keep_pinned=True, now=now)
    changed = store.apply()
    after_commit(event, store.affected)
    s = plan.stats
    log(
        event,
        actor,
        "plan",
        f"{s.meetings} meetings, value {s.value} of at most {s.upper_bound}, "
        f"{len(s.below_min)} below their minimum",
        params={
            "meetings": s.meetings,
            "value": s.value,
            "bound": s.upper_bound,
            "below_min": len(s.below_min),
        },
    )
    return changed


def replan_from(
    event: Event,
    from_round: Round,
    *,
    actor: User,
    time_limit: float = 10.0,
    now: dt.datetime | None = None,
    also: Callable[[Plan, set[int]], None] | None = None,
) -> tuple[Plan, set[int]]:
    """Re-plan from a round on: the past stays, absences free slots, the engine refills them.

    Returns the new plan and the members whose agenda changed (they are told after the
    commit). Raises PastIsFrozen for a round that has started: only what is ahead can move.
    ``also(plan, affected)`` runs in the saving transaction (a planning run's own bookkeeping).

    The engine works with no transaction open: SQLite takes its one write lock when a
    transaction begins, and the room's ratings and check-ins would queue behind a search of
    several seconds. What the plan changes is worked out then too (reading the programme's
    4,000 meetings takes a queue worker, which yields its CPU to the web, up to a second);
    the transaction only writes it, if the programme has not changed meanwhile, else it is
    all worked out again (the last time under the lock).
    """
    for _attempt in range(_REPLAN_TRIES):
        worked = _work_out_replan(event, from_round, time_limit=time_limit, now=now)
        with transaction.atomic():
            locked = lock(event, bump=False)
            if locked.programme_version == worked.version:
                return _save_replan(event, locked, from_round, worked, actor, now, also)
    with transaction.atomic():  # the programme kept changing: work it out under the lock
        locked = lock(event, bump=False)
        worked = _work_out_replan(event, from_round, time_limit=time_limit, now=now)
        return _save_replan(event, locked, from_round, worked, actor, now, also)


# How many times a re-plan is worked out without the lock before it takes it to work.
_REPLAN_TRIES = 2


@dataclass(frozen=True)
class _Replanning:
    """A re-plan worked out from the programme at ``version``, and what saving it changes."""

    version: int
    plan: Plan
    store: _Store


def refuse_if_started(event: Event, from_round: Round, now: dt.datetime | None = None) -> None:
    """Raise PastIsFrozen, naming the round to re-plan from instead, if ``from_round`` has begun."""
    from_round.refresh_from_db()
    if has_started(from_round, now):
        upcoming = first_open_round(event, now)
        raise PastIsFrozen(
            _("round %(round)s has started: re-plan from round %(next)s")
            % {"round": from_round.number, "next": upcoming.number}
            if upcoming
            else _("every round has started: there is nothing left to re-plan")
        )


def _work_out_replan(
    event: Event, from_round: Round, *, time_limit: float, now: dt.datetime | None
) -> _Replanning:
    """Read the programme as it is and let the engine refill the freed slots (no writes)."""
    version = Event.objects.values_list("programme_version", flat=True).get(pk=event.pk)
    refuse_if_started(event, from_round, now)
    programme = programme_of(event, everyone=True)
    slots = current_plan(event, programme)
    absent = frozenset(
        pid for pid, r in programme.registrations.items() if r.status not in PLANNED_STATUSES
    )
    problem = programme.problem
    _changed, plan = replan(
        problem,
        Plan(slots, evaluate(problem, slots)),
        Changes(absent=absent),
        from_round=round_key(from_round.number),
        time_limit=time_limit,
    )
    store = _to_store(event, programme, plan.meetings, keep_pinned=True, now=now)
    # Imported here: briefing reads this module's agendas.
    from serendip.programme.briefing import explain_meetings

    explain_meetings(store.new)
    return _Replanning(version, plan, store)


def _save_replan(
    event: Event,
    locked: Event,
    from_round: Round,
    worked: _Replanning,
    actor: User,
    now: dt.datetime | None,
    also: Callable[[Plan, set[int]], None] | None,
) -> tuple[Plan, set[int]]:
    """Save a re-plan under the event's lock; the round may have started while it was worked."""
    refuse_if_started(event, from_round, now)
    frozen = worked.store.frozen(now)
    if frozen is not None:
        raise frozen
    bump_programme_version(event, locked)
    plan = worked.plan
    worked.store.apply()
    affected = worked.store.affected
    after_commit(event, affected)
    log(
        event,
        actor,
        "replan",
        f"from round {from_round.number}: {plan.stats.moved} meetings moved, "
        f"{len(affected)} people affected",
        params={
            "from_round": from_round.number,
            "moved": plan.stats.moved,
            "affected": len(affected),
        },
    )
    if also is not None:
        also(plan, affected)
    return plan, affected


class RefusedChange(Exception):
    """A hand edit that would break a rule; the message says which and why.

    ``rule`` names the rule (the engine's code, or "registration" and "side" for who may sit
    at the table), ``people`` the member ids it is about, ``round`` and ``table`` where: an
    API client reads these instead of parsing the sentence.
    """

    def __init__(
        self,
        message: str,
        *,
        rule: str = "",
        people: tuple[int, ...] = (),
        round: int | None = None,
        table: int | None = None,
    ) -> None:
        super().__init__(message)
        self.rule, self.people, self.round, self.table = rule, people, round, table


def _refusal(broken: Violation, programme: Programme, names: dict[str, Any]) -> str:
    """The organiser's words for the rule a hand-placed meeting would break.

    ``names`` holds boss, sponsor, round and table; where the rule is about one person
    (unavailable, full round, enough meetings), the violation names them first in ``people``.
    """
    first = programme.registrations.get(broken.people[0]) if broken.people else None
    who = first.member if first is not None else names["boss"]
    words = {
        "table": _("table %(table)s is not free in round %(round)s for %(boss)s and %(sponsor)s"),
        "tables": _("no table is left in round %(round)s for %(boss)s and %(sponsor)s"),
        "unavailable": _("%(who)s is not available in round %(round)s"),
        "decline": _("%(boss)s and %(sponsor)s asked not to meet"),
        "pair once": _("%(boss)s and %(sponsor)s already meet at this event"),
        "capacity": _("%(who)s has no time left in round %(round)s"),
        "max_meetings": _("%(who)s already has as many meetings as they asked for"),
        "boss with sponsor": _("%(sponsor)s is not a sponsor at this event"),
    }
    if broken.rule not in words:  # not expected from one added meeting: say which rule
        return _("%(boss)s and %(sponsor)s cannot meet in round %(round)s (rule: %(rule)s)") % {
            **names,
            "rule": broken.rule,
        }
    return words[broken.rule] % {**names, "who": who}


def _new_violations(
    problem: Problem, before: tuple[Slot, ...], after: tuple[Slot, ...]
) -> list[Violation]:
    """The rules ``after`` breaks that ``before`` did not: a hand edit is judged on what it adds."""
    old = set(validate(problem, before))
    return [v for v in validate(problem, after) if v not in old]


@transaction.atomic
def place_meeting(
    event: Event, *, boss: Member, sponsor: Member, round: Round, table: int, actor: User
) -> Meeting:
    """Put a boss and a sponsor at a table in a round by hand; the meeting stays when re-planning.

    Raises RefusedChange naming the rule the meeting would break, PastIsFrozen in a round
    that has started.
    """
    lock(event)
    round.refresh_from_db()
    if has_started(round):
        raise PastIsFrozen(
            _("round %(round)s has started: no meeting can be added to it")
            % {"round": round.number}
        )
    programme = programme_of(event, everyone=True)
    slots = current_plan(event, programme)
    new = Slot(person(boss.pk), person(sponsor.pk), round_key(round.number), table)
    where = {"round": round.number, "table": table}
    if new.boss not in programme.registrations or new.sponsor not in programme.registrations:
        raise RefusedChange(
            _("both must be registered, one as a boss and one as a sponsor"),
            rule="registration",
            people=(boss.pk, sponsor.pk),
            **where,
        )
    if programme.registrations[new.boss].side != Side.BOSS:
        raise RefusedChange(
            _("%(boss)s is not a boss at this event") % {"boss": boss},
            rule="side",
            people=(boss.pk,),
            **where,
        )
    broken = _new_violations(programme.problem, slots, (*slots, new))
    if broken:
        names = {"boss": boss, "sponsor": sponsor, **where}
        raise RefusedChange(
            _refusal(broken[0], programme, names),
            rule=broken[0].rule,
            # The engine names who the rule is about, the one it concerns first.
            people=tuple(member_of(p) for p in broken[0].people) or (boss.pk, sponsor.pk),
            **where,
        )
    used = set(event.meetings.filter(round=round, sponsor=sponsor).values_list("seat", flat=True))
    seat = next(n for n in range(1, len(used) + 2) if n not in used)
    meeting = Meeting.objects.create(
        event=event, round=round, table=table, boss=boss, sponsor=sponsor, seat=seat, pinned=True
    )
    log(
        event,
        actor,
        "place",
        f"round {round.number}, table {table}: {boss} / {sponsor}",
        params={"round": round.number, "table": table, "boss": str(boss), "sponsor": str(sponsor)},
    )
    after_commit(event, {boss.pk, sponsor.pk})
    return meeting


@transaction.atomic
def remove_meeting(meeting: Meeting, *, actor: User) -> None:
    """Take a meeting out of the programme; a meeting whose round has started is history.

    Raises PastIsFrozen for a meeting whose round has started (its ratings stay too).
    """
    lock(meeting.event)
    meeting = Meeting.objects.select_related("round", "boss", "sponsor", "event").get(pk=meeting.pk)
    if has_started(meeting.round):
        raise PastIsFrozen(
            _("round %(round)s has started: %(boss)s and %(sponsor)s's meeting stays")
            % {"round": meeting.round.number, "boss": meeting.boss, "sponsor": meeting.sponsor}
        )
    log(
        meeting.event,
        actor,
        "remove",
        f"round {meeting.round.number}, table {meeting.table}: {meeting.boss} / {meeting.sponsor}",
        params={
            "round": meeting.round.number,
            "table": meeting.table,
            "boss": str(meeting.boss),
            "sponsor": str(meeting.sponsor),
        },
    )
    meeting.delete()
    after_commit(meeting.event, {meeting.boss_id, meeting.sponsor_id})


@transaction.atomic
def publish(event: Event, *, actor: User) -> None:
    """Make the programme visible to attendees."""
    lock(event)
    event.published = timezone.now()
    event.save(update_fields=["published"])
    meetings = event.meetings.count()
    log(event, actor, "publish", f"{meetings} meetings", params={"meetings": meetings})


def agenda_of(event: Event, member: Member) -> list[Meeting]:
    """The member's meetings at the event, in round order."""
    return list(
        event.meetings.filter(Q(boss=member) | Q(sponsor=member))
        .select_related("round", "boss__organisation", "sponsor__organisation")
        .order_by("round__number")
    )


@transaction.atomic
def clear_plan(event: Event, *, actor: User, now: dt.datetime | None = None) -> int:
    """Take every meeting out of a programme whose first round has not started; returns how many.

    The set-up (rounds, tables) can change again afterwards. Hand-placed meetings go too: the
    organiser asked for a clean slate. Attendees of a published programme are told once the
    clearing commits. Raises PastIsFrozen once a round has started: held meetings are history.
    """
    lock(event)
    started = event.rounds.filter(start__lte=now or timezone.now()).order_by("number").first()
    if started is not None:
        raise PastIsFrozen(
            _("round %(round)s has started: the plan can no longer be cleared")
            % {"round": started.number}
        )
    meetings = event.meetings.all()
    affected = set(meetings.values_list("boss_id", flat=True))
    affected |= set(meetings.values_list("sponsor_id", flat=True))
    cleared, _by_model = meetings.delete()
    log(event, actor, "clear plan", f"{cleared} meetings", params={"meetings": cleared})
    after_commit(event, affected)
    return cleared
