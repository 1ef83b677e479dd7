"""Meals in the API: the event's meals, adding one, seating it with the mixer, the seating.

The organisers add and seat meals, as on their meals page (the same form's rules); members see
the event's meals, and their own tables in their agenda (``listMyAgenda``).
"""

from __future__ import annotations

from typing import Any

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
from serendip.engines.mixer import ProblemError
from serendip.meals.models import Meal
from serendip.meals.services import add_meal, plan_meal, seating_of

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


@router.post(
    "/events/{slug}/meals",
    response=schemas.write_answers(s.MealOut, status=201),
    operation_id="createMeal",
)
def post_meal(request: HttpRequest, slug: Slug, data: s.MealIn) -> Status[dict[str, Any]]:
    """Add a meal (organisers): its name, start, seats per table and rotations."""
    # The organisers' form holds the rules (a seat for everyone expected...): the same here.
    from serendip.web.organise_forms import MealForm

    event = _organised(request, slug)
    form = MealForm(
        {
            "name": data.name,
            "start": timezone.localtime(data.start).strftime("%Y-%m-%dT%H:%M"),
            "tables": ", ".join(str(n) for n in data.tables),
            "rotations": data.rotations,
        },
        event=event,
    )
    if not form.is_valid():
        raise HttpError(
            422,
            "; ".join(
                f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()
            ),
        )
    meal = add_meal(event, actor=request.user, **form.cleaned_data)
    return Status(201, _meal(meal, seated=False))


@router.post(
    "/events/{slug}/meals/{meal_id}/seating",
    response=schemas.write_answers(s.MealPlanOut),
    operation_id="planMealSeating",
)
def post_seating(request: HttpRequest, slug: Slug, meal_id: Id) -> dict[str, Any]:
    """Seat the meal with the mixer, replacing any earlier seating (organisers).

    422 when the tables and rotations cannot seat everyone by the rules.
    """
    event = _organised(request, slug)
    meal = get_object_or_404(Meal, pk=meal_id, event=event)
    try:
        stats = plan_meal(meal, actor=request.user)
    except ProblemError as refused:
        raise HttpError(
            422, "The tables of this meal cannot be planned: check its tables and rotations."
        ) from refused
    return {
        "new_pairs": stats.new_pairs,
        "new_pairs_bound": stats.new_pairs_bound,
        "known_together": stats.known_together,
        "together": stats.together,
    }


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
