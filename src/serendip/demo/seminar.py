"""The demo's live seminar: today, planned and published, the first rounds held and rated.

A newcomer signing in sees the whole day at once: the organiser's figures and
activity log, a no-show re-planned, the gong counting down the current round,
lunch tables with green pairs seated together, and sponsor bulletins already
filling up; the demo member sees their agenda, "now / next" and ratings to give.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from serendip.demo.club import MEMBER_EMAIL, ORGANISER_EMAIL
from serendip.engines.meetings import solve
from serendip.events.models import Event, EventKind, Registration, RegistrationStatus
from serendip.events.services import set_attendance, set_rounds
from serendip.meals.models import Meal
from serendip.meals.services import plan_meal
from serendip.members.choices import Side
from serendip.members.models import Member
from serendip.programme.models import Colour, Meeting
from serendip.programme.planning import programme_of, publish, replan_from, save_plan
from serendip.programme.services import CannotRate, Preference, rate, set_preference

SLUG = "autumn-seminar-live"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# How bosses and sponsors rate a meeting: mostly good, as in the club's reports.
COLOURS = [Colour.GREEN] * 5 + [Colour.ORANGE] * 3 + [Colour.RED] * 2


def _first_round_start(now: dt.datetime) -> dt.datetime:
    """Thirty-odd minutes ago, on a ten-minute mark: three rounds held, the fourth under way."""
    local = timezone.localtime(now, PARIS).replace(second=0, microsecond=0)
    return local - dt.timedelta(minutes=30 + local.minute % 10)


def _register(event: Event, seed: int) -> None:
    rng = random.Random(seed)
    demo = Member.objects.get(email=MEMBER_EMAIL)
    bosses = list(Member.objects.filter(side=Side.BOSS).exclude(pk=demo.pk).order_by("pk"))
    sponsors = list(Member.objects.filter(side=Side.SPONSOR).order_by("pk"))
    chosen = [demo, *rng.sample(bosses, 59)]
    rows = [
        Registration(event=event, member=b, side=Side.BOSS, status=RegistrationStatus.CONFIRMED)
        for b in chosen
    ]
    for sponsor in rng.sample(sponsors, 16):
        reps = rng.choice([1, 1, 2])
        rows.append(
            Registration(
                event=event,
                member=sponsor,
                side=Side.SPONSOR,
                status=RegistrationStatus.CONFIRMED,
                representatives=reps,
                guaranteed_meetings=rng.randint(7, 9) * reps,
            )
        )
    Registration.objects.bulk_create(rows)


def build_live_seminar(*, seed: int = 2027, now: dt.datetime | None = None) -> Event | None:
    """Create, plan, publish and half-run today's seminar; None if it already exists."""
    if Event.objects.filter(slug=SLUG).exists():
        return None
    rng = random.Random(seed)
    now = now or timezone.now()
    start = _first_round_start(now)
    organiser = get_user_model().objects.get(username=ORGANISER_EMAIL)
    event = Event.objects.create(
        name="Séminaire BigBoss d'automne / Autumn BigBoss seminar (live)",
        slug=SLUG,
        kind=EventKind.SEMINAR,
        venue="Les Fontaines",
        city="Chantilly",
        timezone="Europe/Paris",
        start=start,
        end=start + dt.timedelta(hours=9),
        description=(
            "La journée de démonstration : trois rotations déjà tenues et notées.\n"
            "The demo day: three rounds already held and rated."
        ),
        tables=36,
        boss_min_meetings=6,
        boss_max_meetings=10,
        preferences_deadline=start - dt.timedelta(days=2),
    )
    event.organisers.add(organiser)
    _register(event, seed)
    # Two sessions of ten rounds, the second three hours later; a demo built late in the
    # evening would see that session wrap to the small hours of the same date, so it then
    # runs one session of twenty rounds instead (on past midnight).
    afternoon = start + dt.timedelta(hours=3)
    same_day = afternoon.date() == start.date()
    set_rounds(
        event,
        days=[start.date()],
        session_starts=[start.time(), afternoon.time()] if same_day else [start.time()],
        rounds_per_session=10 if same_day else 20,
        minutes=7,
        changeover=3,
        actor=organiser,
    )
    # The demo member marked preferences before the deadline: two "must meet", one "no thanks".
    demo = Member.objects.get(email=MEMBER_EMAIL)
    sponsors = [r.member for r in event.registrations.filter(side=Side.SPONSOR).order_by("pk")]
    deadline, event.preferences_deadline = event.preferences_deadline, None
    for sponsor, choice in zip(
        sponsors, [Preference.MUST, Preference.MUST, Preference.NO], strict=False
    ):
        set_preference(event, demo, sponsor, choice)
    event.preferences_deadline = deadline
    # The day is replayed at the moments it happened, since the past is frozen: planned the
    # day before, then two bosses missing at round 1, re-planned from round 2 before it began.
    programme = programme_of(event)
    plan = solve(programme.problem, time_limit=settings.SERENDIP_PLANNING_SECONDS, seed=0)
    save_plan(event, plan, programme, actor=organiser, now=start - dt.timedelta(days=1))
    publish(event, actor=organiser)
    during_round_1 = start + dt.timedelta(minutes=3)
    no_shows = event.registrations.filter(side=Side.BOSS).exclude(member=demo).order_by("pk")[:2]
    for registration in no_shows:
        set_attendance(
            registration, RegistrationStatus.NO_SHOW, actor=organiser, now=during_round_1
        )
    replan_from(
        event, event.rounds.get(number=2), actor=organiser, time_limit=3, now=during_round_1
    )
    _rate_held_rounds(event, rng, now)
    lunch = Meal.objects.create(
        event=event,
        name="Déjeuner / Lunch",
        start=start + dt.timedelta(minutes=110),
        tables=[8] * 10,
        rotations=2,
    )
    plan_meal(lunch, actor=organiser)
    return event


def _rate_held_rounds(event: Event, rng: random.Random, now: dt.datetime) -> None:
    """Both sides rate every meeting already over, except the demo member (theirs to give)."""
    demo = Member.objects.get(email=MEMBER_EMAIL)
    held = (
        Meeting.objects.filter(event=event, round__start__lt=now - dt.timedelta(minutes=7))
        .filter(~Q(boss=demo))
        .select_related("boss", "sponsor")
        .order_by("pk")
    )
    for meeting in held:
        for rater in (meeting.boss, meeting.sponsor):
            colour = rng.choice(COLOURS)
            follow_up = colour == Colour.GREEN and rng.random() < 0.6
            # A no-show's meeting of round 1 did not take place: nobody rates it.
            with contextlib.suppress(CannotRate):
                rate(meeting, rater, colour=colour, note="", follow_up=follow_up, now=now)
