"""The meals page shows how far each seated meal's last plan is from the best possible."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from serendip.events.models import ActivityLog
from serendip.meals.models import Meal
from serendip.meals.services import add_meal, plan_figures
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import build_seminar

pytestmark = pytest.mark.django_db


def test_the_meals_page_shows_the_last_plan_against_the_bound(client) -> None:
    seminar = build_seminar()
    organiser = UserFactory(is_staff=True)
    seminar.event.organisers.add(organiser)
    client.login(username=organiser.username, password=PASSWORD)
    add_meal(
        seminar.event,
        name="Lunch",
        start=timezone.now(),
        tables=[4, 4, 3],
        rotations=2,
        actor=organiser,
    )
    meal = Meal.objects.get(event=seminar.event)
    url = reverse("organise-meals", args=[seminar.event.slug])
    assert "Last plan" not in client.get(url).content.decode()
    client.post(url, {"plan": meal.pk})
    params = ActivityLog.objects.get(event=seminar.event, action="meal plan").params
    new, bound = params["new_pairs"], params["bound"]
    assert 0 < new <= bound
    assert plan_figures(seminar.event) == {"Lunch": (new, bound)}
    page = client.get(url).content.decode()
    share = round(100 * new / bound)
    assert (
        f"Last plan: {new} new pairs of at most {bound} ({share}% of the most any seating "
        "could reach)." in page
    )
