"""The day page under load: a re-plan is queued and followed on the page, a check-in is
answered in place (issues 15 and 20: the organiser's clicks must not hold the servers)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from serendip.events.models import RegistrationStatus
from serendip.events.services import set_attendance
from serendip.programme import tasks
from serendip.programme.models import Meeting, PlanningRun
from serendip.programme.planning import publish
from serendip.programme.tasks import start_planning
from tests.factories import UserFactory
from tests.programme.seminar import build_seminar

pytestmark = pytest.mark.django_db

# Rounds start at 9:00, 9:10, 9:20... (7 minutes + 3 to change); round 3 is under way.
START = dt.datetime(2031, 3, 11, 9, 0, tzinfo=dt.UTC)
DURING_ROUND_3 = START + dt.timedelta(minutes=23)
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def seminar():
    """A seminar planned and published the day before, six rounds, round 3 under way."""
    with time_machine.travel(START - dt.timedelta(days=1), tick=False):
        seminar = build_seminar(bosses=10, sponsors=3, rounds=6, tables=4, start=START)
        run = start_planning(seminar.event, actor=None)
        assert run.status == PlanningRun.Status.DONE, run.error
        publish(seminar.event, actor=None)
    with time_machine.travel(DURING_ROUND_3, tick=False):
        yield seminar


@pytest.fixture
def desk(client):
    """The organiser at the check-in desk, signed in."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def programme(seminar, *, through: int = 6) -> set[tuple]:
    """The meetings of the rounds up to ``through``, row by row."""
    return set(
        Meeting.objects.filter(event=seminar.event, round__number__lte=through).values_list(
            "pk", "round__number", "table", "boss_id", "sponsor_id"
        )
    )


def test_the_replan_is_queued_and_the_request_replans_nothing(
    seminar, desk, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = NO_WORKER  # a worker would take the job later: none does here
    absent = seminar.bosses[0]
    set_attendance(seminar.registration(absent), RegistrationStatus.NO_SHOW, actor=None)
    before = programme(seminar)
    day = reverse("organise-day", args=[seminar.event.slug])
    answer = desk.post(reverse("organise-replan", args=[seminar.event.slug]), {"from_round": 5})
    assert answer.status_code == 302 and answer["Location"] == f"{day}#run"
    run = PlanningRun.objects.get(event=seminar.event, from_round=5)
    assert run.status == PlanningRun.Status.QUEUED
    assert programme(seminar) == before  # nothing re-planned in the request

    # The day page shows the run waiting, polled by planning.js as on the dashboard.
    page = desk.get(day).content.decode()
    assert reverse("organise-run", args=[seminar.event.slug, run.pk]) in page
    assert 'data-status="queued"' in page and "Waiting" in page
    assert "serendip/planning.js" in page

    # The worker re-plans from the round asked for: round 4's freed slot stays free.
    settings.TASKS = AT_ONCE  # the letters it queues are sent at once
    with django_capture_on_commit_callbacks(execute=True):
        tasks.plan_programme.call(run.pk)
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.DONE, run.error
    assert (run.from_round, run.progress) == (5, 100)
    assert programme(seminar, through=4) == {m for m in before if m[1] <= 4}
    later = Meeting.objects.filter(event=seminar.event, round__number__gte=5)
    assert later.exists() and not later.filter(boss=absent).exists()
    assert run.people_told is not None and len(mail.outbox) == run.people_told
    page = desk.get(day).content.decode()
    said = f"Re-planned from round 5: {run.moved} meetings moved, {run.people_told} people told."
    assert said in page and 'data-status="done"' in page


def test_a_round_that_has_started_is_refused_with_the_round_to_replan_from(seminar, desk):
    before = programme(seminar)
    answer = desk.post(
        reverse("organise-replan", args=[seminar.event.slug]), {"from_round": 2}, follow=True
    )
    assert "round 2 has started: re-plan from round 4" in answer.content.decode()
    assert not PlanningRun.objects.filter(event=seminar.event, from_round__isnull=False).exists()
    assert programme(seminar) == before


def test_a_second_replan_while_one_waits_says_so(seminar, desk, settings):
    settings.TASKS = NO_WORKER
    url = reverse("organise-replan", args=[seminar.event.slug])
    desk.post(url, {"from_round": 4})
    answer = desk.post(url, {"from_round": 5}, follow=True)
    assert "A planning run is already under way (Waiting)" in answer.content.decode()
    assert list(seminar.event.planning_runs.busy().values_list("from_round", flat=True)) == [4]


def test_the_replan_runs_at_once_without_a_worker_and_the_page_says_what_changed(seminar, desk):
    set_attendance(seminar.registration(seminar.bosses[1]), RegistrationStatus.NO_SHOW, actor=None)
    answer = desk.post(
        reverse("organise-replan", args=[seminar.event.slug]), {"from_round": 4}, follow=True
    )
    run = seminar.event.planning_runs.first()
    assert run.status == PlanningRun.Status.DONE and run.from_round == 4, run.error
    assert re.search(
        r"Re-planned from round 4: \d+ meetings moved, \d+ people told\.", answer.content.decode()
    )


def test_the_eves_planning_is_the_dashboards_not_the_day_pages(seminar, desk):
    page = desk.get(reverse("organise-day", args=[seminar.event.slug])).content.decode()
    assert 'id="run"' not in page and "Re-planned" not in page


def test_a_check_in_sent_by_the_page_is_answered_in_json_for_the_row(seminar, desk):
    registration = seminar.registration(seminar.bosses[2])
    day = reverse("organise-day", args=[seminar.event.slug]) + "?q=x"
    answer = desk.post(
        day,
        {"registration": registration.pk, "status": "checked_in"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 200
    reply = answer.json()
    assert reply["message"] == f"{seminar.bosses[2]}: Checked in"
    assert (reply["registration"], reply["attendance"], reply["label"]) == (
        registration.pk,
        "checked_in",
        "Checked in",
    )
    assert reply["counts"]["checked_in"] == 1 and reply["counts"]["confirmed"] == 12
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CHECKED_IN

    left = desk.post(
        day,
        {"registration": registration.pk, "status": "left_early", "left_after": "3"},
        HTTP_ACCEPT="application/json",
    ).json()
    assert left["label"] == "Left early (3)" and left["counts"]["left_early"] == 1


def test_a_check_in_refused_in_place_says_why_and_changes_nothing(seminar, desk):
    registration = seminar.registration(seminar.bosses[2])
    day = reverse("organise-day", args=[seminar.event.slug])
    json = {"HTTP_ACCEPT": "application/json"}
    no_round = desk.post(day, {"registration": registration.pk, "status": "left_early"}, **json)
    unknown = desk.post(day, {"registration": registration.pk, "status": "asleep"}, **json)
    assert no_round.status_code == 400
    assert no_round.json() == {"error": "Say after which round they left."}
    assert unknown.status_code == 400 and unknown.json() == {"error": "Unknown status."}
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_check_in_without_script_still_comes_back_to_the_row(seminar, desk):
    registration = seminar.registration(seminar.bosses[2])
    day = reverse("organise-day", args=[seminar.event.slug]) + "?status=confirmed"
    answer = desk.post(day, {"registration": registration.pk, "status": "checked_in"})
    assert answer.status_code == 302
    assert answer["Location"] == f"{day}#registration-{registration.pk}"
    page = desk.get(answer["Location"]).content.decode()
    assert f"{seminar.bosses[2]}: Checked in" in page
