"""The demo club's seminar programme and dinner seating, planned by the two engines.

Besides today's seminar, planned in the web app (``demo.seminar``), the demo writes
the engines' input and output files for its two upcoming events, so that anyone
can look at them and replay them with ``serendip meetings`` and ``serendip mixer``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone

from serendip.engine_files import write_json
from serendip.engines.meetings import parse_problem as parse_meetings
from serendip.engines.meetings import solve as plan_meetings
from serendip.engines.meetings.formats import plan_to_dict as meetings_json
from serendip.engines.mixer import parse_problem as parse_seating
from serendip.engines.mixer import solve as plan_seating
from serendip.engines.mixer.formats import plan_to_dict as seating_json
from serendip.events.models import Event, EventKind, Registration, RegistrationStatus
from serendip.members.choices import Side
from serendip.members.models import Connection
from serendip.members.recommendations import affinity

# Below this affinity a pair is not worth a wish of its own.
AFFINITY_FLOOR = 0.2


def _attending(event: Event) -> list[Registration]:
    return list(
        event.registrations.filter(
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.CHECKED_IN]
        )
        .select_related("member__organisation")
        .order_by("member_id")
    )


def _known_pairs(registrations: list[Registration]) -> list[list[str]]:
    ids = {r.member_id for r in registrations}
    pairs = Connection.objects.filter(member_a__in=ids, member_b__in=ids)
    return [[f"m{c.member_a_id}", f"m{c.member_b_id}"] for c in pairs]


def seminar_problem(event: Event) -> dict[str, Any]:
    """Two days of two sessions of ten 7-minute rounds; wishes from the recommender's affinity."""
    rounds = []
    for day in range(2):
        date = event.start.date() + dt.timedelta(days=day)
        for session_start in (dt.time(9, 0), dt.time(14, 0)):
            start = dt.datetime.combine(date, session_start, event.start.tzinfo)
            for k in range(10):
                at = start + dt.timedelta(minutes=10 * k)  # 7 minutes and a 3-minute changeover
                rounds.append(
                    {"id": f"{at:%a-%H%M}".lower(), "start": at.isoformat(), "minutes": 7}
                )
    registrations = _attending(event)
    people = []
    for r in registrations:
        if r.side == Side.BOSS:
            people.append(
                {"id": f"m{r.member_id}", "side": "boss", "min_meetings": 8, "max_meetings": 12}
            )
        elif r.side == Side.SPONSOR:
            guaranteed = r.guaranteed_meetings or 0
            people.append(
                {
                    "id": f"m{r.member_id}",
                    "side": "sponsor",
                    "capacity": r.representatives,
                    "min_meetings": guaranteed,
                    "max_meetings": guaranteed + 4 * r.representatives,
                }
            )
    bosses = [r.member for r in registrations if r.side == Side.BOSS]
    sponsors = [r.member for r in registrations if r.side == Side.SPONSOR]
    # Until members mark wishes, pairs are weighted by the recommender's affinity (1 to 5).
    wishes = [
        {"from": f"m{sponsor}", "to": f"m{boss}", "weight": min(5, max(1, round(5 * score)))}
        for (boss, sponsor), score in sorted(affinity(bosses, sponsors).items())
        if score >= AFFINITY_FLOOR
    ]
    return {
        "rounds": rounds,
        "tables": 60,
        "people": people,
        "wishes": wishes,
        "already_met": _known_pairs(
            [r for r in registrations if r.side in (Side.BOSS, Side.SPONSOR)]
        ),
    }


def dinner_problem(event: Event) -> dict[str, Any]:
    """Round tables of six for three courses: colleagues apart, a sponsor at every table."""
    registrations = _attending(event)
    people = [
        {
            "id": f"m{r.member_id}",
            "organization": r.member.organisation.name if r.member.organisation else None,
            "role": r.side,
        }
        for r in registrations
    ]
    return {
        "people": [{k: v for k, v in p.items() if v is not None} for p in people],
        "tables": [6] * -(-len(people) // 6),
        "rounds": 3,
        "known_pairs": _known_pairs(registrations),
        "rules": {"separate_organizations": True, "roles_per_table": {"sponsor": [1, 2]}},
    }


def plan_demo_events(folder: Path) -> list[str]:
    """Plan the demo seminar and dinner into ``folder``; returns one summary line per plan."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    upcoming = Event.objects.filter(start__gt=timezone.now()).order_by("start")
    seminar = upcoming.filter(kind=EventKind.SEMINAR).first()
    if seminar is not None:
        data = seminar_problem(seminar)
        plan = plan_meetings(parse_meetings(data), time_limit=20, seed=0)
        write_json(folder / "seminar-problem.json", data)
        write_json(folder / "seminar-plan.json", meetings_json(plan))
        s = plan.stats
        lines.append(
            f"{seminar.name}: {s.meetings} one-to-one meetings, value {s.value} of at most "
            f"{s.upper_bound}, {len(s.below_min)} people below their minimum"
        )
    dinner = upcoming.filter(kind=EventKind.DINNER).first()
    if dinner is not None:
        data = dinner_problem(dinner)
        seating = plan_seating(parse_seating(data), time_limit=10, seed=0)
        write_json(folder / "dinner-problem.json", data)
        write_json(folder / "dinner-plan.json", seating_json(seating))
        s = seating.stats
        lines.append(
            f"{dinner.name}: 3 courses, {s.new_pairs} new pairs of at most {s.new_pairs_bound}, "
            f"{s.repeated_pairs} repeated, {s.known_pairs_together} known pairs together"
        )
    return lines
