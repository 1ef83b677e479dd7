"""At the gong: other people's ratings do not resend a phone's unchanged now page, the page
asks the recommender only about the meetings it explains, and the load benchmark's helpers."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from serendip.members.models import Connection
from serendip.programme import briefing
from serendip.programme.planning import publish
from serendip.programme.services import rate
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import Seminar, build_seminar, plan_beforehand

BENCH = Path(__file__).resolve().parents[2] / "bench" / "live_round.py"


@pytest.fixture
def seminar(db) -> Seminar:
    seminar = build_seminar(bosses=4, sponsors=2, rounds=3, tables=2)
    plan_beforehand(seminar)
    publish(seminar.event, actor=UserFactory(is_staff=True, is_superuser=True))
    return seminar


def test_two_greens_elsewhere_leave_my_now_page_unchanged(seminar: Seminar) -> None:
    first_round = seminar.event.rounds.get(number=1)
    mine = seminar.event.meetings.filter(round=first_round).first()
    theirs = (
        seminar.event.meetings.filter(round=first_round)
        .exclude(boss=mine.boss)
        .exclude(sponsor=mine.boss)
        .first()
    )
    client = Client()
    assert client.login(username=mine.boss.user.username, password=PASSWORD)
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    with time_machine.travel(first_round.end + dt.timedelta(minutes=1), tick=False):
        first = client.get(url)
        for rater in (theirs.boss, theirs.sponsor):
            rate(theirs, rater, colour="green", note="", follow_up=False)
        assert Connection.objects.exists()  # the two greens connected the other pair
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_now_page_explains_only_the_meetings_now_and_next(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    boss = seminar.event.meetings.first().boss
    explained: list[int] = []
    original = briefing.meeting_briefs

    def counting(pairs, *, index=None):
        explained.extend(other for _member, other in pairs)
        return original(pairs, index=index)

    monkeypatch.setattr(briefing, "meeting_briefs", counting)
    client = Client()
    assert client.login(username=boss.user.username, password=PASSWORD)
    last = seminar.event.rounds.order_by("number").last()
    with time_machine.travel(last.end + dt.timedelta(minutes=1), tick=False):
        page = client.get(reverse("now", args=[seminar.event.slug]))
    assert page.status_code == 200
    assert seminar.event.meetings.filter(boss=boss).count() >= 2
    assert explained == []  # every meeting is over: listed to rate, none explained


def test_the_benchmark_parses_its_arguments_and_its_environment() -> None:
    spec = importlib.util.spec_from_file_location("live_round", BENCH)
    bench = importlib.util.module_from_spec(spec)
    sys.modules["live_round"] = bench
    spec.loader.exec_module(bench)
    args = bench.parse_args(["--db", "postgres", "--attendees", "450", "100", "--seconds", "90"])
    assert (args.db, args.attendees, args.seconds, args.pg_port) == (
        "postgres",
        [450, 100],
        90,
        54530,
    )
    with pytest.raises(SystemExit):
        bench.parse_args(["--attendees", "451"])
    env = bench.django_env(Path("/tmp/x"), "postgres://h/db", Path("/tmp/s"))
    assert env["DATABASE_URL"] == "postgres://h/db"
    assert env["SERENDIP_TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "gevent" not in sys.modules or "locust" not in sys.modules  # locust only when run
    assert bench.percentile([5, 1, 4, 2, 3], 50) == 3 and bench.percentile([], 95) == 0.0


def test_serve_gives_its_processes_an_emptied_shared_cache(settings, tmp_path: Path) -> None:
    from serendip.web.management.commands import serve

    settings.SERENDIP_CACHE_DIR = ""
    settings.DATA_DIR = tmp_path
    stale = tmp_path / "cache" / "old.djcache"
    stale.parent.mkdir()
    stale.write_bytes(b"rendered for a database since restored")
    # A worker started with the server may already hold the mark of its warm-up run.
    mark = tmp_path / "cache" / "marks" / "run.djcache"
    mark.parent.mkdir()
    mark.write_bytes(b"one warm-up at a time")
    assert serve.shared_cache_dir() == tmp_path / "cache"
    assert not stale.exists()
    assert mark.exists()


@pytest.mark.django_db
def test_new_connections_reach_the_index_after_a_while_profiles_at_once(
    settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from serendip.members import recommendations
    from serendip.members.services import connect, update_profile
    from tests.factories import MemberFactory

    settings.SERENDIP_INDEX_DIR = str(tmp_path / "index")
    ana = MemberFactory(needs=["audit partner"], offers=["governance"], keywords=["security"])
    bob = MemberFactory(offers=["audit"], needs=["governance"], keywords=["security"])
    monkeypatch.setattr(recommendations, "_cache", {})
    builds: list[int] = []
    real = recommendations._shared_index
    monkeypatch.setattr(recommendations, "_shared_index", lambda c: builds.append(1) or real(c))
    first = recommendations.club_index()
    connect(ana, bob)  # two greens at the gong
    assert recommendations.club_index() is first and builds == [1]
    settings.SERENDIP_INDEX_TIES_SECONDS = 0  # the while has passed
    assert recommendations.club_index() is not first and builds == [1, 1]
    settings.SERENDIP_INDEX_TIES_SECONDS = 3600
    held = recommendations.club_index()
    update_profile(bob, needs=["governance", "wine"])
    assert recommendations.club_index() is not held and builds == [1, 1, 1]


@pytest.mark.django_db
def test_with_a_worker_new_connections_are_indexed_by_the_worker_not_the_page(
    settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At each gong's greens the three server processes each re-read the club once the while
    # had passed, a phone waiting 0.5-0.9 s on "people to meet" behind each.
    from django_tasks import task_backends

    from serendip.members import recommendations
    from serendip.members.services import connect
    from serendip.members.tasks import build_club_index
    from tests.factories import MemberFactory

    settings.SERENDIP_INDEX_DIR = str(tmp_path / "index")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.SERENDIP_INDEX_TIES_SECONDS = 0
    ana = MemberFactory(needs=["audit partner"], offers=["governance"], keywords=["security"])
    bob = MemberFactory(offers=["audit"], needs=["governance"], keywords=["security"])
    page: dict[str, object] = {}
    monkeypatch.setattr(recommendations, "_cache", page)
    first = recommendations.club_index()  # a cold process builds its own
    connect(ana, bob)  # two greens at the gong
    assert recommendations.club_index() is first  # the page keeps its index...
    assert recommendations.club_index() is first
    asked = [r for r in task_backends["default"].results if r.task.name == "build_club_index"]
    assert len(asked) == 1  # ...and asked a worker once
    worker: dict[str, object] = {}
    monkeypatch.setattr(recommendations, "_cache", worker)
    build_club_index.call()
    monkeypatch.setattr(recommendations, "_cache", page)
    newer = recommendations.club_index()
    # The page took the index the worker built: it knows the two met.
    ana_row, bob_row = (newer.position[recommendations.profile(m.pk)] for m in (ana, bob))
    assert bob_row in newer.neighbours[ana_row]
    assert bob_row not in first.neighbours[ana_row]
    assert recommendations.club_index() is newer  # read once, then held
