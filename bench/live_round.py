"""Load on a live round: the production stack on loopback, hundreds of phones at the gong.

Run: .venv/bin/python bench/live_round.py --db sqlite --attendees 450 100 [--seconds 90]
     .venv/bin/python bench/live_round.py --db postgres --pg-port 54530 --attendees 450 100
(prints Markdown: one row per page and run, then the re-plan's reach.)

Set-up, once per database: a 600-member demo club (``bench/instances.py``'s sizes, the
demo's generator), a seminar of 350 bosses and 100 sponsors (1 to 3 representatives) on
30 one-minute rounds back to back, planned by the engine, published, the first rounds
rated. Before each run the rounds are shifted so that four are over when the measured
window opens, a gong sounds 20 s in and every 60 s after (a round a minute), and each
attendee gets a signed-in session (created in the database: 450 password hashes would
take minutes of the two cores). Then ``serendip serve`` (gunicorn, several processes) and
two ``serendip worker`` processes (the database queue) start on loopback, against SQLite
in WAL mode in a fresh copy of the data folder, or a fresh copy of a PostgreSQL database.

The simulated day, with locust as a library (one greenlet per attendee): each attendee
opens their now page within the first 10 s, then polls its ``?part=live`` fragment every
5 to 15 s with If-None-Match as the page's script does; now and then opens the agenda
(If-None-Match too) and "people to meet"; sponsors open their bulletin; after each gong,
within 30 s, everyone rates the meeting just held (the POST and the now page it leads
to). One organiser keeps the gong screen open, checks 30 people in from the day page,
marks six bosses no-show 38 s in and re-plans from the next round 45 s in, as the day page
does: check-ins sent in place (JSON), the re-plan queued (a worker re-plans) and its run
polled until done; the script then reads the new programme from the database and polls
every affected attendee's agenda until it shows their new meetings (``id="meeting-N"``),
and reports how long that took from the re-plan's POST.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import random
import re
import resource
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SERENDIP = [PYTHON, "-m", "serendip.cli"]
SLUG = "live-round"
BOSSES, SPONSORS = 350, 100
ROUNDS = 30
HELD_BEFORE = 4  # rounds over when the window opens
FIRST_GONG = 20  # seconds into the window
ROUND_SECONDS = 60
MEETING_ID = re.compile(r'id="meeting-(\d+)"')
RUN_URL = re.compile(r'<div id="run" data-url="([^"]+)"')


# ---------------------------------------------------------------- arguments and stack


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: database, attendee counts, window, server shape, ports, folders."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--attendees", type=int, nargs="+", default=[450], help="one run per count, in turn"
    )
    parser.add_argument("--seconds", type=float, default=90.0, help="the measured window")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--queue-workers", type=int, default=2, help="serendip worker processes")
    parser.add_argument("--port", type=int, default=18300, help="the web server's port")
    parser.add_argument("--pg-port", type=int, default=54530, help="the throwaway PostgreSQL")
    parser.add_argument(
        "--folder", type=Path, default=None, help="work folder (default: a new /tmp one)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    if any(n < 1 or n > BOSSES + SPONSORS for n in args.attendees):
        parser.error(f"--attendees must be between 1 and {BOSSES + SPONSORS}")
    if args.seconds < 60:
        parser.error("--seconds must be at least 60 (the re-plan happens 45 s in)")
    return args


@dataclass
class Stack:
    """The processes of one run (web server, queue workers) and where they log."""

    folder: Path
    env: dict[str, str]
    port: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The server's base address."""
        return f"http://127.0.0.1:{self.port}"


def django_env(folder: Path, database_url: str | None, static: Path) -> dict[str, str]:
    """The environment of every serendip process of a run (production settings, loopback)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SERENDIP_DATABASE_URL")
    }
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="serendip.settings",
        SERENDIP_DATA_DIR=str(folder),
        SERENDIP_STATIC_ROOT=str(static),
        SERENDIP_SECRET_KEY="live-round-benchmark-" + "x" * 40,
        SERENDIP_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        SERENDIP_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SERENDIP_PLANNING_SECONDS="10",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def start_stack(
    folder: Path, env: dict[str, str], *, port: int, workers: int, threads: int, queue: int
) -> Stack:
    """Start ``serendip serve`` and the queue workers; returns once /healthz answers."""
    stack = Stack(folder=folder, env=env, port=port)
    logs = folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    serve = [
        *SERENDIP,
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--max-requests",
        "0",
    ]
    # The workers yield the cores to the pages, as the deploy guide's unit says (Nice=10).
    commands = [("web", serve)] + [
        (f"worker{i}", ["nice", "-n", "10", *SERENDIP, "worker"]) for i in range(queue)
    ]
    for name, command in commands:
        out = open(logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        stack.processes.append(process)
        if name != "web":
            yield_to_the_pages(process.pid)
    # Generous: on a busy machine, collecting the static files and booting the processes
    # take a while.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if stack.processes[0].poll() is not None:
            stop_stack(stack)
            raise RuntimeError(f"the server stopped; see {logs / 'web.log'}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(stack.url + "/healthz", timeout=2) as answer,
        ):
            if answer.status == 200:
                return stack
        time.sleep(0.5)
    stop_stack(stack)
    raise RuntimeError(f"the server did not answer /healthz within 300 s; see {logs}")


def yield_to_the_pages(pid: int) -> None:
    """Give a worker's session the low priority its ``nice`` alone does not give it.

    Linux schedules each session (autogroup) as one: a process niced inside its own session
    still gets as much of the cores as the whole server's session. The deploy guide's unit
    says the same with ``CPUWeight`` (systemd's services are cgroups, the same story).
    """
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/autogroup").write_text("10")


def stop_stack(stack: Stack) -> None:
    """Stop the server and the workers (SIGTERM, then SIGKILL after 20 s)."""
    for process in stack.processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in stack.processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    stack.processes.clear()


@dataclass
class Postgres:
    """A throwaway PostgreSQL server in a temporary folder, on 127.0.0.1 only."""

    folder: Path
    port: int
    as_pg: list[str]
    bin: Path

    def url(self, name: str) -> str:
        """The address of one of its databases."""
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, sql: str) -> None:
        """Run one statement as the superuser."""
        subprocess.run(
            [
                *self.as_pg,
                str(self.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-q",
                "-c",
                sql,
            ],
            check=True,
        )


def start_postgres(folder: Path, port: int) -> Postgres:
    """initdb and start a server (as scripts/with-postgres.sh does)."""
    pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
    as_pg = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    folder.mkdir(parents=True, exist_ok=True)
    if as_pg:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    subprocess.run(
        [
            *as_pg,
            str(pg_ctl.parent / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=200"
    subprocess.run(
        [
            *as_pg,
            str(pg_ctl),
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-w",
            "start",
            "-o",
            options,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return Postgres(folder=folder, port=port, as_pg=as_pg, bin=pg_ctl.parent)


def stop_postgres(pg: Postgres) -> None:
    """Stop the throwaway server."""
    subprocess.run(
        [*pg.as_pg, str(pg.bin / "pg_ctl"), "-D", str(pg.folder / "data"), "-m", "fast", "stop"],
        check=False,
        stdout=subprocess.DEVNULL,
    )


# ---------------------------------------------------------------- the Django side


def _django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serendip.settings")
    import django

    django.setup()


def build(seed: int) -> None:
    """Migrate, fill the club, register, plan, publish and rate the first rounds."""
    _django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from serendip.demo.club import ORGANISER_EMAIL, DemoSizes, build_demo_club
    from serendip.engines.meetings import solve
    from serendip.events.models import Event, Registration, RegistrationStatus
    from serendip.events.services import set_rounds
    from serendip.members.choices import Side
    from serendip.members.models import Member
    from serendip.members.recommendations import club_index
    from serendip.programme.models import Colour, Meeting
    from serendip.programme.planning import programme_of, publish, save_plan
    from serendip.programme.services import CannotRate, rate

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    build_demo_club(seed=seed, sizes=DemoSizes(members=600, organisations=150, vendors=40))
    rng = random.Random(seed)
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - dt.timedelta(minutes=HELD_BEFORE)
    event = Event.objects.create(
        name="Live round benchmark",
        slug=SLUG,
        start=start - dt.timedelta(minutes=5),
        end=start + dt.timedelta(hours=3),
        tables=150,
        boss_min_meetings=6,
        boss_max_meetings=12,
    )
    organiser = get_user_model().objects.get(username=ORGANISER_EMAIL)
    event.organisers.add(organiser)
    bosses = list(Member.objects.filter(side=Side.BOSS).order_by("pk")[:BOSSES])
    sponsors = list(Member.objects.filter(side=Side.SPONSOR).order_by("pk")[:SPONSORS])
    if len(bosses) < BOSSES or len(sponsors) < SPONSORS:
        raise SystemExit(f"the club has {len(bosses)} bosses and {len(sponsors)} sponsors")
    rows = [
        Registration(event=event, member=b, side=Side.BOSS, status=RegistrationStatus.CONFIRMED)
        for b in bosses
    ]
    for s in sponsors:
        reps = rng.choice([1, 1, 2, 3])
        rows.append(
            Registration(
                event=event,
                member=s,
                side=Side.SPONSOR,
                status=RegistrationStatus.CONFIRMED,
                representatives=reps,
                guaranteed_meetings=rng.randint(6, 9) * reps,
            )
        )
    Registration.objects.bulk_create(rows)
    local = timezone.localtime(start, dt.UTC)
    event.timezone = "UTC"
    event.save(update_fields=["timezone"])
    set_rounds(
        event,
        days=[local.date()],
        session_starts=[local.time()],
        rounds_per_session=ROUNDS,
        minutes=1,
        changeover=0,
        actor=organiser,
    )
    programme = programme_of(event)
    plan = solve(programme.problem, time_limit=20, seed=0)
    save_plan(event, plan, programme, actor=organiser, now=start - dt.timedelta(days=1))
    publish(event, actor=organiser)
    held = Meeting.objects.filter(event=event, round__number__lt=HELD_BEFORE).select_related(
        "boss", "sponsor", "round"
    )
    for meeting in held:
        for rater in (meeting.boss, meeting.sponsor):
            if rng.random() < 0.8:
                with contextlib.suppress(CannotRate):
                    rate(
                        meeting,
                        rater,
                        colour=rng.choice(list(Colour.values)),
                        note="",
                        follow_up=rng.random() < 0.3,
                        now=meeting.round.end,
                    )
    club_index()  # the shared index, as a worker would have built it before the day
    print(f"built: {event.meetings.count()} meetings, {event.registrations.count()} registered")


def prepare(count: int, window_start: float, state_path: Path, seed: int) -> None:
    """Shift the rounds around the window, sign attendees in, write what the load needs."""
    _django()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction

    from serendip.demo.club import ORGANISER_EMAIL
    from serendip.events.models import Event
    from serendip.events.services import bump_programme_version
    from serendip.members.choices import Side
    from serendip.programme.models import Round

    rng = random.Random(seed)
    event = Event.objects.get(slug=SLUG)
    origin = dt.datetime.fromtimestamp(window_start, dt.UTC).replace(microsecond=0)
    first_start = origin + dt.timedelta(seconds=FIRST_GONG - HELD_BEFORE * ROUND_SECONDS)
    with transaction.atomic():
        rounds = list(Round.objects.filter(event=event).order_by("number"))
        for r in rounds:
            r.start = first_start + dt.timedelta(seconds=(r.number - 1) * ROUND_SECONDS)
        Round.objects.bulk_update(rounds, ["start"])
        Event.objects.filter(pk=event.pk).update(
            start=first_start - dt.timedelta(minutes=5),
            end=first_start + dt.timedelta(hours=3),
        )
        # As every programme write does: the pages see a new version, and once this commits
        # a worker renders the parts the phones will read (a day under way has them already).
        bump_programme_version(event)
    backend = "serendip.web.signin.EmailSignInBackend"  # the one that signs members in

    def session_for(user: Any) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return str(store.session_key)

    registrations = list(event.registrations.select_related("member__user").order_by("pk"))
    bosses = [r for r in registrations if r.side == Side.BOSS]
    sponsors = [r for r in registrations if r.side == Side.SPONSOR]
    n_sponsors = round(count * len(sponsors) / len(registrations))
    chosen = bosses[: count - n_sponsors] + sponsors[:n_sponsors]
    meetings: dict[int, dict[str, int]] = defaultdict(dict)
    for pk, boss, sponsor, number in event.meetings.values_list(
        "pk", "boss_id", "sponsor_id", "round__number"
    ):
        meetings[boss][str(pk)] = number
        meetings[sponsor][str(pk)] = number
    attendees = [
        {
            "session": session_for(r.member.user),
            "member": r.member_id,
            "sponsor": r.side == Side.SPONSOR,
            "meetings": meetings.get(r.member_id, {}),
        }
        for r in chosen
    ]
    organiser = get_user_model().objects.get(username=ORGANISER_EMAIL)
    replan_round = HELD_BEFORE + 2  # starts FIRST_GONG + 60 s into the window
    # Six bosses with meetings still ahead fail to come back: the re-plan frees their slots.
    ahead = [
        r for r in bosses if any(n >= replan_round for n in meetings.get(r.member_id, {}).values())
    ]
    state = {
        "slug": SLUG,
        "window_start": window_start,
        "rounds": {r.number: r.start.timestamp() for r in rounds},
        "round_seconds": ROUND_SECONDS,
        "replan_round": replan_round,
        "organiser": session_for(organiser),
        "check_in": [r.pk for r in rng.sample(registrations, 30)],
        "no_show": [r.pk for r in rng.sample(ahead, 6)],
        "attendees": attendees,
        "vendor": connection.vendor,
        "event": event.pk,
        "members": [r.member_id for r in registrations],
    }
    state_path.write_text(json.dumps(state))


def run_django(step: list[str], env: dict[str, str]) -> None:
    """Run one Django-side step of this script in a child process with the run's settings."""
    subprocess.run([PYTHON, __file__, "_django", *step], env=env, check=True, cwd=ROOT)


# ---------------------------------------------------------------- reading the new programme


def programme_now(state: dict[str, Any], env: dict[str, str]) -> dict[int, set[int]]:
    """Each member's meeting ids as the database holds them (read directly, no Django)."""
    sql = "SELECT id, boss_id, sponsor_id FROM programme_meeting WHERE event_id = %s"
    rows: list[tuple[int, int, int]]
    if state["vendor"] == "sqlite":
        database = sqlite3.connect(Path(env["SERENDIP_DATA_DIR"]) / "serendip.sqlite3")
        rows = database.execute(sql.replace("%s", "?"), (state["event"],)).fetchall()
        database.close()
    else:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as database:
            rows = database.execute(sql, (state["event"],)).fetchall()
    held: dict[int, set[int]] = defaultdict(set)
    for pk, boss, sponsor in rows:
        held[boss].add(pk)
        held[sponsor].add(pk)
    return held


# ---------------------------------------------------------------- the load (locust)


@dataclass
class Results:
    """What one run measured."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    replan: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """CPU seconds used so far by the server's processes, the workers and this script."""
    import psutil

    used = {"server": 0.0, "queue workers": 0.0}
    for i, process in enumerate(stack.processes):
        with contextlib.suppress(psutil.Error):
            parent = psutil.Process(process.pid)
            for p in [parent, *parent.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    times = p.cpu_times()
                    used["server" if i == 0 else "queue workers"] += times.user + times.system
    mine = resource.getrusage(resource.RUSAGE_SELF)
    used["load generator"] = mine.ru_utime + mine.ru_stime
    return used


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of the values, 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def run_load(state: dict[str, Any], stack: Stack, seconds: float) -> Results:
    """Simulate the day against the running stack for ``seconds``; returns the measures."""
    import gevent
    from gevent.pool import Pool
    from locust import HttpUser, events, task
    from locust.clients import HttpSession
    from locust.env import Environment

    results = Results()
    slug = state["slug"]
    origin = state["window_start"]
    gongs = sorted(
        start + state["round_seconds"]
        for start in state["rounds"].values()
        if origin <= start + state["round_seconds"] <= origin + seconds
    )
    ended_round = {
        start + state["round_seconds"]: int(number) for number, start in state["rounds"].items()
    }
    queue = list(state["attendees"])
    random.Random(1).shuffle(queue)
    closed = False

    def on_request(
        request_type: str,
        name: str,
        response_time: float,
        response: Any = None,
        exception: Any = None,
        **_: Any,
    ) -> None:
        if closed:
            return  # requests cut short when the window closes are not the server's doing
        status = getattr(response, "status_code", 0) or 0
        results.times[name].append(response_time)
        results.statuses[name][status] += 1
        # A failure is what the simulated page could not use: an exception (locust's own for
        # a 4xx/5xx, or the check's), or no answer at all; a refusal it shows is an answer.
        if exception is not None or status == 0:
            results.errors[name] += 1
            if len(results.error_samples) < 20:
                results.error_samples.append(f"{name}: {status} {exception!r}"[:300])

    events.request.add_listener(on_request)

    def cookies(client: Any, session: str) -> str:
        token = secrets.token_hex(16)  # a 32-character CSRF secret, as Django's cookie holds
        client.cookies.set("sessionid", session, domain="127.0.0.1")
        client.cookies.set("csrftoken", token, domain="127.0.0.1")
        return token

    def until(moment: float) -> None:
        gevent.sleep(max(0.0, moment - time.time()))

    class Attendee(HttpUser):
        host = stack.url

        def on_start(self) -> None:
            self.me = queue.pop()
            self.csrf = cookies(self.client, self.me["session"])
            self.etags: dict[str, str] = {}

        def get(self, path: str, name: str, conditional: bool = True) -> Any:
            headers = {}
            if conditional and name in self.etags:
                headers["If-None-Match"] = self.etags[name]
            with self.client.get(path, name=name, headers=headers, catch_response=True) as r:
                if r.status_code in (200, 304):
                    r.success()
                    if r.headers.get("ETag"):
                        self.etags[name] = r.headers["ETag"]
                else:
                    r.failure(f"status {r.status_code} {getattr(r, 'error', None)!r}")
            return r

        def rate(self, gong: float) -> None:
            number = ended_round.get(gong)
            mine = [pk for pk, n in self.me["meetings"].items() if n == number]
            for pk in mine:
                # As the now page sends it (now.js): in place, answered in JSON, no reload.
                with self.client.post(
                    f"/events/{slug}/meetings/{pk}/rate/",
                    name="rate (POST, in place)",
                    data={
                        "colour": random.choice(["green", "green", "orange", "red"]),
                        "note": "",
                        "csrfmiddlewaretoken": self.csrf,
                    },
                    headers={
                        "Referer": stack.url + f"/events/{slug}/now/",
                        "Accept": "application/json",
                    },
                    catch_response=True,
                ) as r:
                    # 409: refused with its reason (the other side was marked a no-show
                    # during the round), shown under the form: an answer, not a failure.
                    try:
                        answer = r.json() if r.status_code in (200, 409) else {}
                    except ValueError:
                        answer = {}
                    said = bool(answer.get("message") or answer.get("error"))
                    r.success() if said else r.failure(f"status {r.status_code} at {r.url}")

        @task
        def day(self) -> None:
            gevent.sleep(random.uniform(0, 10))  # phones opened over the first 10 s
            self.get(f"/events/{slug}/now/", "now (page)", conditional=False)
            next_poll = time.time() + random.uniform(5, 15)
            pending = [g + random.uniform(1, 30) for g in gongs]
            gong_of = dict(zip(pending, gongs, strict=True))
            while True:
                moment = min([next_poll, *pending])
                until(moment)
                if pending and moment == min(pending):
                    pending.remove(moment)
                    self.rate(gong_of[moment])
                    continue
                self.get(f"/events/{slug}/now/?part=live", "now (live part, polled)")
                luck = random.random()
                if luck < 0.08:
                    self.get(f"/events/{slug}/agenda/", "agenda")
                elif luck < 0.12:
                    self.get("/people/", "people to meet", conditional=False)
                elif luck < 0.20 and self.me["sponsor"]:
                    self.get(
                        f"/events/{slug}/bulletin/{self.me['member']}/",
                        "bulletin (sponsor)",
                        conditional=False,
                    )
                next_poll = time.time() + random.uniform(5, 15)

    class Organiser(HttpUser):
        host = stack.url
        fixed_count = 1

        @task
        def day(self) -> None:
            csrf = cookies(self.client, state["organiser"])
            post_headers = {"Referer": stack.url + f"/organise/{slug}/day/"}
            gong_etag = ""

            def gong() -> None:
                nonlocal gong_etag
                headers = {"If-None-Match": gong_etag} if gong_etag else {}
                r = self.client.get(
                    f"/organise/{slug}/gong/", name="gong (organiser)", headers=headers
                )
                gong_etag = r.headers.get("ETag", gong_etag)

            def status(registration: int, value: str) -> None:
                # As the day page sends it (checkin.js): in place, answered in JSON, no reload.
                with self.client.post(
                    f"/organise/{slug}/day/",
                    name="check-in (POST, in place)",
                    data={
                        "registration": registration,
                        "status": value,
                        "csrfmiddlewaretoken": csrf,
                    },
                    headers=post_headers | {"Accept": "application/json"},
                    catch_response=True,
                ) as r:
                    try:
                        said = r.json().get("message") if r.status_code == 200 else None
                    except ValueError:
                        said = None
                    r.success() if said else r.failure(f"status {r.status_code} at {r.url}")

            def desk() -> None:
                # The check-in desk works through its list while the projector reloads the gong.
                until(origin + 5)
                for i, registration in enumerate(state["check_in"]):
                    status(registration, "checked_in")
                    if i % 10 == 9:
                        gong()
                    gevent.sleep(0.5)

            gong()
            gevent.spawn(desk)
            until(origin + 38)
            for registration in state["no_show"]:
                status(registration, "no_show")
            until(origin + 45)
            before = {a["member"]: {int(pk) for pk in a["meetings"]} for a in state["attendees"]}
            sent = time.time()
            with self.client.post(
                f"/organise/{slug}/replan/",
                name="re-plan (POST, then the day page)",
                data={"from_round": state["replan_round"], "csrfmiddlewaretoken": csrf},
                headers=post_headers,
                catch_response=True,
            ) as r:
                answered = time.time()
                # The run is queued: the day page shows it, and its script polls its status.
                found = RUN_URL.search(r.text) if r.status_code == 200 else None
                r.success() if found else r.failure(f"no planning run shown: {r.status_code}")
            results.replan["post_seconds"] = answered - sent
            if not found:
                return
            done: dict[str, Any] = {}
            gevent.sleep(0.5)  # as planning.js: after half a second, then every second
            while time.time() < sent + 60:
                with self.client.get(
                    found.group(1), name="re-plan run (polled)", catch_response=True
                ) as r:
                    done = r.json() if r.status_code == 200 else {}
                    r.success() if done else r.failure(f"status {r.status_code}")
                if done.get("done"):
                    break
                gevent.sleep(1)
            results.replan["run_seconds"] = time.time() - sent
            if done.get("status") != "done":
                results.replan["error"] = done.get("error") or "not done in 60 s"
                return
            after = programme_now(state, stack.env)
            affected = [
                a
                for a in state["attendees"]
                if after.get(a["member"], set()) != before[a["member"]]
            ]
            results.replan["affected_simulated"] = len(affected)
            pool = Pool(8)
            waiting = {a["member"]: a for a in affected}
            reached: dict[int, float] = {}

            def check(attendee: dict[str, Any]) -> None:
                client = HttpSession(stack.url, self.environment.events.request, self)
                cookies(client, attendee["session"])
                response = client.get(f"/events/{slug}/agenda/", name="agenda (re-plan check)")
                shown = {int(pk) for pk in MEETING_ID.findall(response.text)}
                if shown == after.get(attendee["member"], set()):
                    reached[attendee["member"]] = time.time()

            while waiting and time.time() < sent + 60:
                pool.map(check, list(waiting.values()))
                for member in reached:
                    waiting.pop(member, None)
            results.replan["reached"] = len(reached)
            results.replan["all_seconds"] = (max(reached.values()) - sent) if reached else None
            results.replan["not_reached"] = len(waiting)
            gevent.sleep(1e9)

    environment = Environment(user_classes=[Attendee, Organiser], events=events)
    runner = environment.create_local_runner()
    until(origin)
    before = cpu_seconds(stack)
    started = time.time()
    runner.start(len(state["attendees"]) + 1, spawn_rate=100)

    def close() -> None:
        nonlocal closed
        closed = True
        runner.quit()

    gevent.spawn_later(seconds - (time.time() - origin), close)
    runner.greenlet.join()
    results.seconds = time.time() - started
    after = cpu_seconds(stack)
    results.cpu = {k: after[k] - before[k] for k in after}
    events.request.remove_listener(on_request)
    return results


# ---------------------------------------------------------------- report


def report(label: str, results: Results) -> list[str]:
    """Markdown rows: per page, requests, share of 304, p50/p95/p99 in ms, errors."""
    rows = []
    total = sum(len(v) for v in results.times.values())
    for name in sorted(results.times):
        times = results.times[name]
        unchanged = results.statuses[name].get(304, 0)
        rows.append(
            f"| {label} | {name} | {len(times)} | {unchanged} | {percentile(times, 50):.0f} | "
            f"{percentile(times, 95):.0f} | {percentile(times, 99):.0f} | "
            f"{max(times):.0f} | {results.errors.get(name, 0)} |"
        )
    rows.append(
        f"| {label} | **all** | {total} ({total / results.seconds:.1f}/s) | | | | | | "
        f"{sum(results.errors.values())} |"
    )
    return rows


def replan_row(label: str, results: Results) -> str:
    """One Markdown row for the re-plan's reach."""
    r = results.replan
    reach = r.get("all_seconds")
    run = r.get("run_seconds")
    return (
        f"| {label} | {r.get('post_seconds', 0):.1f} | {'-' if run is None else f'{run:.1f}'} | "
        f"{r.get('affected_simulated', '-')} | {r.get('reached', '-')} | "
        f"{'-' if reach is None else f'{reach:.1f}'} |"
    )


def main(argv: list[str] | None = None) -> None:
    """Build the club once, then for each attendee count: prepare, serve, load, report."""
    args = parse_args(argv)
    import locust  # noqa: F401 - gevent patches the standard library first, as locust needs

    folder = args.folder or Path(tempfile.mkdtemp(prefix="h12-live-"))
    folder.mkdir(parents=True, exist_ok=True)
    static = folder / "static"
    pg = start_postgres(folder / "pg", args.pg_port) if args.db == "postgres" else None
    lines: list[str] = []
    replans: list[str] = []
    raw: list[dict[str, Any]] = []
    try:
        base = folder / "base"
        base_url = pg.url("base") if pg else None
        if pg:
            pg.psql("CREATE DATABASE base")
        started = time.time()
        run_django(["build", str(args.seed)], django_env(base, base_url, static))
        print(f"club and seminar built in {time.time() - started:.0f} s", file=sys.stderr)
        for count in args.attendees:
            run_folder = folder / f"run-{count}"
            shutil.rmtree(run_folder, ignore_errors=True)
            if pg:
                name = f"run_{count}"
                pg.psql(f"DROP DATABASE IF EXISTS {name}")
                pg.psql(f"CREATE DATABASE {name} TEMPLATE base")
                shutil.copytree(base, run_folder)
                env = django_env(run_folder, pg.url(name), static)
            else:
                shutil.copytree(base, run_folder)
                env = django_env(run_folder, None, static)
            stack = start_stack(
                run_folder,
                env,
                port=args.port,
                workers=args.workers,
                threads=args.threads,
                queue=args.queue_workers,
            )
            try:
                # The rounds move and the sessions appear while the server runs: the live
                # pages' caches see the programme's new version, as after any change.
                window = time.time() + 30
                state_path = run_folder / "state.json"
                run_django(
                    ["prepare", str(count), str(window), str(state_path), str(args.seed)], env
                )
                state = json.loads(state_path.read_text())
                if time.time() > window - 1:
                    raise RuntimeError("signing the attendees in took longer than 30 s")
                load = os.getloadavg()
                results = run_load(state, stack, args.seconds)
            finally:
                stop_stack(stack)
            label = f"{args.db}, {count} attendees"
            lines += report(label, results)
            replans.append(replan_row(label, results))
            raw.append(
                {
                    "label": label,
                    "load_before": load,
                    "seconds": results.seconds,
                    "times": results.times,
                    "statuses": {k: dict(v) for k, v in results.statuses.items()},
                    "errors": dict(results.errors),
                    "error_samples": results.error_samples,
                    "replan": results.replan,
                    "cpu": results.cpu,
                }
            )
            print(f"{label}: load average before {load[0]:.1f}", file=sys.stderr)
            for sample in results.error_samples:
                print(f"  error: {sample}", file=sys.stderr)
            if results.replan.get("error"):
                print(f"  re-plan: {results.replan['error']}", file=sys.stderr)
    finally:
        if pg:
            stop_postgres(pg)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(
        f"Run on {dt.date.today()}, {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.workers} server processes x {args.threads} "
        f"threads, {args.queue_workers} queue workers; load generator on the same machine."
    )
    print("\n| run | page | requests | 304 | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(lines))
    # The load generator shares the machine: say how busy it was before each run.
    print(
        "Load average (1 min) before each run: "
        + ", ".join(f"{r['label']}: {r['load_before'][0]:.1f}" for r in raw)
        + "."
    )
    # Where the two cores went during the window: the server's share is what the pages cost.
    for r in raw:
        spent = ", ".join(f"{k} {v:.0f} s" for k, v in r["cpu"].items())
        print(f"CPU during {r['label']} ({r['seconds']:.0f} s x {os.cpu_count()} cores): {spent}.")
    print(
        "\n| run | re-plan POST s | run done after s | affected attendees | reached "
        "| every agenda after s |"
    )
    print("|---|---|---|---|---|---|")
    print("\n".join(replans))
    if args.json:
        args.json.write_text(json.dumps(raw, default=list))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_django":
        step, rest = sys.argv[2], sys.argv[3:]
        if step == "build":
            build(int(rest[0]))
        else:
            prepare(int(rest[0]), float(rest[1]), Path(rest[2]), int(rest[3]))
    else:
        main()
