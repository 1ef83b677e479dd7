"""The production stack on loopback: `serendip serve` (gunicorn, 2 processes) and `serendip worker`
on the test run's own database (an SQLite file or PostgreSQL), reached as through an HTTPS proxy.

An organiser signs in over the proxy headers and plans an event through the queue; the worker is
killed mid-search, the dead run is given up, planning again goes through a restarted worker;
``/healthz`` answers for the database and the queue; each request's id comes back and is logged.
A profile changed through one server process shows in the recommendations another one serves.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from serendip.members.services import create_api_token
from serendip.programme.models import Meeting, PlanningRun
from tests.factories import PASSWORD, MemberFactory, UserFactory
from tests.programme.seminar import build_seminar
from tests.programme.test_planning_jobs import worker_env

# The server and workers are other processes on the machine's clock: so is the test.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("machine_clock")]

SITE = "club.test"
PATIENCE = 120.0  # a loaded machine starts processes slowly; each wait ends as soon as it can
STALE_SECONDS = 5  # how long a silent planning run lives, for the servers and this test alike
SERENDIP = Path(sys.executable).with_name("serendip")

# The first worker's engine searches for ten minutes, so that the kill lands mid-search.
SLOW_WORKER = """
import time

import django

django.setup()
from django.core.management import call_command

from serendip.programme import tasks

real_solve = tasks.solve


def slow_solve(problem, *, time_limit, seed):
    time.sleep(600)
    return real_solve(problem, time_limit=1, seed=seed)


tasks.solve = slow_solve
call_command("worker", "--no-startup-delay", "--interval", "0.1")
"""


def free_port() -> int:
    """A free loopback port in 18100-18199 (SERENDIP_TEST_PORTS=FIRST-LAST moves the range)."""
    first, last = (int(p) for p in os.environ.get("SERENDIP_TEST_PORTS", "18100-18199").split("-"))
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{last}")


class Process:
    """A child process whose output is kept in a file, shown when a test fails."""

    def __init__(self, argv: list[str], env: dict[str, str], name: str) -> None:
        self.name = name
        self.output: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  (closed in stop)
        self.popen = subprocess.Popen(argv, env=env, stdout=self.output, stderr=subprocess.STDOUT)

    def text(self) -> str:
        """Everything it wrote so far."""
        self.output.seek(0)
        return self.output.read().decode(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Signal it and wait for its end (killed if it lingers)."""
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def close(self) -> None:
        """Stop it and drop its output."""
        self.stop()
        self.output.close()


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    """The processes a test starts; stopped at its end, their output printed for a failure."""
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()
        print(f"----- {process.name} -----\n{process.text()}")
        process.close()


def wait_until(what: str, ready: Callable[[], bool], *watched: Process) -> None:
    """Poll until ``ready()``; fail at once if a watched process died meanwhile."""
    deadline = time.monotonic() + PATIENCE
    while not ready():
        for process in watched:
            if process.popen.poll() is not None:
                pytest.fail(f"{process.name} exited ({process.popen.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"waited {PATIENCE}s for {what}")
        time.sleep(0.1)


class Browser:
    """A tiny HTTP client that talks to the server as an HTTPS reverse proxy would."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        *,
        proxied: bool = True,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> tuple[http.client.HTTPResponse, bytes]:
        """Send one request (with the proxy's headers unless ``proxied`` is False)."""
        sent = {"Host": SITE, **(headers or {})}
        if proxied:
            sent |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if json_body is not None:
            body = json.dumps(json_body)
            sent["Content-Type"] = "application/json"
        if form is not None:
            body = urlencode(form)
            sent |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{SITE}",
                "Referer": f"https://{SITE}{path}",
            }
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, content

    def csrf(self) -> dict[str, str]:
        """A form's CSRF field, from the cookie the server set."""
        return {"csrfmiddlewaretoken": self.cookies["csrftoken"]}

    def answers(self, path: str = "/healthz") -> bool:
        """Whether the server answers at all yet."""
        try:
            self.request("GET", path, proxied=False)
        except OSError:
            return False
        return True


def server_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The production environment of the web server and the workers, on the test database."""
    return worker_env(
        SERENDIP_DATA_DIR=str(tmp / "data"),
        SERENDIP_SITE_URL=f"https://{SITE}",
        SERENDIP_BEHIND_HTTPS_PROXY="1",
        SERENDIP_PLANNING_STALE_SECONDS=str(STALE_SECONDS),
        SERENDIP_PLANNING_SECONDS="2",
        SERENDIP_LOG_FORMAT="json",
        **extra,
    )


def test_the_production_stack_signs_in_behind_a_proxy_and_plans_through_the_queue(
    settings: Any, tmp_path: Path, processes: list[Process]
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SERENDIP_PLANNING_STALE_SECONDS = STALE_SECONDS
    seminar = build_seminar()
    event = seminar.event
    organiser = UserFactory(is_staff=True, is_superuser=True)
    env = server_env(tmp_path)

    port = free_port()
    server = Process(
        # Compressing the static files is serve's own business, tested on its own: not here.
        [
            str(SERENDIP),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--no-collectstatic",
        ],
        env,
        "serendip serve",
    )
    processes.append(server)
    browser = Browser(port)
    wait_until("the server answers", browser.answers, server)
    # Two server processes; gunicorn says so in the site's JSON lines (gunicorn_log.Logger).
    booted = [
        line
        for line in json_lines(server.text())
        if line["logger"] == "gunicorn.error" and "Booting worker" in line["message"]
    ]
    assert len(booted) >= 2

    # Health: the database and the queue's table answer; probes need no proxy header.
    rid = uuid.uuid4().hex
    response, body = browser.request(
        "GET", "/healthz", proxied=False, headers={"X-Request-ID": rid}
    )
    assert response.status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "queue": "ok", "workers": "ok"}
    assert response.headers["X-Request-ID"] == rid

    # Static files come from the app server itself (whitenoise).
    response, css = browser.request("GET", "/static/serendip/site.css")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/css")
    assert len(css) > 0

    # Without the proxy's word that the visitor came over HTTPS, everything goes to https://.
    response, _ = browser.request("GET", reverse("login"), proxied=False)
    assert response.status == 301
    assert response.headers["Location"] == f"https://{SITE}{reverse('login')}"

    # Sign in through the proxy: secure cookies, HSTS, CSRF checked against the https origin.
    response, _ = browser.request("GET", reverse("login"))
    assert response.status == 200 and "csrftoken" in browser.cookies
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    response, _ = browser.request(
        "POST",
        reverse("login"),
        {
            "username": organiser.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
    )
    assert response.status == 302, "the sign-in was refused"
    assert "sessionid" in browser.cookies
    assert all("Secure" in header for header in browser.set_cookie_headers)
    dashboard = reverse("organise", args=[event.slug])
    response, page = browser.request("GET", dashboard)
    assert response.status == 200 and event.name.encode() in page

    # Plan through the queue; the first worker is killed while its engine searches.
    slow = Process([sys.executable, "-c", SLOW_WORKER], env, "slow worker")
    processes.append(slow)
    plan = reverse("organise-plan", args=[event.slug])
    response, _ = browser.request("POST", plan, browser.csrf())
    assert response.status == 302
    run = event.planning_runs.get()

    def searching() -> bool:
        run.refresh_from_db()
        return run.status == PlanningRun.Status.RUNNING and run.progress == 30

    wait_until("the worker searches", searching, slow, server)
    slow.stop(signal.SIGKILL)
    assert not Meeting.objects.filter(event=event).exists()

    def given_up_as_dead() -> bool:
        run.refresh_from_db()
        return run.is_dead

    wait_until("the killed worker's run goes silent", given_up_as_dead, server)

    # A worker restarts; planning again gives the dead run up and the new run finishes.
    worker = Process([str(SERENDIP), "worker", "--no-startup-delay"], env, "serendip worker")
    processes.append(worker)
    response, _ = browser.request("POST", plan, browser.csrf())
    assert response.status == 302
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.FAILED
    again = event.planning_runs.exclude(pk=run.pk).get()

    def finished() -> bool:
        again.refresh_from_db()
        return again.status in (PlanningRun.Status.DONE, PlanningRun.Status.FAILED)

    wait_until("the new run finishes", finished, worker, server)
    assert again.status == PlanningRun.Status.DONE, again.error
    assert again.meetings == Meeting.objects.filter(event=event).count() > 0
    response, body = browser.request("GET", reverse("organise-run", args=[event.slug, again.pk]))
    assert json.loads(body)["status"] == "done"

    # Every request was logged as one JSON line carrying its id.
    server.stop()
    lines = [json.loads(line) for line in server.text().splitlines() if line.startswith("{")]
    assert any(
        line["logger"] == "serendip.requests" and line["request_id"] != "-" for line in lines
    )
    posted = [line for line in lines if line.get("method") == "POST" and line.get("path") == plan]
    assert len(posted) == 2 and all(line["status"] == 302 for line in posted)


def serve(env: dict[str, str], workers: int, name: str) -> tuple[Process, Browser]:
    """``serendip serve`` on a free port, answering."""
    port = free_port()
    server = Process(
        [
            str(SERENDIP),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "2",
            "--no-collectstatic",
        ],
        env,
        name,
    )
    browser = Browser(port)
    wait_until(f"{name} answers", browser.answers, server)
    return server, browser


def test_a_profile_changed_through_one_process_shows_in_the_others_recommendations(
    tmp_path: Path, processes: list[Process]
) -> None:
    # Two servers of one process each, on one database and one data folder (the shared
    # recommender index): a request to each port is answered by that server's own process.
    me = MemberFactory(keywords=["semiconductors"], offers=["wafer yield"], needs=["quantum chips"])
    quantum = MemberFactory(
        keywords=["quantum computing"], offers=["quantum chips"], needs=["wafer yield"]
    )
    vineyard = MemberFactory(
        keywords=["wine estates"], offers=["vineyard accounting"], needs=["export to Asia"]
    )
    MemberFactory.create_batch(3)  # the rest of the club: FinOps and zero trust
    token = {"Authorization": f"Bearer {create_api_token(me, name='stack test')}"}
    env = server_env(tmp_path)
    first, one = serve(env, 1, "first server")
    processes.append(first)
    second, other = serve(env, 1, "second server")
    processes.append(second)

    def best(browser: Browser) -> int:
        response, body = browser.request(
            "GET", "/api/members/me/recommendations?top=3", headers=token
        )
        assert response.status == 200, body
        return int(json.loads(body)[0]["member"]["id"])

    # Both processes built (or read) the index and recommend the quantum chips.
    assert best(other) == quantum.pk
    assert best(one) == quantum.pk

    response, body = one.request(
        "PATCH",
        "/api/members/me",
        headers=token,
        json_body={"keywords": ["wine estates"], "needs": ["vineyard accounting"]},
    )
    assert response.status == 200, body
    assert best(one) == vineyard.pk

    # The other process follows the change on its next requests, without a restart.
    wait_until(
        "the other process recommends after the change", lambda: best(other) == vineyard.pk, second
    )
    for server in (first, second):
        server.stop()
    served = [
        {line.get("method") for line in json_lines(server.text())} for server in (first, second)
    ]
    assert "PATCH" in served[0] and "PATCH" not in served[1]


def json_lines(text: str) -> list[dict[str, Any]]:
    """The JSON log lines a process wrote."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]
