"""The demo's engine files: the upcoming seminar and dinner as the web app would plan them.

Besides today's seminar, planned in the web app (``demo.seminar``), the demo sets up
its two upcoming events (rounds and tables for the seminar, a meal for the dinner),
turns them into engine problems with the same code the organiser's pages use, and
writes the engines' input and output files so that anyone can look at them and
replay them with ``serendip meetings`` and ``serendip mixer``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from django.utils import timezone

from serendip.engine_files import write_json
from serendip.engines import meetings, mixer
from serendip.events.models import Event, EventKind
from serendip.events.services import set_rounds
from serendip.meals.models import Meal
from serendip.meals.services import meal_problem
from serendip.programme.planning import programme_of


def set_up_seminar(event: Event) -> None:
    """Two days of two sessions of ten 7-minute rounds at 60 tables, bosses 8 to 12."""
    if event.rounds.exists():
        return
    event.tables, event.boss_min_meetings, event.boss_max_meetings = 60, 8, 12
    event.save(update_fields=["tables", "boss_min_meetings", "boss_max_meetings"])
    first = timezone.localtime(event.start, zoneinfo.ZoneInfo(event.timezone)).date()
    set_rounds(
        event,
        days=[first, first + dt.timedelta(days=1)],
        session_starts=[dt.time(9, 0), dt.time(14, 0)],
        rounds_per_session=10,
        minutes=7,
        changeover=3,
        actor=None,
    )


def dinner_meal(event: Event) -> Meal:
    """The dinner's seating: round tables of six for three courses."""
    meal = event.meals.first()
    if meal is None:
        guests = event.registrations.count()
        meal = Meal.objects.create(
            event=event, name="Dîner / Dinner", start=event.start,
            tables=[6] * -(-guests // 6), rotations=3,
        )  # fmt: skip
    return meal


def plan_demo_events(folder: Path) -> list[str]:
    """Plan the demo seminar and dinner into ``folder``; returns one summary line per plan."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    upcoming = Event.objects.filter(start__gt=timezone.now()).order_by("start")
    seminar = upcoming.filter(kind=EventKind.SEMINAR).first()
    if seminar is not None:
        set_up_seminar(seminar)
        problem = programme_of(seminar).problem
        plan = meetings.solve(problem, time_limit=20, seed=0)
        write_json(folder / "seminar-problem.json", meetings.problem_to_dict(problem))
        write_json(folder / "seminar-plan.json", meetings.plan_to_dict(plan))
        s = plan.stats
        lines.append(
            f"{seminar.name}: {s.meetings} one-to-one meetings, value {s.value} of at most "
            f"{s.upper_bound}, {len(s.below_min)} people below their minimum"
        )
    dinner = upcoming.filter(kind=EventKind.DINNER).first()
    if dinner is not None:
        data = meal_problem(dinner_meal(dinner))
        seating = mixer.solve(mixer.parse_problem(data), time_limit=10, seed=0)
        write_json(folder / "dinner-problem.json", data)
        write_json(folder / "dinner-plan.json", mixer.plan_to_dict(seating))
        seated = seating.stats
        lines.append(
            f"{dinner.name}: 3 courses, {seated.new_pairs} new pairs of at most "
            f"{seated.new_pairs_bound}, {seated.repeated_pairs} repeated, "
            f"{seated.known_pairs_together} known pairs together"
        )
    return lines
