"""Seating a meal is a background run: one at a time per meal, its progress on the meals page and
in the API, its result saved; a run whose worker died never blocks; a meal under way is history.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from serendip.events.models import ActivityLog
from serendip.events.services import PastIsFrozen
from serendip.meals import tasks
from serendip.meals.models import Meal, SeatingRun
from serendip.meals.services import (
    Seating,
    SeatingOutdated,
    change_meal,
    find_seating,
    plan_figures,
    plan_meal,
    save_seating,
)
from serendip.meals.tasks import seat_meal, start_seating
from serendip.programme import runs
from tests.factories import PASSWORD, MemberFactory, UserFactory
from tests.programme.seminar import Seminar, build_seminar

pytestmark = pytest.mark.django_db

Status = SeatingRun.Status
# A queue nobody works on: the run waits, as it does until a worker takes it in production.
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    # The mixer stops early at the bound; where it cannot, a second is enough here.
    monkeypatch.setattr(tasks, "SEATING_SECONDS", 1.0)


def _lunch(seminar: Seminar, **more: object) -> Meal:
    fields: dict[str, object] = {
        "name": "Lunch",
        "start": seminar.event.start + dt.timedelta(hours=3),
        "tables": [4, 4, 3],
        "rotations": 2,
    }
    return Meal.objects.create(event=seminar.event, **(fields | more))


def _organiser(seminar: Seminar, client: Client) -> object:
    user = UserFactory(is_staff=True)
    MemberFactory(user=user, side="staff", language="en")
    seminar.event.organisers.add(user)
    assert client.login(username=user.username, password=PASSWORD)
    return user


def test_a_run_seats_the_meal_and_keeps_its_figures() -> None:
    seminar = build_seminar()
    meal = _lunch(seminar)
    organiser = UserFactory(is_staff=True)
    run = start_seating(meal, actor=organiser)  # the immediate backend runs it at once
    assert run.status == Status.DONE and run.progress == 100 and run.finished is not None
    assert run.started_by == organiser and run.is_over and run.shown_step == ""
    assert meal.seats.filter(rotation=1).count() == len(seminar.bosses) + len(seminar.sponsors)
    assert 0 < run.new_pairs <= run.new_pairs_bound
    assert plan_figures(seminar.event) == {"Lunch": (run.new_pairs, run.new_pairs_bound)}
    assert run.broken_rules == 0 and run.warnings == [] and run.error == ""
    actions = list(
        ActivityLog.objects.filter(event=seminar.event)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["meal plan requested", "meal plan"]
    # Seating again is a new run, which replaces the seating.
    again = start_seating(meal, actor=organiser)
    assert again.pk != run.pk and again.status == Status.DONE
    assert meal.seating_runs.count() == 2


def test_the_mixer_progress_moves_the_bar_and_keeps_the_run_alive(settings) -> None:
    settings.TASKS = NO_WORKER
    meal = _lunch(build_seminar())
    run = start_seating(meal, actor=None)
    assert runs.claim(SeatingRun, run.pk, "starting")
    run.refresh_from_db()
    reporter = tasks._Reporter(run)
    before = run.heartbeat
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=30), tick=False):
        reporter(0.5)  # halfway through the mixer's time
    run.refresh_from_db()
    assert run.status == Status.RUNNING and run.step == "seating"
    assert run.progress == (tasks.SEARCH_FROM + tasks.SEARCH_TO) // 2
    assert run.heartbeat > before
    assert run.shown_step == "seating" and run.shown_status_label == "Planning"


def test_one_busy_run_per_meal_and_the_queued_one_is_answered(settings) -> None:
    settings.TASKS = NO_WORKER
    seminar = build_seminar()
    lunch, dinner = _lunch(seminar), _lunch(seminar, name="Dinner", tables=[6, 5])
    waiting = start_seating(lunch, actor=None)
    assert waiting.status == Status.QUEUED and not waiting.is_over
    assert start_seating(lunch, actor=None).pk == waiting.pk
    assert lunch.seating_runs.count() == 1
    # Another meal has its own run.
    assert start_seating(dinner, actor=None).pk != waiting.pk
    # A worker takes the waiting run and seats the meal.
    seat_meal.call(waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == Status.DONE and lunch.seats.exists()
    # A run already taken is not worked on twice.
    seat_meal.call(waiting.pk)
    assert ActivityLog.objects.filter(event=seminar.event, action="meal plan").count() == 1


def test_a_dead_run_shows_failed_and_seating_again_starts_afresh(settings, client) -> None:
    settings.TASKS = NO_WORKER
    seminar = build_seminar()
    _organiser(seminar, client)
    meal = _lunch(seminar)
    waiting = start_seating(meal, actor=None)
    working = SeatingRun.objects.create(meal=_lunch(seminar, name="Dinner"), status=Status.RUNNING)
    SeatingRun.objects.filter(pk=working.pk).update(heartbeat=timezone.now())
    late = timezone.now() + dt.timedelta(seconds=settings.SERENDIP_PLANNING_STALE_SECONDS + 1)
    with time_machine.travel(late, tick=False):
        working.refresh_from_db()
        assert working.is_dead and working.shown_status == Status.FAILED
        assert working.shown_error == "The planner stopped without finishing; start again."
        status = client.get(
            reverse("organise-meal-run", args=[seminar.event.slug, waiting.pk])
        ).json()
        assert status["status"] == "failed" and status["done"]
        assert "No planner picked the job up" in status["error"]
        page = client.get(reverse("organise-meals", args=[seminar.event.slug])).content.decode()
        assert "No planner picked the job up" in page and "<progress" not in page
        assert f'id="plan-meal-{meal.pk}"' in page  # the organiser can seat again
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        client.post(reverse("organise-meals", args=[seminar.event.slug]), {"plan": meal.pk})
    waiting.refresh_from_db()
    assert waiting.status == Status.FAILED and waiting.finished is not None
    fresh = meal.seating_runs.exclude(pk=waiting.pk).get()
    assert fresh.status == Status.DONE and meal.seats.exists()
    failed = ActivityLog.objects.get(event=seminar.event, action="meal plan failed")
    assert failed.params["meal"] == "Lunch" and "No planner" in failed.params["reason"]


def test_the_meals_page_shows_the_bar_then_the_result(settings, client) -> None:
    settings.TASKS = NO_WORKER
    seminar = build_seminar()
    _organiser(seminar, client)
    meal = _lunch(seminar)
    url = reverse("organise-meals", args=[seminar.event.slug])
    assert client.post(url, {"plan": meal.pk}).status_code == 302
    run = meal.seating_runs.get()
    page = client.get(url).content.decode()
    assert 'aria-label="Seating progress of Lunch"' in page and "Waiting" in page
    assert reverse("organise-meal-run", args=[seminar.event.slug, run.pk]) in page
    assert f'id="plan-meal-{meal.pk}"' not in page  # one run at a time
    assert "serendip/meal_seating.js" in page
    polled = client.get(reverse("organise-meal-run", args=[seminar.event.slug, run.pk])).json()
    assert polled == {
        "status": "queued",
        "progress": 0,
        "label": "Waiting",
        "step": "",
        "error": "",
        "done": False,
    }
    seat_meal.call(run.pk)
    run.refresh_from_db()
    page = client.get(url).content.decode()
    assert "<progress" not in page and f'id="plan-meal-{meal.pk}"' in page
    assert (
        f"Seated: {run.new_pairs} new pairs of at most {run.new_pairs_bound}, "
        f"{run.together} green pairs seated together." in page
    )
    assert client.get(reverse("organise-meal-run", args=[seminar.event.slug, run.pk])).json()[
        "done"
    ]


def test_a_meal_under_way_with_people_seated_is_not_seated_again(client) -> None:
    seminar = build_seminar()
    organiser = _organiser(seminar, client)
    meal = _lunch(seminar)
    plan_meal(meal, actor=organiser, time_limit=1)
    seated = list(meal.seats.values_list("member_id", "rotation", "table"))
    with time_machine.travel(meal.start + dt.timedelta(minutes=5), tick=False):
        with pytest.raises(PastIsFrozen):
            start_seating(meal, actor=organiser)
        with pytest.raises(PastIsFrozen):
            plan_meal(meal, actor=organiser, time_limit=1)
        url = reverse("organise-meals", args=[seminar.event.slug])
        assert f'id="plan-meal-{meal.pk}"' not in client.get(url).content.decode()
        page = client.post(url, {"plan": meal.pk}, follow=True).content.decode()
        assert "has started and its tables are seated" in page
    assert not meal.seating_runs.exists()
    assert list(meal.seats.values_list("member_id", "rotation", "table")) == seated


def test_the_api_queues_a_run_and_reads_it(settings) -> None:
    from tests.api.test_seminar_api import Api

    settings.TASKS = NO_WORKER
    seminar = build_seminar()
    organiser = MemberFactory(user__is_staff=True)
    seminar.event.organisers.add(organiser.user)
    desk = Api(organiser)
    meal = _lunch(seminar)
    slug = seminar.event.slug
    queued = desk.send("post", f"/events/{slug}/meals/{meal.pk}/seating", status=202)
    assert (queued["status"], queued["progress"], queued["done"]) == ("queued", 0, False)
    assert queued["meal_id"] == meal.pk and queued["new_pairs"] is None
    # Asked again while it waits: the same run.
    assert desk.send("post", f"/events/{slug}/meals/{meal.pk}/seating", status=202) == queued
    seat_meal.call(queued["id"])
    done = desk.get(f"/events/{slug}/meals/{meal.pk}/seating-runs/{queued['id']}")
    assert done["status"] == "done" and done["done"] and done["progress"] == 100
    assert 0 < done["new_pairs"] <= done["new_pairs_bound"] and done["warnings"] == []
    assert done["finished"] is not None and done["broken_rules"] == 0
    other = _lunch(seminar, name="Dinner")
    desk.get(f"/events/{slug}/meals/{other.pk}/seating-runs/{queued['id']}", status=404)
    Api(seminar.bosses[0]).get(
        f"/events/{slug}/meals/{meal.pk}/seating-runs/{queued['id']}", status=403
    )
    with time_machine.travel(meal.start + dt.timedelta(minutes=5), tick=False):
        refused = desk.send("post", f"/events/{slug}/meals/{meal.pk}/seating", status=409)
        assert "Lunch has started" in refused["detail"]


def test_the_bar_and_the_result_read_in_french(settings, client) -> None:
    settings.TASKS = NO_WORKER
    seminar = build_seminar()
    user = UserFactory(is_staff=True)
    MemberFactory(user=user, side="staff", language="fr")
    seminar.event.organisers.add(user)
    assert client.login(username=user.username, password=PASSWORD)
    meal = _lunch(seminar)
    url = reverse("organise-meals", args=[seminar.event.slug])
    headers = {"Accept-Language": "fr"}
    client.post(url, {"plan": meal.pk}, headers=headers)
    run = meal.seating_runs.get()
    page = client.get(url, headers=headers).content.decode()
    assert 'aria-label="Avancement du plan de table de Lunch"' in page
    runs.claim(SeatingRun, run.pk, "starting")
    runs.step(run, 50, "seating")
    polled = client.get(
        reverse("organise-meal-run", args=[seminar.event.slug, run.pk]), headers=headers
    ).json()
    assert (polled["label"], polled["step"], polled["progress"]) == (
        "Planification",
        "placement",
        50,
    )
    SeatingRun.objects.filter(pk=run.pk).update(status=Status.QUEUED)
    seat_meal.call(run.pk)  # the worker speaks the organiser's language
    run.refresh_from_db()
    page = client.get(url, headers=headers).content.decode()
    assert f"Placé : {run.new_pairs} nouvelles paires sur {run.new_pairs_bound} au plus" in page


def test_a_meal_changed_while_it_was_seated_keeps_no_outdated_seating(
    settings, monkeypatch
) -> None:
    settings.TASKS = NO_WORKER
    seminar = build_seminar()
    organiser = UserFactory(is_staff=True)
    meal = _lunch(seminar)
    seating = find_seating(meal, time_limit=1)
    change_meal(meal, name="Lunch", start=meal.start, tables=[6, 6], rotations=1, actor=organiser)
    with pytest.raises(SeatingOutdated):
        save_seating(meal, seating, actor=organiser)
    assert not meal.seats.exists()

    # In a run: the organiser changes the tables while the mixer seats the meal.
    run = start_seating(meal, actor=organiser)

    def changed_meanwhile(meal: Meal, **kwargs: object) -> Seating:
        found = find_seating(meal, **kwargs)
        change_meal(meal, name="Lunch", start=meal.start, tables=[4, 4, 4], rotations=2, actor=None)
        return found

    monkeypatch.setattr(tasks, "find_seating", changed_meanwhile)
    with translation.override("en"):  # the organiser has no language of their own
        seat_meal.call(run.pk)
    run.refresh_from_db()
    assert run.status == Status.FAILED and "was changed while it was being seated" in run.error
    assert not meal.seats.exists()
