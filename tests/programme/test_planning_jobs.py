"""Planning jobs survive crashes: a run always ends done or failed, and a dead one never blocks.

The crash test runs the job in a real ``serendip db_worker`` process against the test
database (SQLite file or PostgreSQL), kills it with SIGKILL mid-search, and plans again.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serendip.events.models import ActivityLog
from serendip.programme import tasks
from serendip.programme.models import Meeting, PlanningRun
from serendip.programme.tasks import start_planning
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import build_seminar

# The server and workers are other processes on the machine's clock: so is the test.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("machine_clock")]

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Generous: a loaded CI machine may take long to start a worker; the polls end as soon as
# the database shows what they wait for.
PATIENCE = 120.0

# A worker whose engine searches for its whole time limit (SERENDIP_PLANNING_SECONDS, set
# far beyond the test): the real ``db_worker`` command, so the kill always lands mid-search.
SLOW_WORKER = """
import time

import django

django.setup()
from django.core.management import call_command

from serendip.programme import tasks

real_solve = tasks.solve


def slow_solve(problem, *, time_limit, seed):
    time.sleep(time_limit)
    return real_solve(problem, time_limit=1, seed=seed)


tasks.solve = slow_solve
call_command("db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1")
"""


def database_url() -> str:
    """The test database as a DATABASE_URL, for the worker processes."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker on the test database and the database queue."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "serendip.settings",
        "DATABASE_URL": database_url(),
        "SERENDIP_TASKS_BACKEND": DATABASE_QUEUE["default"]["BACKEND"],
        "SERENDIP_SECRET_KEY": django_settings.SECRET_KEY,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        **extra,
    }


def wait_for(what: str, ready: Callable[[], bool], worker: subprocess.Popen[bytes]) -> None:
    """Poll the database until ``ready()``; fail with the worker's output if it died first."""
    deadline = time.monotonic() + PATIENCE
    while not ready():
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"waited {PATIENCE}s for {what}")
        time.sleep(0.05)


@pytest.fixture
def organiser() -> Client:
    """A signed-in superuser: they organise every event."""
    user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def slow_worker() -> Iterator[subprocess.Popen[bytes]]:
    """A database worker whose engine searches for ten minutes; killed at the end if alive."""
    with tempfile.TemporaryFile() as output:
        worker = subprocess.Popen(
            [sys.executable, "-c", SLOW_WORKER],
            env=worker_env(SERENDIP_PLANNING_SECONDS="600", SERENDIP_PLANNING_STALE_SECONDS="2"),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield worker
        finally:
            if worker.poll() is None:
                worker.kill()
            worker.wait()
            output.seek(0)
            print(output.read().decode(errors="replace"))  # shown by pytest when a test fails


def test_a_killed_worker_leaves_a_dead_run_that_no_longer_blocks_planning(
    settings, organiser, slow_worker
):
    settings.TASKS = DATABASE_QUEUE
    seminar = build_seminar()
    event = seminar.event
    run = start_planning(event, actor=None)
    assert run.status == PlanningRun.Status.QUEUED  # nobody but the worker runs it

    def beating() -> bool:
        run.refresh_from_db()
        return run.status == PlanningRun.Status.RUNNING and run.progress == 30

    wait_for("the run reached the search", beating, slow_worker)
    first_beat = run.heartbeat
    # The engine offers no progress callback: the job beats from a thread while it searches.
    wait_for(
        "a heartbeat during the search",
        lambda: beating() and run.heartbeat > first_beat,
        slow_worker,
    )

    os.kill(slow_worker.pid, signal.SIGKILL)
    slow_worker.wait()
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.RUNNING  # what the killed worker left behind

    # Within the stale threshold the run may just be slow: planning again waits for it.
    assert start_planning(event, actor=None).pk == run.pk

    later = timezone.now() + dt.timedelta(seconds=settings.SERENDIP_PLANNING_STALE_SECONDS + 1)
    with time_machine.travel(later, tick=True):
        status = organiser.get(reverse("organise-run", args=[event.slug, run.pk])).json()
        assert status["status"] == "failed" and status["done"]
        assert "stopped without finishing" in status["error"]
        page = organiser.get(reverse("organise", args=[event.slug])).content.decode()
        assert 'data-status="failed"' in page
        assert "The planner stopped without finishing; start again." in page
        assert 'id="plan-button">Plan again<' in page

        organiser.post(reverse("organise-plan", args=[event.slug]))

    run.refresh_from_db()
    assert run.status == PlanningRun.Status.FAILED and run.finished is not None
    assert run.error == "The planner stopped without finishing; start again."
    assert ActivityLog.objects.filter(event=event, action="plan failed").exists()
    again = event.planning_runs.exclude(pk=run.pk).get()
    assert again.status == PlanningRun.Status.QUEUED

    # A fresh worker (the real command) takes the new run and finishes it.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "serendip.cli",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
        ],
        env=worker_env(SERENDIP_PLANNING_SECONDS="2"),
        check=True,
        timeout=PATIENCE,
        capture_output=True,
    )
    again.refresh_from_db()
    assert again.status == PlanningRun.Status.DONE, again.error
    assert again.meetings == Meeting.objects.filter(event=event).count() > 0


def test_an_unexpected_error_fails_the_run_and_planning_starts_again(monkeypatch, caplog):
    seminar = build_seminar()

    def broken_solve(*args: object, **kwargs: object) -> None:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(tasks, "solve", broken_solve)
    run = start_planning(seminar.event, actor=None)  # the immediate backend runs it at once
    assert run.status == PlanningRun.Status.FAILED and run.finished is not None
    assert "unexpected error; start again" in run.error
    assert "engine bug" not in run.error  # the organiser reads words, not the traceback
    assert any(
        r.name == "serendip.programme.tasks" and r.exc_info and "engine bug" in str(r.exc_info[1])
        for r in caplog.records
    )
    assert ActivityLog.objects.filter(event=seminar.event, action="plan failed").exists()

    monkeypatch.undo()
    again = start_planning(seminar.event, actor=None)
    assert again.pk != run.pk
    assert again.status == PlanningRun.Status.DONE, again.error
    assert again.meetings == Meeting.objects.filter(event=seminar.event).count() > 0


def test_a_run_that_stopped_beating_is_given_up_only_after_the_threshold(settings):
    seminar = build_seminar()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    waiting = start_planning(seminar.event, actor=None)  # queued, and no worker ever takes it
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=60), tick=False):
        assert not waiting.is_dead
        assert start_planning(seminar.event, actor=None).pk == waiting.pk
    later = timezone.now() + dt.timedelta(seconds=settings.SERENDIP_PLANNING_STALE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert waiting.is_dead and waiting.shown_status == PlanningRun.Status.FAILED
        fresh = start_planning(seminar.event, actor=None)
    waiting.refresh_from_db()
    assert fresh.pk != waiting.pk and fresh.status == PlanningRun.Status.QUEUED
    assert waiting.status == PlanningRun.Status.FAILED
    assert "No planner picked the job up" in waiting.error


def test_a_planner_whose_run_was_given_up_saves_nothing(settings, monkeypatch):
    seminar = build_seminar()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    run = start_planning(seminar.event, actor=None)
    real_solve = tasks.solve

    def given_up_meanwhile(problem, **kwargs):
        # The worker was silent so long that an organiser planned again meanwhile.
        PlanningRun.objects.filter(pk=run.pk).update(status=PlanningRun.Status.FAILED)
        return real_solve(problem, **kwargs)

    monkeypatch.setattr(tasks, "solve", given_up_meanwhile)
    tasks.plan_programme.call(run.pk)
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.FAILED
    assert not Meeting.objects.filter(event=seminar.event).exists()

    # A worker that takes a run only after it was given up does nothing at all.
    late = start_planning(seminar.event, actor=None)
    PlanningRun.objects.filter(pk=late.pk).update(status=PlanningRun.Status.FAILED)
    tasks.plan_programme.call(late.pk)
    late.refresh_from_db()
    assert late.status == PlanningRun.Status.FAILED and late.step == ""
