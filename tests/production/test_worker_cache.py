"""A queue worker writes into the cache the web servers read: the phones' parts it renders
ahead of the gong are served without a render (a worker with its own memory helped nobody)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serendip import cli
from serendip.programme.models import Meeting
from serendip.programme.planning import publish
from serendip.web import attendee
from serendip.web.tasks import warm_now_parts
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import build_seminar, plan_beforehand
from tests.programme.test_planning_jobs import DATABASE_QUEUE, worker_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("machine_clock")]


def test_the_worker_and_periodic_commands_share_the_servers_cache_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SERENDIP_CACHE_DIR", raising=False)
    monkeypatch.setenv("SERENDIP_DATA_DIR", str(tmp_path))
    cli._share_the_servers_cache()
    assert os.environ["SERENDIP_CACHE_DIR"] == str(tmp_path / "cache")
    assert (tmp_path / "cache").is_dir()
    monkeypatch.setenv("SERENDIP_CACHE_DIR", str(tmp_path / "elsewhere"))
    cli._share_the_servers_cache()  # a folder named by the operator is kept
    assert os.environ["SERENDIP_CACHE_DIR"] == str(tmp_path / "elsewhere")
    assert {"worker", "periodic"} <= cli.SHARING_THE_SERVERS_CACHE


def test_parts_a_worker_renders_are_served_by_the_server_without_a_render(
    settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A seminar under way on the machine's clock, which the worker process reads too.
    start = (timezone.now() - dt.timedelta(minutes=5)).replace(microsecond=0)
    seminar = build_seminar(bosses=4, sponsors=2, rounds=3, tables=2, start=start)
    plan_beforehand(seminar)
    publish(seminar.event, actor=UserFactory(is_staff=True, is_superuser=True))
    settings.TASKS = DATABASE_QUEUE
    warm_now_parts.enqueue(seminar.event.pk, "")
    env = worker_env(SERENDIP_DATA_DIR=str(tmp_path))
    env.pop("SERENDIP_CACHE_DIR", None)
    subprocess.run(
        [sys.executable, "-m", "serendip.cli", "worker", "--batch", "--no-startup-delay"],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert list((tmp_path / "cache").glob("*.djcache"))

    # A server process reads the same folder, as `serendip serve` sets it.
    settings.CACHES = {
        "default": {
            "BACKEND": "serendip.web.cache.SharedFileCache",
            "LOCATION": str(tmp_path / "cache"),
        },
        "marks": {
            "BACKEND": "serendip.web.cache.SharedFileCache",
            "LOCATION": str(tmp_path / "cache" / "marks"),
        },
    }
    rendered: list[int] = []
    real = attendee._now_part
    monkeypatch.setattr(attendee, "_now_part", lambda *a, **k: rendered.append(1) or real(*a, **k))
    under_way = seminar.event.rounds.filter(start__lte=timezone.now()).order_by("-number").first()
    meeting = Meeting.objects.filter(round=under_way).select_related("boss").first()
    client = Client()
    assert client.login(username=meeting.boss.user.username, password=PASSWORD)
    page = client.get(reverse("now", args=[seminar.event.slug]) + "?part=live")
    assert page.status_code == 200
    assert f'id="meeting-{meeting.pk}"' in page.content.decode()
    assert rendered == []
