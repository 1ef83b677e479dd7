"""`serendip demo` builds a realistic club from a fixed seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from serendip.demo.club import DEMO_PASSWORD, MEMBER_EMAIL, ORGANISER_EMAIL, build_demo_club
from serendip.events.models import Event, Registration
from serendip.members.choices import Language, Seniority, Side
from serendip.members.models import Connection, Member, Organisation


@pytest.mark.django_db
def test_the_demo_club_has_the_promised_shape() -> None:
    build_demo_club(seed=2027)
    assert Member.objects.count() == 400
    assert Organisation.objects.count() >= 120
    assert Organisation.objects.values("industry").distinct().count() == 12
    assert set(Member.objects.values_list("seniority", flat=True)) == set(Seniority.values)
    assert set(Member.objects.values_list("language", flat=True)) == set(Language.values)
    assert Member.objects.filter(side=Side.SPONSOR).count() >= 50
    # Colleagues know each other, and some people know someone elsewhere.
    colleagues = Connection.objects.filter(how="colleague")
    assert colleagues.exists()
    assert all(c.member_a.organisation_id == c.member_b.organisation_id for c in colleagues[:50])
    assert Connection.objects.exclude(how="colleague").count() >= 200
    upcoming = Event.objects.filter(start__gt=timezone.now())
    assert upcoming.count() == 2
    for event in upcoming:
        sides = dict(event.registrations.values_list("side").annotate(n=Count("id")))
        assert sides[Side.BOSS] > 0 and sides[Side.SPONSOR] > 0
    assert Registration.objects.filter(side=Side.SPONSOR, guaranteed_meetings__gt=0).exists()
    assert authenticate(username=MEMBER_EMAIL, password=DEMO_PASSWORD) is not None
    organiser = authenticate(username=ORGANISER_EMAIL, password=DEMO_PASSWORD)
    assert organiser is not None and organiser.is_staff
    # The organiser is listed on the events, so they organise them even without superuser rights.
    assert all(event.organisers.filter(pk=organiser.pk).exists() for event in upcoming)


class RolledBack(Exception):
    """Raised to undo a block's writes."""


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_club() -> None:
    # History cannot be deleted (it is protected), so the first club is rolled back instead.
    with pytest.raises(RolledBack), transaction.atomic():
        build_demo_club(seed=7)
        first = list(Member.objects.order_by("id").values_list("email", "job_title", "keywords"))
        raise RolledBack
    assert not Member.objects.exists()
    build_demo_club(seed=7)
    again = list(Member.objects.order_by("id").values_list("email", "job_title", "keywords"))
    assert first == again


def test_serendip_demo_sets_up_sqlite_in_the_data_folder_and_reuses_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SERENDIP_DATA_DIR"] = str(tmp_path / "data")
    command = [Path(sys.executable).with_name("serendip"), "demo", "--no-serve"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert "401 members" in first.stdout  # the 400 generated and one brought in by Camille
    assert f"member:    {MEMBER_EMAIL} / {DEMO_PASSWORD}" in first.stdout
    assert (tmp_path / "data" / "serendip.sqlite3").stat().st_size > 0
    # The two engines planned the demo seminar and dinner, and their checkers agree.
    plans = tmp_path / "data" / "demo-plans"
    serendip = command[0]
    for engine, event in (("meetings", "seminar"), ("mixer", "dinner")):
        problem, plan = plans / f"{event}-problem.json", plans / f"{event}-plan.json"
        checked = subprocess.run(
            [serendip, engine, "check", problem, plan], capture_output=True, text=True, env=env
        )
        assert checked.returncode == 0, checked.stderr
        assert "Every hard rule holds." in checked.stdout
    again = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert "Reusing the existing club database." in again.stdout
    assert "401 members" in again.stdout
