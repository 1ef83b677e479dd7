"""Benchmark of a club seminar run through the web app's domain, at the reference size.

Run: .venv/bin/python bench/seminar.py [--time-limit S]   (prints Markdown)

A throwaway SQLite database (or ``DATABASE_URL``) gets a 600-member demo club; a
two-day seminar registers 350 bosses and 100 sponsors (1 to 3 representatives),
40 rounds of 7 minutes at 150 tables, bosses 14 to 20 meetings. Each step is the
same call the organiser's pages make; the table gives its time and outcome.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("SERENDIP_DATA_DIR", tempfile.mkdtemp(prefix="serendip-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serendip.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from serendip.demo.club import DemoSizes, build_demo_club  # noqa: E402
from serendip.engines.meetings import solve  # noqa: E402
from serendip.events.models import Event, Registration, RegistrationStatus  # noqa: E402
from serendip.events.services import set_attendance, set_rounds  # noqa: E402
from serendip.meals.models import Meal  # noqa: E402
from serendip.meals.services import plan_meal  # noqa: E402
from serendip.members.choices import Side  # noqa: E402
from serendip.members.models import Member  # noqa: E402
from serendip.programme.briefing import briefs  # noqa: E402
from serendip.programme.planning import figures, programme_of, replan_from, save_plan  # noqa: E402
from serendip.programme.reports import bulletin_of, event_figures  # noqa: E402
from serendip.web.calendar import agenda_calendar  # noqa: E402

ROWS: list[tuple[str, float, str]] = []


def step(name: str, action: Callable[[], Any], outcome: Callable[[Any], str]) -> Any:
    """Time one step and keep its row."""
    started = time.perf_counter()
    result = action()
    ROWS.append((name, time.perf_counter() - started, outcome(result)))
    return result


def seminar() -> Event:
    """The two-day seminar with its registrations and 40 rounds."""
    rng = random.Random(5)
    start = (timezone.now() + dt.timedelta(days=30)).replace(hour=8, minute=0)
    event = Event.objects.create(
        name="Bench seminar",
        slug="bench",
        start=start,
        end=start + dt.timedelta(days=2),
        tables=150,
        boss_min_meetings=14,
        boss_max_meetings=20,
    )
    bosses = list(Member.objects.filter(side=Side.BOSS).order_by("pk")[:350])
    sponsors = list(Member.objects.filter(side=Side.SPONSOR).order_by("pk")[:100])
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
                guaranteed_meetings=rng.randint(10, 14) * reps,
            )
        )
    Registration.objects.bulk_create(rows)
    local = timezone.localtime(start)
    set_rounds(
        event,
        days=[local.date(), local.date() + dt.timedelta(days=1)],
        session_starts=[dt.time(9, 0), dt.time(14, 0)],
        rounds_per_session=10,
        minutes=7,
        changeover=3,
        actor=None,
    )
    return event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    step(
        "demo club of 600 members",
        lambda: build_demo_club(
            seed=2027, sizes=DemoSizes(members=600, organisations=150, vendors=40)
        ),
        lambda _: f"{Member.objects.count()} members",
    )
    event = step(
        "seminar: 450 registrations, 40 rounds",
        seminar,
        lambda e: f"{e.registrations.count()} registered, {e.rounds.count()} rounds",
    )
    programme = step(
        "problem from the database (wishes from the recommender)",
        lambda: programme_of(event),
        lambda p: f"{len(p.problem.people)} people, {len(p.problem.wishes)} wishes",
    )
    plan = step(
        "plan (meetings engine)",
        lambda: solve(programme.problem, time_limit=args.time_limit, seed=0),
        lambda p: (
            f"{p.stats.meetings} meetings, value {p.stats.value} / bound "
            f"{p.stats.upper_bound}, {len(p.stats.below_min)} below minimum"
        ),
    )
    step(
        "save the plan",
        lambda: save_plan(event, plan, programme, actor=None),
        lambda n: f"{n} rows written",
    )
    step(
        "dashboard figures (value, bound, minimums)",
        lambda: figures(event),
        lambda f: f"{f['value']} / {f['upper_bound']}",
    )
    absent = list(event.registrations.filter(side=Side.BOSS).order_by("pk")[:10]) + list(
        event.registrations.filter(side=Side.SPONSOR).order_by("pk")[:2]
    )
    step(
        "check in 12 no-shows",
        lambda: [set_attendance(r, RegistrationStatus.NO_SHOW, actor=None) for r in absent],
        lambda r: f"{len(r)} marked",
    )
    step(
        "re-plan from round 11",
        lambda: replan_from(event, event.rounds.get(number=11), actor=None, time_limit=10),
        lambda r: f"{r[0].stats.moved} meetings moved, {len(r[1])} people affected",
    )
    meal = Meal.objects.create(
        event=event, name="Lunch", start=event.start, tables=[10] * 45, rotations=2
    )
    step(
        "seat lunch: 438 people, 45 tables of 10, 2 rotations",
        lambda: plan_meal(meal, actor=None, time_limit=5),
        lambda s: (
            f"{s.new_pairs} new pairs of at most {s.new_pairs_bound}, "
            f"{s.known_together} known pairs together"
        ),
    )
    boss = Member.objects.get(pk=event.registrations.filter(side=Side.BOSS).last().member_id)
    step(
        "one attendee's agenda with reasons and icebreakers",
        lambda: briefs(event, boss),
        lambda b: f"{len(b)} meetings",
    )
    step(
        "one attendee's .ics",
        lambda: agenda_calendar(event, boss),
        lambda c: f"{c.count(b'BEGIN:VEVENT')} entries",
    )
    sponsor = Member.objects.get(pk=event.registrations.filter(side=Side.SPONSOR).last().member_id)
    step(
        "one sponsor's bulletin",
        lambda: bulletin_of(event, sponsor),
        lambda lines: f"{len(lines)} lines",
    )
    step(
        "event figures",
        lambda: event_figures(event),
        lambda f: f"{f['planned']} planned, {f['minimums_met']} / {f['minimums']} minimums met",
    )
    print(
        f"Run on {dt.date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {connection.vendor}."
    )
    print("| step | seconds | outcome |\n|---|---|---|")
    for name, seconds, outcome in ROWS:
        print(f"| {name} | {seconds:.2f} | {outcome} |")


if __name__ == "__main__":
    main()
