"""The meals' services on their own, without a page: what may change once a meal has begun."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from serendip.events.services import PastIsFrozen
from serendip.meals.models import Meal
from serendip.meals.services import change_meal, delete_meal, plan_meal
from serendip.programme.models import Meeting
from tests.factories import UserFactory
from tests.programme.seminar import build_seminar

pytestmark = pytest.mark.django_db


def _lunch(seminar, start: dt.datetime) -> Meal:
    return Meal.objects.create(
        event=seminar.event, name="Lunch", start=start, tables=[4, 4, 4], rotations=2
    )


def test_a_meal_not_seated_can_still_be_deleted_after_its_start() -> None:
    seminar = build_seminar()
    meal = _lunch(seminar, seminar.event.start + dt.timedelta(hours=3))
    with time_machine.travel(meal.start + dt.timedelta(minutes=5), tick=False):
        delete_meal(meal, actor=UserFactory(is_staff=True))
    assert not Meal.objects.filter(pk=meal.pk).exists()
    assert not Meeting.objects.filter(event=seminar.event).exists()


def test_a_seated_meal_under_way_is_neither_changed_nor_deleted() -> None:
    seminar = build_seminar()
    organiser = UserFactory(is_staff=True)
    meal = _lunch(seminar, seminar.event.start + dt.timedelta(hours=3))
    plan_meal(meal, actor=organiser)
    with time_machine.travel(meal.start + dt.timedelta(minutes=5), tick=False):
        with pytest.raises(PastIsFrozen):
            delete_meal(meal, actor=organiser)
        with pytest.raises(PastIsFrozen):
            change_meal(
                meal, name="x", start=meal.start, tables=[6, 6], rotations=1, actor=organiser
            )
    meal.refresh_from_db()
    assert meal.name == "Lunch" and meal.seats.exists()
