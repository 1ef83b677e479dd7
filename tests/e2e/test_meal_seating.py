"""Seating a meal in a real browser: the bar shows while the run waits for a worker, and the page
shows the seating's result by itself once a worker has seated the meal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from serendip.meals import tasks
from serendip.meals.models import Meal, SeatingRun
from tests.e2e.test_seminar_day import sign_in
from tests.factories import UserFactory
from tests.programme.seminar import build_seminar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_meals_page_follows_a_seating_run_until_it_is_done(
    live_server: object, page: Page, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A queue nobody works on until the test plays the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(tasks, "SEATING_SECONDS", 1.0)
    seminar = build_seminar(bosses=6, sponsors=3)
    organiser = UserFactory(is_staff=True)
    seminar.event.organisers.add(organiser)
    meal = Meal.objects.create(
        event=seminar.event,
        name="Lunch",
        start=seminar.event.start + dt.timedelta(hours=3),
        tables=[4, 4, 3],
        rotations=2,
    )
    base = str(live_server)
    sign_in(page, base, organiser.email)
    page.goto(f"{base}/organise/{seminar.event.slug}/meals/")
    page.get_by_role("button", name="Plan the tables").click()
    bar = page.get_by_label("Seating progress of Lunch")
    expect(bar).to_be_visible()
    expect(page.get_by_role("button", name="Plan the tables")).to_have_count(0)

    run = SeatingRun.objects.get(meal=meal)
    tasks.seat_meal.call(run.pk)  # a worker seats the meal; the page polls and reloads
    run.refresh_from_db()
    expect(page.get_by_text(f"Seated: {run.new_pairs} new pairs of at most")).to_be_visible()
    expect(bar).to_have_count(0)
    expect(page.get_by_role("button", name="Plan again")).to_be_visible()
