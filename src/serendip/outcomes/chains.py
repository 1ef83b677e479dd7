"""The chain of encounters behind an outcome, read from what the club recorded.

Touches between the parties before (or on) the outcome's date: one-to-one meetings held (the
programme's one definition of "held"), shared meal tables, accepted introductions (with the
introducer), asks answered and recorded interactions. Read in a fixed number of queries for
any number of outcomes, so a member's timeline and the credits stay cheap on a large club.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext

from serendip.events.models import Registration, RegistrationStatus
from serendip.meals.models import Seat
from serendip.members.models import Member
from serendip.network.models import Interaction, Introduction, IntroductionState, IntroductionStep
from serendip.outcomes.attribution import Touch, in_order
from serendip.outcomes.models import Outcome, OutcomeStatus
from serendip.programme.models import Meeting
from serendip.programme.reports import Attendance, MeetingState, meeting_state

Pair = frozenset[int]

# Interactions already read from their own records (introductions) are not counted twice.
SKIPPED_INTERACTIONS = {"introduction"}


@dataclass(frozen=True)
class Step:
    """A touch of a chain with the two members it was between."""

    touch: Touch
    pair: Pair


def _interaction_label(kind: str) -> str:
    labels = {
        "help": gettext("Help recorded in the gratitude ledger"),
        "note": gettext("Kept in touch"),
        "green": gettext("A meeting both rated well"),
    }
    return labels.get(kind, kind)


def attendance_among(event_ids: set[int], member_ids: set[int]) -> dict[int, Attendance]:
    """Who was away, per event, among these members (one query)."""
    absent: dict[int, set[int]] = defaultdict(set)
    left: dict[int, dict[int, int]] = defaultdict(dict)
    rows = Registration.objects.filter(
        event_id__in=event_ids,
        member_id__in=member_ids,
        status__in=[
            RegistrationStatus.NO_SHOW,
            RegistrationStatus.CANCELLED,
            RegistrationStatus.LEFT_EARLY,
        ],
    ).values_list("event_id", "member_id", "status", "left_after__number")
    for event_id, member_id, status, last_round in rows:
        if status == RegistrationStatus.LEFT_EARLY:
            if last_round is not None:
                left[event_id][member_id] = last_round
        else:
            absent[event_id].add(member_id)
    return {e: Attendance(frozenset(absent[e]), dict(left[e])) for e in event_ids}


def steps_among(member_ids: Iterable[int], *, now: dt.datetime | None = None) -> list[Step]:
    """Every encounter between any two of these members so far, in time order."""
    now = now or timezone.now()
    ids = set(member_ids)
    if len(ids) < 2:
        return []
    steps: list[Step] = []

    meetings = list(
        Meeting.objects.filter(
            boss_id__in=ids, sponsor_id__in=ids, round__start__lt=now
        ).select_related("round", "event")
    )
    seats = list(
        Seat.objects.filter(member_id__in=ids, meal__start__lt=now).select_related("meal__event")
    )
    away = attendance_among({m.event_id for m in meetings} | {s.meal.event_id for s in seats}, ids)
    for m in meetings:
        if meeting_state(m, away[m.event_id], now) != MeetingState.HELD:
            continue
        label = gettext("%(event)s, round %(n)s") % {"event": m.event.name, "n": m.round.number}
        steps.append(
            Step(
                Touch("meeting", m.round.start, event_id=m.event_id, label=label),
                frozenset((m.boss_id, m.sponsor_id)),
            )
        )

    tables: dict[tuple[int, int, int], list[Seat]] = defaultdict(list)
    for seat in seats:
        if seat.member_id not in away[seat.meal.event_id].absent:
            tables[(seat.meal_id, seat.rotation, seat.table)].append(seat)
    for sitting in tables.values():
        meal = sitting[0].meal
        label = gettext("%(meal)s at %(event)s, same table") % {
            "meal": meal.name,
            "event": meal.event.name,
        }
        for a, b in combinations(sorted({s.member_id for s in sitting}), 2):
            steps.append(
                Step(
                    Touch("meal", meal.start, event_id=meal.event_id, label=label),
                    frozenset((a, b)),
                )
            )

    introductions = (
        Introduction.objects.filter(
            seeker_id__in=ids, helper_id__in=ids, state=IntroductionState.ACCEPTED
        )
        .select_related("introducer", "ask")
        .prefetch_related(
            Prefetch("steps", queryset=IntroductionStep.objects.filter(what="accepted"))
        )
    )
    for intro in introductions:
        accepted = [s.at for s in intro.steps.all()]
        when = max(accepted) if accepted else intro.created
        pair = frozenset((intro.seeker_id, intro.helper_id))
        label = gettext("Introduced by %(name)s") % {"name": intro.introducer.full_name}
        steps.append(
            Step(Touch("introduction", when, introducer_id=intro.introducer_id, label=label), pair)
        )
        if intro.ask is not None and intro.ask.member_id in pair:
            # The ask was answered by the person it was introduced to.
            label = gettext("Ask answered: %(topic)s") % {"topic": intro.ask.topic}
            steps.append(Step(Touch("ask", intro.ask.created, label=label), pair))

    interactions = Interaction.objects.filter(
        member_a_id__in=ids, member_b_id__in=ids, at__lt=now
    ).exclude(kind__in=SKIPPED_INTERACTIONS)
    for i in interactions:
        touch = Touch("interaction", i.at, label=_interaction_label(i.kind))
        steps.append(Step(touch, frozenset((i.member_a_id, i.member_b_id))))
    return sorted(steps, key=lambda s: (s.touch.when, s.touch.kind, s.touch.label, sorted(s.pair)))


def _before(touch: Touch, day: dt.date) -> bool:
    return timezone.localtime(touch.when).date() <= day


def _chain(outcome: Outcome, party_ids: set[int], steps: Sequence[Step]) -> list[Step]:
    chain = [s for s in steps if s.pair <= party_ids and _before(s.touch, outcome.happened_on)]
    ask = outcome.ask
    # Recorded from an answered ask: the ask itself is a touch (once).
    if (
        ask is not None
        and ask.member_id in party_ids
        and timezone.localtime(ask.created).date() <= outcome.happened_on
        and not any(s.touch.kind == "ask" and s.touch.when == ask.created for s in chain)
    ):
        others = party_ids - {ask.member_id}
        pair = frozenset((ask.member_id, min(others))) if others else frozenset()
        label = gettext("Ask answered: %(topic)s") % {"topic": ask.topic}
        chain.append(Step(Touch("ask", ask.created, label=label), pair))
    order = {id(t): n for n, t in enumerate(in_order([s.touch for s in chain]))}
    return sorted(chain, key=lambda s: order[id(s.touch)])


def chains_for(
    outcomes: Sequence[Outcome], *, now: dt.datetime | None = None
) -> dict[int, list[Step]]:
    """Each outcome's chain of encounters between its parties, by outcome id (bounded queries)."""
    outcomes = list(outcomes)
    parties: dict[int, set[int]] = {o.pk: {p.member_id for p in o.parties.all()} for o in outcomes}
    everyone = set().union(*parties.values()) if parties else set()
    steps = steps_among(everyone, now=now)
    return {o.pk: _chain(o, parties[o.pk], steps) for o in outcomes}


def touches_for(outcome: Outcome, *, now: dt.datetime | None = None) -> list[Touch]:
    """The encounters between the outcome's parties up to its date, in time order."""
    return [s.touch for s in chains_for([outcome], now=now)[outcome.pk]]


@dataclass
class TimelineEntry:
    """One outcome of the member's, with the encounters that led to it and who introduced."""

    outcome: Outcome
    steps: list[Step]
    others: list[Member] = field(default_factory=list)
    introducers: list[str] = field(default_factory=list)


def timeline_for(member: Member, *, now: dt.datetime | None = None) -> list[TimelineEntry]:
    """What the member's encounters made: confirmed outcomes, oldest first, with their chains."""
    outcomes = list(
        Outcome.objects.filter(parties__member=member, status=OutcomeStatus.CONFIRMED)
        .select_related("ask")
        .prefetch_related("parties__member")
        .order_by("happened_on", "id")
    )
    chains = chains_for(outcomes, now=now)
    entries = []
    for outcome in outcomes:
        steps = chains[outcome.pk]
        introducers = list(
            dict.fromkeys(s.touch.label for s in steps if s.touch.kind == "introduction")
        )
        others = [p.member for p in outcome.parties.all() if p.member_id != member.pk]
        entries.append(TimelineEntry(outcome, steps, others, introducers))
    return entries
