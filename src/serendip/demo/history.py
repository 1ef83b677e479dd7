"""The demo club's past: two seasons of seminars, and what came of them months later.

Four seminars over the last two years, each with its one-to-one meetings held and rated,
a lunch seated, a few no-shows and sponsors who paid for their package; green pairs became
connections. Months later, some of those pairs recorded deals, partnerships and hires, and
the other party confirmed them (through the outcomes service, at the moments they happened,
so credit goes to the seminar that started each story); a few came through introductions.
So every report and chart shows something real at first start.

The past is written in bulk, as the club generator does: these rows are the history a real
club would have gathered, not actions taken now.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from serendip.demo.club import MEMBER_EMAIL, ORGANISER_EMAIL
from serendip.events.models import Event, EventKind, Registration, RegistrationStatus, Round
from serendip.meals.models import Meal, Seat
from serendip.members.choices import ConnectionOrigin, Side
from serendip.members.models import Connection, Member
from serendip.network.introductions import (
    IntroductionRefused,
    answer_introduction,
    propose_introduction,
)
from serendip.network.models import Introduction, IntroductionStep
from serendip.outcomes.models import Outcome, OutcomeKind
from serendip.outcomes.services import OutcomeRefused, confirm_outcome, record_outcome
from serendip.programme.models import Colour, Meeting, Rating

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SLUG_PREFIX = "past-seminar-"
# (days before now, French name, English name): spring and autumn of the last two seasons.
SEMINARS = (
    (640, "Séminaire BigBoss de printemps", "Spring BigBoss seminar"),
    (450, "Séminaire BigBoss d'automne", "Autumn BigBoss seminar"),
    (280, "Séminaire BigBoss de printemps", "Spring BigBoss seminar"),
    (100, "Séminaire BigBoss d'automne", "Autumn BigBoss seminar"),
)
BOSSES, SPONSORS, ROUNDS = 44, 15, 8
COLOURS = [Colour.GREEN] * 5 + [Colour.ORANGE] * 3 + [Colour.RED] * 2
KINDS = [OutcomeKind.DEAL] * 5 + [
    OutcomeKind.PARTNERSHIP,
    OutcomeKind.PARTNERSHIP,
    OutcomeKind.HIRE,
    OutcomeKind.REFERRAL,
    OutcomeKind.HELP,
]


@dataclass
class History:
    """What was built: the seminars, and a sponsor whose report shows a confirmed deal."""

    events: list[Event]
    outcomes: int
    sponsor: Member | None


def _seminar(days_ago: int, names: tuple[str, str], now: dt.datetime) -> Event:
    day = timezone.localtime(now - dt.timedelta(days=days_ago), PARIS).date()
    start = dt.datetime.combine(day, dt.time(9, 0), PARIS)
    event = Event.objects.create(
        name=f"{names[0]} {day.year} / {names[1]} {day.year}",
        slug=f"{SLUG_PREFIX}{day:%Y-%m}",
        kind=EventKind.SEMINAR,
        venue="Domaine de Chantilly",
        city="Chantilly",
        start=start,
        end=start + dt.timedelta(hours=9),
        description="Un séminaire passé de la saison.\nA past seminar of the season.",
        tables=30,
        boss_min_meetings=4,
        boss_max_meetings=ROUNDS,
        published=start - dt.timedelta(days=7),
    )
    Round.objects.bulk_create(
        Round(
            event=event,
            number=n,
            session=1,
            start=start + dt.timedelta(minutes=10 * (n - 1)),
            minutes=7,
        )
        for n in range(1, ROUNDS + 1)
    )
    return event


def _register(
    event: Event, rng: random.Random, bosses: list[Member], sponsors: list[Member]
) -> tuple[list[Member], list[tuple[Member, int]]]:
    """Registrations with a few no-shows; returns the bosses there and the sponsors' seats."""
    rows, there = [], []
    for boss in bosses:
        away = rng.random() < 0.1 and boss.email != MEMBER_EMAIL
        status = RegistrationStatus.NO_SHOW if away else RegistrationStatus.CHECKED_IN
        rows.append(Registration(event=event, member=boss, side=Side.BOSS, status=status))
        if not away:
            there.append(boss)
    seats = []
    for sponsor in sponsors:
        reps = rng.choice([1, 2, 2])
        rows.append(
            Registration(
                event=event,
                member=sponsor,
                side=Side.SPONSOR,
                status=RegistrationStatus.CHECKED_IN,
                representatives=reps,
                guaranteed_meetings=5 * reps,
                package_price=Decimal(rng.choice([8000, 12000, 15000]) * reps),
                package_currency="EUR",
            )
        )
        seats += [(sponsor, seat) for seat in range(1, reps + 1)]
    Registration.objects.bulk_create(rows)
    return there, seats


def _meetings(
    event: Event, rng: random.Random, bosses: list[Member], seats: list[tuple[Member, int]]
) -> list[Meeting]:
    """Each round, every sponsor seat meets a boss it has not met yet, free that round."""
    met: set[tuple[int, int]] = set()
    rows = []
    for round_ in event.rounds.order_by("number"):
        free = bosses[:]
        rng.shuffle(free)
        for table, (sponsor, seat) in enumerate(seats, start=1):
            boss = next((b for b in free if (b.pk, sponsor.pk) not in met), None)
            if boss is None:
                continue
            free.remove(boss)
            met.add((boss.pk, sponsor.pk))
            rows.append(
                Meeting(
                    event=event, round=round_, table=table, boss=boss, sponsor=sponsor, seat=seat
                )
            )
    return Meeting.objects.bulk_create(rows)


def _ratings(event: Event, rng: random.Random, meetings: list[Meeting]) -> list[Meeting]:
    """Both sides rate most meetings; green pairs become connections. Returns green pairs."""
    ratings, greens = [], []
    for meeting in meetings:
        colours = []
        for rater in (meeting.boss, meeting.sponsor):
            if rng.random() < 0.85:
                colour = rng.choice(COLOURS)
                colours.append(colour)
                follow_up = colour == Colour.GREEN and rng.random() < 0.5
                ratings.append(
                    Rating(meeting=meeting, rater=rater, colour=colour, follow_up=follow_up)
                )
        if colours == [Colour.GREEN, Colour.GREEN]:
            greens.append(meeting)
    Rating.objects.bulk_create(ratings)
    day = timezone.localdate(event.start)
    Connection.objects.bulk_create(
        [
            Connection(
                member_a_id=min(m.boss_id, m.sponsor_id),
                member_b_id=max(m.boss_id, m.sponsor_id),
                how=ConnectionOrigin.MET_AT_EVENT,
                since=day,
                last_interaction=day,
            )
            for m in greens
        ],
        ignore_conflicts=True,
    )
    return greens


def _lunch(event: Event, people: list[Member]) -> None:
    """One lunch, tables of eight, everyone who came seated in order."""
    tables = -(-len(people) // 8)
    meal = Meal.objects.create(
        event=event,
        name="Déjeuner / Lunch",
        start=event.start + dt.timedelta(hours=3, minutes=30),
        tables=[8] * tables,
        rotations=1,
    )
    Seat.objects.bulk_create(
        Seat(meal=meal, rotation=1, table=index % tables + 1, member=person)
        for index, person in enumerate(people)
    )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), PARIS)


def _outcome(
    rng: random.Random,
    meeting: Meeting,
    now: dt.datetime,
    *,
    recorder: Member | None = None,
    kind: str | None = None,
) -> Outcome | None:
    """A party records what came of a green meeting months later; the other confirms."""
    day = timezone.localdate(meeting.round.start) + dt.timedelta(days=rng.randint(40, 200))
    confirmed = day + dt.timedelta(days=rng.randint(3, 20))
    if _at(confirmed, 18) >= now:
        return None
    kind = kind or rng.choice(KINDS)
    by = recorder or rng.choice([meeting.boss, meeting.sponsor])
    other = meeting.sponsor if by.pk == meeting.boss_id else meeting.boss
    amount = Decimal(rng.randrange(15_000, 250_000, 500)) if kind == OutcomeKind.DEAL else None
    try:
        outcome = record_outcome(
            by=by,
            kind=kind,
            happened_on=day,
            parties=[other],
            amount=amount,
            currency="EUR" if amount else "",
            meeting=meeting,
            now=_at(day + dt.timedelta(days=1), 10),
        )
        return confirm_outcome(outcome=outcome, by=other, now=_at(confirmed, 18))
    except OutcomeRefused:
        return None


def _introduced(rng: random.Random, greens: list[Meeting], now: dt.datetime) -> list[Outcome]:
    """A sponsor who met two bosses introduces them; months later they work together."""
    found: list[Outcome] = []
    by_sponsor: dict[int, list[Meeting]] = {}
    for meeting in greens:
        by_sponsor.setdefault(meeting.sponsor_id, []).append(meeting)
    for meetings in by_sponsor.values():
        if len(found) >= 3 or len(meetings) < 2:
            continue
        first, second = meetings[0], meetings[1]
        when = first.round.start + dt.timedelta(days=rng.randint(20, 60))
        try:
            introduction = propose_introduction(
                first.sponsor,
                seeker=first.boss,
                helper=second.boss,
                note="Vous travaillez sur le même sujet. / You work on the same thing.",
            )
        except IntroductionRefused:
            continue
        answer_introduction(introduction, first.boss, yes=True)
        answer_introduction(introduction, second.boss, yes=True)
        # The introduction happened weeks after the seminar, not today.
        Introduction.objects.filter(pk=introduction.pk).update(created=when, expires=when)
        IntroductionStep.objects.filter(introduction=introduction).update(at=when)
        Connection.objects.filter(
            member_a_id=min(first.boss_id, second.boss_id),
            member_b_id=max(first.boss_id, second.boss_id),
        ).update(since=when.date(), last_interaction=when.date())
        introduction.refresh_from_db()
        day = when.date() + dt.timedelta(days=rng.randint(30, 120))
        if _at(day + dt.timedelta(days=10), 18) >= now:
            continue
        try:
            outcome = record_outcome(
                by=first.boss,
                kind=OutcomeKind.PARTNERSHIP,
                happened_on=day,
                parties=[second.boss],
                introduction=introduction,
                now=_at(day + dt.timedelta(days=2), 10),
            )
            found.append(
                confirm_outcome(
                    outcome=outcome, by=second.boss, now=_at(day + dt.timedelta(days=10), 18)
                )
            )
        except OutcomeRefused:
            continue
    return found


@transaction.atomic
def build_history(*, seed: int = 2027, now: dt.datetime | None = None) -> History | None:
    """Write the demo club's two past seasons once; None if they are already there."""
    if Event.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        return None
    now = now or timezone.now()
    rng = random.Random(seed + 18)
    organiser = get_user_model().objects.get(username=ORGANISER_EMAIL)
    camille = Member.objects.get(email=MEMBER_EMAIL)
    bosses = list(Member.objects.filter(side=Side.BOSS).exclude(pk=camille.pk).order_by("pk"))
    sponsors = list(Member.objects.filter(side=Side.SPONSOR).order_by("pk"))
    # A core of regulars comes back season after season; the rest changes.
    regular_bosses, regular_sponsors = bosses[:20], sponsors[:6]
    events, greens_by_event = [], []
    for index, (days_ago, fr, en) in enumerate(SEMINARS):
        event = _seminar(days_ago, (fr, en), now)
        event.organisers.add(organiser)
        chosen = [
            *([camille] if index != 1 else []),
            *rng.sample(regular_bosses, 14),
            *rng.sample(bosses[20:], BOSSES - 15),
        ]
        paying = [*rng.sample(regular_sponsors, 4), *rng.sample(sponsors[6:], SPONSORS - 4)]
        there, seats = _register(event, rng, chosen, paying)
        meetings = _meetings(event, rng, there, seats)
        greens = _ratings(event, rng, meetings)
        _lunch(event, [*there, *[s for s, seat in seats if seat == 1]])
        events.append(event)
        greens_by_event.append(greens)
    outcomes: list[Outcome] = []
    for greens in greens_by_event:
        for meeting in rng.sample(greens, min(len(greens), 7)):
            found = _outcome(rng, meeting, now)
            if found is not None:
                outcomes.append(found)
    # Camille's own story: a deal with a sponsor she met and rated green.
    mine = [m for greens in greens_by_event[:3] for m in greens if m.boss_id == camille.pk]
    if not mine:
        mine = list(
            Meeting.objects.filter(event__in=events[:3], boss=camille)
            .select_related("round", "boss", "sponsor")
            .order_by("round__start")[:1]
        )
        for meeting in mine:
            for rater in (meeting.boss, meeting.sponsor):
                Rating.objects.update_or_create(
                    meeting=meeting, rater=rater, defaults={"colour": Colour.GREEN}
                )
    for meeting in mine[:1]:
        found = _outcome(rng, meeting, now, recorder=camille, kind=OutcomeKind.DEAL)
        if found is not None:
            outcomes.append(found)
    for greens in greens_by_event[:3]:
        outcomes += _introduced(rng, greens, now)
    deals = [o for o in outcomes if o.kind == OutcomeKind.DEAL and o.meeting is not None]
    sponsor = deals[0].meeting.sponsor if deals and deals[0].meeting else None
    return History(events, len(outcomes), sponsor)
