"""Meals in the API: the event's meals, adding one, seating it with the mixer (a background
run, polled), the seating.

The organisers add and seat meals, as on their meals page (the same form's rules); members see
the event's meals, and their own tables in their agenda (``listMyAgenda``).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from serendip.api import schemas
from serendip.api import seminar_schemas as s
from serendip.api.schemas import Id, Slug
from serendip.api.seminar import _event, _organised, _person
from serendip.events.models import Event
from serendip.events.services import PastIsFrozen
from serendip.meals.models import Meal, SeatingRun
from serendip.meals.services import add_meal, change_meal, delete_meal, seating_of
from serendip.meals.tasks import start_seating

router: Router = Router(tags=["meals"])


def _meal(meal: Meal, *, seated: bool | None = None) -> dict[str, Any]:
    return {
        "id": meal.pk,
        "name": meal.name,
        "start": meal.start,
        "tables": list(meal.tables),
        "rotations": meal.rotations,
        "seated": meal.seats.exists() if seated is None else seated,
    }


@router.get(
    "/events/{slug}/meals", response=schemas.answers(list[s.MealOut]), operation_id="listMeals"
)
def list_meals(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """The event's meals, in order."""
    event = _event(slug)
    seated = set(event.meals.filter(seats__isnull=False).values_list("pk", flat=True).distinct())
    return [_meal(m, seated=m.pk in seated) for m in event.meals.order_by("start", "id")]


def _checked(event: Event, data: s.MealIn, meal: Meal | None = None) -> dict[str, Any]:
    """The meal's fields checked by the organisers' form (a seat for everyone expected...)."""
    from serendip.web.organise_forms import MealForm

    form = MealForm(
        {
            "name": data.name,
            # The form reads the venue's wall-clock time.
            "start": timezone.localtime(data.start, ZoneInfo(event.timezone)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "tables": ", ".join(str(n) for n in data.tables),
            "rotations": data.rotations,
        },
        instance=meal,
        event=event,
    )
    if not form.is_valid():
        raise HttpError(
            422,
            "; ".join(
                f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()
            ),
        )
    return dict(form.cleaned_data)


@router.post(
    "/events/{slug}/meals",
    response=schemas.write_answers(s.MealOut, status=201),
    operation_id="createMeal",
)
def post_meal(request: HttpRequest, slug: Slug, data: s.MealIn) -> Status[dict[str, Any]]:
    """Add a meal (organisers): its name, start, seats per table and rotations."""
    event = _organised(request, slug)
    meal = add_meal(event, actor=request.user, **_checked(event, data))
    return Status(201, _meal(meal, seated=False))


@router.put(
    "/events/{slug}/meals/{meal_id}",
    response=schemas.write_answers(s.MealChangedOut),
    operation_id="changeMeal",
)
def put_meal(request: HttpRequest, slug: Slug, meal_id: Id, data: s.MealIn) -> dict[str, Any]:
    """Change a meal (organisers); new tables or rotations clear its seating (seat it again).

    409 for a meal that has started with people seated: who sat with whom is history.
    """
    event = _organised(request, slug)
    meal = get_object_or_404(Meal, pk=meal_id, event=event)
    fields = _checked(event, data, meal)
    try:
        cleared = change_meal(meal, actor=request.user, **fields)
    except PastIsFrozen as refused:
        raise HttpError(409, str(refused)) from refused
    meal.refresh_from_db()
    return {**_meal(meal), "seating_cleared": cleared}


@router.delete(
    "/events/{slug}/meals/{meal_id}",
    response=schemas.write_answers(None, status=204),
    operation_id="deleteMeal",
)
def delete_meal_op(request: HttpRequest, slug: Slug, meal_id: Id) -> Status[None]:
    """Delete a meal and its seating (organisers); 409 once it has started with people seated."""
    event = _organised(request, slug)
    meal = get_object_or_404(Meal, pk=meal_id, event=event)
    try:
        delete_meal(meal, actor=request.user)
    except PastIsFrozen as refused:
        raise HttpError(409, str(refused)) from refused
    return Status(204, None)


def _run(run: SeatingRun) -> dict[str, Any]:
    status = run.shown_status
    return {
        "id": run.pk,
        "meal_id": run.meal_id,
        "status": status,
        "label": run.shown_status_label,
        "progress": run.progress,
        "step": run.shown_step,
        "done": run.is_over,
        "error": run.shown_error if status == SeatingRun.Status.FAILED else "",
        "warnings": list(run.warnings),
        **{
            name: getattr(run, name)
            for name in (
                "new_pairs",
                "new_pairs_bound",
                "known_together",
                "together",
                "broken_rules",
                "created",
                "finished",
            )
        },
    }


@router.post(
    "/events/{slug}/meals/{meal_id}/seating",
    response=schemas.write_answers(s.SeatingRunOut, status=202),
    operation_id="planMealSeating",
)
def post_seating(request: HttpRequest, slug: Slug, meal_id: Id) -> Status[dict[str, Any]]:
    """Seat the meal with the mixer in the background, replacing any earlier seating
    (organisers); poll the run with ``getMealSeatingRun`` until ``done``.

    A run already waiting or running for the meal is answered instead of a new one. A run
    fails, saying why, when the tables and rotations cannot seat everyone by the rules; a
    seating that still breaks a rule (none keeps them all) is kept: ``broken_rules`` and
    ``warnings`` say which and why. 409 for a meal that has started with people seated.
    """
    event = _organised(request, slug)
    meal = get_object_or_404(Meal, pk=meal_id, event=event)
    try:
        run = start_seating(meal, actor=request.user)
    except PastIsFrozen as refused:
        raise HttpError(409, str(refused)) from refused
    return Status(202, _run(run))


@router.get(
    "/events/{slug}/meals/{meal_id}/seating-runs/{seating_run_id}",
    response=schemas.answers(s.SeatingRunOut),
    operation_id="getMealSeatingRun",
)
def get_seating_run(
    request: HttpRequest, slug: Slug, meal_id: Id, seating_run_id: Id
) -> dict[str, Any]:
    """A seating run's progress and, once done, the seating's figures (organisers)."""
    event = _organised(request, slug)
    return _run(
        get_object_or_404(SeatingRun, pk=seating_run_id, meal_id=meal_id, meal__event=event)
    )


@router.get(
    "/events/{slug}/meals/{meal_id}/seating",
    response=schemas.answers(s.SeatingOut),
    operation_id="getMealSeating",
)
def get_seating(request: HttpRequest, slug: Slug, meal_id: Id) -> dict[str, Any]:
    """Who sits at each table in each rotation (organisers; empty before seating)."""
    event = _organised(request, slug)
    meal = get_object_or_404(Meal, pk=meal_id, event=event)
    rotations = seating_of(meal)
    return {
        "meal": _meal(meal, seated=bool(rotations)),
        "rotations": [[[_person(m) for m in table] for table in tables] for tables in rotations],
    }
