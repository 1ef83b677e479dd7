"""The live pages' one query per poll (``live.attending_of``): what it counts, and on PostgreSQL
that it is planned once per connection rather than on every poll."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from serendip.events.models import RegistrationStatus
from serendip.events.services import set_attendance
from serendip.programme.models import Meeting, Rating
from serendip.programme.planning import publish
from serendip.programme.services import rate
from serendip.web import live
from tests.factories import PASSWORD, RegistrationFactory, UserFactory
from tests.programme.seminar import Seminar, build_seminar, plan_beforehand


@pytest.fixture
def seminar(db) -> Seminar:
    seminar = build_seminar(bosses=4, sponsors=2, rounds=3, tables=2)
    plan_beforehand(seminar)
    organiser = UserFactory(is_staff=True, is_superuser=True)
    publish(seminar.event, actor=organiser)
    seminar.organiser = organiser  # type: ignore[attr-defined]
    return seminar


def mine(seminar: Seminar, member) -> list[Meeting]:
    return list(seminar.event.meetings.filter(boss=member)) + list(
        seminar.event.meetings.filter(sponsor=member)
    )


def test_the_attending_query_counts_what_the_models_hold(seminar: Seminar) -> None:
    slug = seminar.event.slug
    for member in seminar.bosses + seminar.sponsors:
        found = live.attending_of(slug, member.user_id)
        assert found is not None and found.member_id == member.pk
        assert found.mine[0] == str(len(mine(seminar, member)))
        assert found.ratings == (0, "None")  # nothing rated yet
        assert found.programme[4] == str(seminar.event.rounds.count())
    meeting = seminar.event.meetings.order_by("round__number").first()
    rating = rate(
        meeting,
        meeting.boss,
        colour="green",
        note="",
        follow_up=False,
        now=meeting.round.start + dt.timedelta(minutes=1),
    )
    for member in (meeting.boss, meeting.sponsor):  # both sides of the meeting see it
        found = live.attending_of(slug, member.user_id)
        assert found is not None and found.ratings[0] == 1
        # The last rating's time, as the database writes it (SQLite: text without a zone).
        assert found.ratings[1][:19] == str(Rating.objects.get(pk=rating.pk).created)[:19]
    # A registration without meetings: counted as none, not missing.
    idle = RegistrationFactory(event=seminar.event, status=RegistrationStatus.CONFIRMED)
    found = live.attending_of(slug, idle.member.user_id)
    assert found is not None and found.mine[:4] == ("0", "None", "None", "None")
    assert found.ratings == (0, "None")
    # Not registered, or another event: nothing.
    assert live.attending_of(slug, UserFactory().pk) is None
    assert live.attending_of("no-such-event", meeting.boss.user_id) is None


def test_the_people_i_meet_being_away_changes_my_version_only(seminar: Seminar) -> None:
    slug = seminar.event.slug
    meeting = seminar.event.meetings.order_by("round__number").first()
    me, partner = meeting.boss, meeting.sponsor
    stranger = next(b for b in seminar.bosses if b != me)  # bosses never meet each other
    first = live.attending_of(slug, me.user_id)
    set_attendance(
        seminar.registration(stranger), RegistrationStatus.NO_SHOW, actor=seminar.organiser
    )
    second = live.attending_of(slug, me.user_id)
    assert second.mine == first.mine and second.programme[0] > first.programme[0]
    set_attendance(
        seminar.registration(partner), RegistrationStatus.NO_SHOW, actor=seminar.organiser
    )
    assert live.attending_of(slug, me.user_id).mine != first.mine  # the person I meet is away


def prepared_attending() -> list[int]:
    """How many times each prepared attending statement of this connection has run."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return [n for statement, n in cursor.fetchall() if statement.startswith("WITH me AS")]


def test_a_poll_plans_the_attending_query_once_per_connection(
    seminar: Seminar, django_assert_max_num_queries
) -> None:
    meeting = seminar.event.meetings.order_by("round__number").first()
    client = Client()
    assert client.login(username=meeting.boss.user.username, password=PASSWORD)
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    with time_machine.travel(meeting.round.start + dt.timedelta(minutes=2), tick=False):
        first = client.get(url)
        before = prepared_attending()
        for _ in range(3):
            # The session, the account, the member (their language), the version query.
            with django_assert_max_num_queries(4):
                assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    if connection.vendor == "postgresql":
        # One statement, prepared by the first poll at the latest, run again by each poll.
        assert len(before) == 1 and prepared_attending() == [before[0] + 3]
    else:
        # SQLite plans its statements in-process: Django's own cursor, nothing to prepare.
        assert before == []
        with live._prepared_cursor() as cursor:
            assert type(cursor.cursor).__module__.startswith("django.db.backends.sqlite3")


def settings_of(code: str, tmp_path: Path, **env: str) -> str:
    """Evaluate ``code`` against serendip's settings in a fresh process with this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SERENDIP_", "DJANGO_"))}
    clean.pop("DATABASE_URL", None)
    clean.update(DJANGO_SETTINGS_MODULE="serendip.settings", SERENDIP_DATA_DIR=str(tmp_path))
    clean.update(env)
    run = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings as s; print({code})"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_prepared_statements_are_on_for_postgresql_unless_turned_off(tmp_path: Path) -> None:
    options = "s.DATABASES['default'].get('OPTIONS', {}).get('prepare_threshold')"
    url = "postgres://club@127.0.0.1:5432/club"
    assert settings_of(options, tmp_path, SERENDIP_DATABASE_URL=url) == "5"
    # Behind a pooler in transaction mode, which cannot keep a statement between transactions.
    assert settings_of(options, tmp_path, SERENDIP_DATABASE_URL=url, SERENDIP_DB_PREPARE="0") == (
        "None"
    )
    assert settings_of(options, tmp_path) == "None"  # SQLite: nothing to prepare
