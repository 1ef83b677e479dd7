"""Running the club for real: health, request ids in JSON logs, SQLite's journal, the worker
command, static files collected once, periodic jobs sent once per period, letters as jobs."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from gunicorn.config import Config as GunicornConfig

from serendip.programme.agenda import after_commit
from serendip.programme.letters import send_day_before
from serendip.programme.planning import publish
from serendip.programme.tasks import warm_event_briefs
from serendip.web import checks, gunicorn_log, periodic
from serendip.web.management.commands import serve, worker
from serendip.web.models import PeriodicRun
from tests.factories import MemberFactory
from tests.programme.seminar import build_seminar, plan_beforehand

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def json_lines(text: str) -> list[dict[str, Any]]:
    """The JSON log lines among what was written to standard output."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.mark.django_db
def test_health_answers_ok_for_the_database_and_the_queue(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok", "workers": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_health_says_the_workers_are_late_when_a_due_job_waits_untaken(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        warm_event_briefs.enqueue(1)  # no worker runs in this test: the job waits
        later = warm_event_briefs.using(run_after=start + dt.timedelta(minutes=10))
        later.enqueue(2)  # not due for ten minutes: nobody is late for it
    with time_machine.travel(start + dt.timedelta(seconds=100), tick=False):
        assert Client().get("/healthz").json()["workers"] == "ok"
    with time_machine.travel(start + dt.timedelta(seconds=130), tick=False):
        response = Client().get("/healthz")
    # The web server serves: a load balancer keeps it; monitoring sees the workers late.
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "queue": "ok",
        "workers": "late",
    }
    (first,) = [job for job in DBTaskResult.objects.all() if job.args_kwargs["args"] == [1]]
    DBTaskResult.objects.filter(pk=first.pk).update(status=TaskResultStatus.RUNNING)
    with time_machine.travel(start + dt.timedelta(seconds=130), tick=False):
        assert Client().get("/healthz").json()["workers"] == "ok"
    with time_machine.travel(start + dt.timedelta(minutes=10, seconds=130), tick=False):
        assert Client().get("/healthz").json()["workers"] == "late"


@pytest.mark.django_db
def test_health_is_503_when_the_queue_cannot_be_read(settings: Any, monkeypatch: Any) -> None:
    settings.TASKS = DATABASE_QUEUE

    def unreadable(*args: object, **kwargs: object) -> bool:
        raise DatabaseError("relation does not exist")

    monkeypatch.setattr(DBTaskResult.objects, "exists", unreadable)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "database": "ok",
        "queue": "failing",
        "workers": "unknown",
    }


@pytest.mark.django_db
def test_each_request_gets_an_id_that_its_log_line_carries(capsys: Any) -> None:
    client = Client()
    given = client.get("/accounts/login/", HTTP_X_REQUEST_ID="proxy-42")
    assert given["X-Request-ID"] == "proxy-42"
    # A header that could forge log lines is replaced by a fresh id.
    forged = client.get("/accounts/login/", HTTP_X_REQUEST_ID='x" \n{"level": "ERROR"}')
    fresh = forged["X-Request-ID"]
    assert len(fresh) == 32 and fresh.isalnum()
    logged = [line for line in json_lines(capsys.readouterr().out) if line.get("path")]
    assert [(line["request_id"], line["status"]) for line in logged] == [
        ("proxy-42", 200),
        (fresh, 200),
    ]
    assert all(line["logger"] == "serendip.requests" for line in logged)


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_and_the_check_says_when_it_does_not(
    monkeypatch: Any,
) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
        assert checks.check_sqlite_wal(databases=["default"]) == []
        monkeypatch.setattr(checks, "sqlite_journal_mode", lambda alias="default": "delete")
        warned = checks.check_sqlite_wal(databases=["default"])
        assert [w.id for w in warned] == ["serendip.W001"]
        assert "'delete', not WAL" in warned[0].msg
    else:
        assert checks.sqlite_journal_mode() is None
        assert checks.check_sqlite_wal(databases=["default"]) == []


def test_the_worker_refuses_to_start_when_jobs_are_not_queued(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="SERENDIP_TASKS_BACKEND=django_tasks_db"):
        call_command("worker", "--batch")


def test_static_files_are_collected_again_only_when_they_changed(
    settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    collected: list[str] = []
    monkeypatch.setattr(serve, "call_command", lambda name, **kw: collected.append(name))
    assert serve.collect_static() is True
    assert serve.collect_static() is False  # a restart with the same files
    monkeypatch.setattr(serve, "static_fingerprint", lambda: "the files changed")
    assert serve.collect_static() is True
    assert collected == ["collectstatic", "collectstatic"]


def test_serve_hands_over_to_gunicorn_with_the_chosen_processes_and_threads() -> None:
    argv = serve.gunicorn_argv(
        bind="127.0.0.1:18150", workers=3, threads=5, timeout=40, max_requests=100
    )
    assert argv[1:4] == ["-m", "gunicorn", "serendip.wsgi:application"]

    def value(flag: str) -> str:
        return argv[argv.index(flag) + 1]

    assert value("--bind") == "127.0.0.1:18150"
    assert (value("--workers"), value("--threads"), value("--timeout")) == ("3", "5", "40")
    assert value("--max-requests") == "100"
    assert value("--logger-class") == "serendip.web.gunicorn_log.Logger"


def test_gunicorns_own_lines_are_json_on_standard_output(capsys: Any) -> None:
    logger = gunicorn_log.Logger(GunicornConfig())
    logger.info("Booting worker with pid: %s", 4242)
    logger.critical("WORKER TIMEOUT (pid:%s)", 4243)
    out, err = capsys.readouterr()
    assert err == ""
    lines = json_lines(out)
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("INFO", "gunicorn.error", "Booting worker with pid: 4242"),
        ("CRITICAL", "gunicorn.error", "WORKER TIMEOUT (pid:4243)"),
    ]
    logger.setup(GunicornConfig())  # a reload (HUP) sets it up again: still one line each
    logger.info("Handling signal: hup")
    assert len(json_lines(capsys.readouterr().out)) == 1


@pytest.mark.django_db
def test_letters_are_queued_as_jobs_not_sent_in_the_request(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    seminar = build_seminar()
    plan_beforehand(seminar)
    publish(seminar.event, actor=None)
    mail.outbox.clear()
    settings.TASKS = DUMMY_QUEUE
    default_task_backend.clear()
    queued = send_day_before(seminar.event)
    assert queued == len(seminar.bosses) + len(seminar.sponsors)
    boss = seminar.bosses[0]
    with django_capture_on_commit_callbacks(execute=True):
        after_commit(seminar.event, {boss.pk})
    assert mail.outbox == []  # a worker sends them
    jobs = [(r.task.name, r.args) for r in default_task_backend.results]
    assert jobs[0][0] == "send_day_before_letters" and jobs[0][1][0] == seminar.event.pk
    assert jobs[1] == ("agenda_changed_letters", [seminar.event.pk, [boss.pk]])


@pytest.mark.django_db
def test_periodic_jobs_are_sent_once_per_period(monkeypatch: Any) -> None:
    monday_morning = dt.datetime(2027, 3, 1, 10, 0, tzinfo=PARIS)  # a Monday
    with time_machine.travel(monday_morning, tick=False):
        seminar = build_seminar(start=dt.datetime(2027, 3, 2, 9, 0, tzinfo=PARIS))
        plan_beforehand(seminar)
        publish(seminar.event, actor=None)
        mail.outbox.clear()

        # Before the digest's and the letters' hour, only the introductions' clock runs.
        early = periodic.run_periodic(now=monday_morning.replace(hour=7))
        assert len(early) == 1 and early[0].startswith("introductions")
        assert mail.outbox == []

        lines = periodic.run_periodic()
        assert len(lines) == 3
        attendees = {m.email for m in [*seminar.bosses, *seminar.sponsors]}
        letters = [m for m in mail.outbox if "/tomorrow/" in m.body]
        assert {m.to[0] for m in letters} == attendees
        digests = [m for m in mail.outbox if m not in letters]
        assert {m.to[0] for m in digests} == attendees  # each has meetings this week
        assert set(PeriodicRun.objects.values_list("job", "period")) == {
            ("weekly-digest", "2027-W09"),
            ("day-before", f"{seminar.event.pk}:2027-03-02"),
        }

        # Run again (by a timer, by hand, on another machine): nothing is sent twice.
        sent = len(mail.outbox)
        again = periodic.run_periodic()
        assert len(mail.outbox) == sent
        # And it says so, instead of "ready" as if they were queued to go again.
        assert "weekly digest 2027-W09: sent already" in again
        assert f"day-before letters for {seminar.event.slug}: sent already" in again


@pytest.mark.django_db
def test_a_periodic_job_that_fails_is_tried_again_next_time(monkeypatch: Any) -> None:
    class Broken:
        @staticmethod
        def call() -> int:
            raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(periodic, "send_digests", Broken)
    with pytest.raises(ConnectionRefusedError):
        periodic.weekly_digest.call("2027-W09")
    assert not PeriodicRun.objects.exists()  # the week is not marked done

    monkeypatch.undo()
    assert periodic.weekly_digest.call("2027-W09") == 0  # nobody has anything this week
    assert periodic.weekly_digest.call("2027-W09") is None  # done already


@pytest.mark.django_db
def test_the_demo_can_serve_with_the_production_server(
    settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from serendip.web.management.commands import demo

    settings.DATA_DIR = tmp_path
    (tmp_path / "demo-plans").mkdir()
    (tmp_path / "demo-plans" / "seminar-plan.json").write_text("{}")  # planned already
    MemberFactory()  # the club exists already: reused
    monkeypatch.setattr(demo, "build_live_seminar", lambda seed: None)
    monkeypatch.setattr(demo, "build_network_demo", lambda seed: False)
    monkeypatch.setattr(demo, "build_history", lambda seed: None)
    served: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(demo, "call_command", lambda name, *args, **kw: served.append((name, kw)))
    call_command("demo", "--serve-with", "production", "--port", "18160")
    assert served[-1] == ("serve", {"bind": "127.0.0.1:18160"})
    call_command("demo", "--port", "18161")  # Django's development server stays the default
    assert served[-1][0] == "runserver"


@pytest.mark.django_db
def test_the_day_before_letter_names_the_day_it_was_written_for() -> None:
    # Written on Monday evening for a seminar on Thursday: "Tomorrow" would be a lie.
    monday_evening = dt.datetime(2027, 3, 1, 18, 0, tzinfo=PARIS)
    with time_machine.travel(monday_evening, tick=False):
        seminar = build_seminar(start=dt.datetime(2027, 3, 4, 9, 0, tzinfo=PARIS))
        seminar.event.timezone = "Europe/Paris"
        seminar.event.save(update_fields=["timezone"])
        plan_beforehand(seminar)
        publish(seminar.event, actor=None)
        boss, sponsor = seminar.bosses[0], seminar.sponsors[0]
        sponsor.language = "fr"
        sponsor.save(update_fields=["language"])
        mail.outbox.clear()
        send_day_before(seminar.event)
    letters = {m.to[0]: m for m in mail.outbox}
    assert letters[boss.email].subject == f"Thursday 4 March at {seminar.event.name}: your meetings"
    assert f"On Thursday 4 March at {seminar.event.name} you have" in letters[boss.email].body
    assert "Tomorrow" not in letters[boss.email].body
    assert letters[sponsor.email].subject.startswith("Jeudi 4 mars à ")
    assert "Demain" not in letters[sponsor.email].body
    # The evening before, and on the day itself (the organiser resends after a change).
    for moment, word, mot in [
        (dt.datetime(2027, 3, 3, 18, 0, tzinfo=PARIS), "Tomorrow", "Demain"),
        (dt.datetime(2027, 3, 4, 7, 30, tzinfo=PARIS), "Today", "Aujourd\u2019hui"),
    ]:
        mail.outbox.clear()
        with time_machine.travel(moment, tick=False):
            send_day_before(seminar.event)
        letters = {m.to[0]: m for m in mail.outbox}
        assert letters[boss.email].subject == f"{word} at {seminar.event.name}: your meetings"
        assert letters[boss.email].body.count(f"{word} at {seminar.event.name} you have") == 1
        assert letters[sponsor.email].subject.startswith(f"{mot} à ")


@pytest.mark.django_db
def test_a_worker_started_before_the_migrations_waits_for_them() -> None:
    recorder = MigrationRecorder(connection)
    assert worker.unapplied_migrations() == []
    # An upgrade whose migration `serve --migrate` has not applied yet.
    latest = recorder.migration_qs.filter(app="web").order_by("-id").first()
    assert latest is not None
    recorder.record_unapplied("web", latest.name)
    said: list[str] = []
    waited: list[float] = []

    def migrate_meanwhile(seconds: float) -> None:
        waited.append(seconds)
        if len(waited) == 3:
            recorder.record_applied("web", latest.name)

    worker.wait_for_migrations(said.append, sleep=migrate_meanwhile)
    assert len(waited) == 3  # it looked again until the migration was there
    assert len(said) == 1 and f"web.{latest.name}" in said[0] and "serendip migrate" in said[0]


@pytest.mark.django_db
def test_a_request_for_a_host_not_served_is_one_line_not_a_traceback(capsys: Any) -> None:
    response = Client().get("/healthz", HTTP_HOST="scanner.example")
    assert response.status_code == 400
    lines = json_lines(capsys.readouterr().out)
    assert [(line["logger"], line.get("status")) for line in lines] == [("serendip.requests", 400)]
    assert not any("exc_info" in line or "traceback" in line for line in lines)
