"""Meal seating: the mixer seats attendees so that they meet strangers, green pairs together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from serendip.engine_ids import member_of, person, position_number
from serendip.engines.mixer import Plan, Problem, parse_problem, solve, validate
from serendip.events.models import PLANNED_STATUSES, Event
from serendip.events.services import PastIsFrozen, User, lock, log
from serendip.meals.models import Meal, Seat
from serendip.meals.refusals import seating_warnings
from serendip.members.models import Connection, Member
from serendip.programme.services import green_pairs


@dataclass(frozen=True)
class MealStats:
    """What a meal plan achieves; ``broken`` counts the hard rules it still breaks (none when
    any seating keeps them all and the mixer found it) and ``warnings`` says which and why, in
    the club's words and the language active when it was planned."""

    new_pairs: int
    new_pairs_bound: int
    known_together: int
    together: int
    broken: int = 0
    warnings: tuple[str, ...] = ()


def _meal_params(meal: Meal) -> dict[str, Any]:
    return {"meal": meal.name, "tables": len(meal.tables), "rotations": meal.rotations}


@transaction.atomic
def add_meal(
    event: Event, *, name: str, start: dt.datetime, tables: list[int], rotations: int, actor: User
) -> Meal:
    """Add a meal to the event, not seated yet."""
    lock(event)
    meal = Meal.objects.create(
        event=event, name=name, start=start, tables=tables, rotations=rotations
    )
    log(
        event,
        actor,
        "meal",
        f"{meal.name}: {meal.tables}, {meal.rotations} rotations",
        params=_meal_params(meal),
    )
    return meal


def refuse_if_history(meal: Meal, now: dt.datetime | None) -> None:
    """Raise PastIsFrozen for a meal under way with people seated: it is history, its seating
    says who sat with whom."""
    if meal.start <= (now or timezone.now()) and meal.seats.exists():
        raise PastIsFrozen(
            _("%(meal)s has started and its tables are seated: it stays as it was")
            % {"meal": meal.name}
        )


@transaction.atomic
def change_meal(
    meal: Meal,
    *,
    name: str,
    start: dt.datetime,
    tables: list[int],
    rotations: int,
    actor: User,
    now: dt.datetime | None = None,
) -> bool:
    """Change a meal; returns whether its seating was cleared (the tables or rotations changed).

    Raises PastIsFrozen for a meal that has started with people seated.
    """
    lock(meal.event)
    meal = Meal.objects.select_related("event").get(pk=meal.pk)
    refuse_if_history(meal, now)
    # A seating made for other tables or rotations no longer fits: the organiser seats again.
    reseat = (list(tables), rotations) != (list(meal.tables), meal.rotations)
    cleared = reseat and meal.seats.exists()
    if cleared:
        meal.seats.all().delete()
    meal.name, meal.start, meal.tables, meal.rotations = name, start, list(tables), rotations
    meal.full_clean(exclude=["event"])
    meal.save()
    log(
        meal.event,
        actor,
        "meal changed",
        f"{meal.name}: {meal.tables}, {meal.rotations} rotations"
        + (", seating cleared" if cleared else ""),
    )
    return cleared


@transaction.atomic
def delete_meal(meal: Meal, *, actor: User, now: dt.datetime | None = None) -> None:
    """Delete a meal and its seating. Raises PastIsFrozen for a meal started with people seated."""
    lock(meal.event)
    meal = Meal.objects.select_related("event").get(pk=meal.pk)
    refuse_if_history(meal, now)
    log(meal.event, actor, "meal removed", meal.name)
    meal.delete()


def meal_problem(meal: Meal) -> dict[str, Any]:
    """The mixer problem of a meal: attendees, colleagues apart, a sponsor or two per table,
    known people apart, the pairs who both rated green before the meal seated together."""
    registrations = (
        meal.event.registrations.filter(status__in=PLANNED_STATUSES)
        .exclude(left_after__start__lt=meal.start)
        .select_related("member__organisation")
        .order_by("member_id")
    )
    ids = {r.member_id for r in registrations}
    organisation = {r.member_id: r.member.organisation_id for r in registrations}
    people = []
    for r in registrations:
        entry = {"id": person(r.member_id), "role": r.side}
        if r.member.organisation_id:
            entry["organization"] = str(r.member.organisation_id)
        people.append(entry)
    known = Connection.objects.filter(member_a__in=ids, member_b__in=ids)
    # A person in two green pairs cannot sit with both at one table of a first round: keep one.
    together: list[list[str]] = []
    seated: set[int] = set()
    for boss, sponsor in green_pairs(meal.event, before=meal.start):
        colleagues = organisation.get(boss) is not None and (
            organisation.get(boss) == organisation.get(sponsor)
        )
        if boss in ids and sponsor in ids and not colleagues and not {boss, sponsor} & seated:
            together.append([person(boss), person(sponsor)])
            seated |= {boss, sponsor}
    sponsors = sum(1 for r in registrations if r.side == "sponsor")
    rules: dict[str, Any] = {"separate_organizations": True}
    if sponsors:
        # Spread sponsors: at most their fair share per table, rounded up.
        share = -(-sponsors // len(meal.tables))
        rules["roles_per_table"] = {"sponsor": [0, share]}
    green_set = {frozenset(p) for p in together}
    return {
        "people": people,
        "tables": meal.tables,
        "rounds": meal.rotations,
        "known_pairs": [
            [person(c.member_a_id), person(c.member_b_id)]
            for c in known
            if frozenset((person(c.member_a_id), person(c.member_b_id))) not in green_set
        ],
        "together": together,
        "rules": rules,
    }


class SeatingOutdated(Exception):
    """The meal's tables or rotations changed while the mixer seated it: the seating no longer
    fits (the message says so to the organiser)."""


@dataclass(frozen=True)
class Seating:
    """A seating the mixer found for a meal, not saved yet: the problem it solved and its plan."""

    data: dict[str, Any]
    problem: Problem
    plan: Plan


def find_seating(
    meal: Meal, *, time_limit: float = 5.0, progress: Callable[[float], None] | None = None
) -> Seating:
    """Ask the mixer for the meal's seating; nothing is saved (``save_seating`` does).

    ``progress`` hears the share of the time limit spent, every so often; the mixer stops
    early once no seating can do better. Raises ProblemError when a rule cannot be met (e.g.
    more colleagues than tables): ``meals.refusals.refusal_in_words`` says it to the organiser.
    """
    data = meal_problem(meal)
    problem = parse_problem(data)
    plan = solve(problem, time_limit=time_limit, seed=0, progress=progress)
    return Seating(data, problem, plan)


@transaction.atomic
def save_seating(
    meal: Meal, seating: Seating, *, actor: User, now: dt.datetime | None = None
) -> MealStats:
    """Seat the meal's attendees as found, replacing any earlier plan; the plan's figures.

    A seating that still breaks a rule (no seating keeps them all, or none was found in time)
    is kept, with the broken rules and why in the stats' ``warnings``. Raises PastIsFrozen for
    a meal that has started with people seated (who sat with whom is history), and
    SeatingOutdated when the meal's tables or rotations changed since the seating was found.
    """
    lock(meal.event)
    refuse_if_history(meal, now)
    current = Meal.objects.filter(pk=meal.pk).values_list("tables", "rotations").first()
    if current is None or (list(current[0]), current[1]) != (
        list(seating.data["tables"]),
        seating.data["rounds"],
    ):
        raise SeatingOutdated(
            _("%(meal)s was changed while it was being seated: plan its tables again.")
            % {"meal": meal.name}
        )
    plan = seating.plan
    broken = validate(seating.problem, plan)
    meal.seats.all().delete()
    Seat.objects.bulk_create(
        Seat(
            meal=meal,
            rotation=position_number(r),
            table=position_number(t),
            member_id=member_of(pid),
        )
        for r, tables in enumerate(plan.rounds)
        for t, table in enumerate(tables)
        for pid in table
    )
    s = plan.stats
    stats = MealStats(
        s.new_pairs,
        s.new_pairs_bound,
        s.known_pairs_together,
        len(seating.data["together"]),
        broken=len(broken),
        warnings=tuple(seating_warnings(broken, plan.conflicts)) if broken else (),
    )
    log(
        meal.event,
        actor,
        "meal plan",
        f"{meal.name}: {s.new_pairs} new pairs of at most {s.new_pairs_bound}, "
        f"{stats.together} green pairs together"
        + (f", {len(broken)} broken rules" if broken else ""),
        params={
            "meal": meal.name,
            "new_pairs": s.new_pairs,
            "bound": s.new_pairs_bound,
            "together": stats.together,
            "broken": len(broken),
        },
    )
    return stats


def plan_meal(
    meal: Meal, *, actor: User, time_limit: float = 5.0, now: dt.datetime | None = None
) -> MealStats:
    """Seat the meal's attendees for every rotation now, replacing any earlier plan.

    The pages and the API seat a meal in the background (``meals.tasks.start_seating``);
    this is the same work at once, for the demo, the benchmarks and the tests. Raises
    ProblemError when a rule cannot be met and PastIsFrozen for a meal started with people
    seated; a seating that still breaks a rule is kept, with why in the stats' ``warnings``.
    """
    meal = Meal.objects.select_related("event").get(pk=meal.pk)  # its tables as they are now
    refuse_if_history(meal, now)
    return save_seating(meal, find_seating(meal, time_limit=time_limit), actor=actor, now=now)


def plan_figures(event: Event) -> dict[str, tuple[int, int]]:
    """Each meal's last plan as (new pairs, the most any seating could reach), by meal name,
    from the activity log in one query: how far the seating is from the best possible."""
    figures: dict[str, tuple[int, int]] = {}
    # Oldest first, so that a meal's latest plan wins.
    for params in (
        event.activity.filter(action="meal plan")
        .order_by("at", "id")
        .values_list("params", flat=True)
    ):
        if {"meal", "new_pairs", "bound"} <= set(params):
            figures[params["meal"]] = (params["new_pairs"], params["bound"])
    return figures


def seating_of(meal: Meal) -> list[list[list[Member]]]:
    """The meal's plan: for each rotation, the members at each table (empty before planning)."""
    if not meal.seats.exists():
        return []
    plan: list[list[list[Member]]] = [[[] for _ in meal.tables] for _ in range(meal.rotations)]
    for seat in meal.seats.select_related("member__organisation").order_by("member__last_name"):
        plan[seat.rotation - 1][seat.table - 1].append(seat.member)
    return plan


def tables_of(member: Member) -> list[tuple[Meal, int, int]]:
    """Every (meal, rotation, table) where the member is seated."""
    return [
        (seat.meal, seat.rotation, seat.table)
        for seat in Seat.objects.filter(Q(member=member))
        .select_related("meal")
        .order_by("meal__start", "rotation")
    ]
