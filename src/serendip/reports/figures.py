"""The reports' figures: plain functions returning dataclasses, for sponsors, organisers, members.

Only CONFIRMED outcomes count, and their credit comes from the ``OutcomeCredit`` rows the
outcomes service writes under each rule (first, last, linear): reports add shares with SQL
instead of walking chains of encounters per page. "Held" is the programme's one definition
(``serendip.programme.reports.meeting_state``), counted in bulk by ``serendip.reports.held``.

Every report runs a bounded number of queries, whatever the size of the club: figures are
grouped in the database, never fetched row by row per event or per member.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Greatest, Least, TruncMonth
from django.utils import timezone

from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.members.choices import ConnectionOrigin, Side
from serendip.members.models import Connection, Member, Organisation
from serendip.outcomes.models import (
    Outcome,
    OutcomeCredit,
    OutcomeKind,
    OutcomeParty,
    OutcomeStatus,
)
from serendip.programme.models import Meeting, Rating
from serendip.reports.held import AWAY, planned_and_held, planned_and_held_by
from serendip.reports.models import EventFigures

Rule = Literal["first", "last", "linear"]
RULES: tuple[Rule, ...] = ("first", "last", "linear")
DEFAULT_RULE: Rule = "linear"
# Figures shown to members come from at least this many people, or are not shown.
SMALL_NUMBER = 5
# The club's year runs from September to August, as its seasons of seminars do.
SEASON_STARTS = 9
# A tie with no contact for this long has gone cold.
COLD_AFTER = dt.timedelta(days=365)
# How long an event's own figures are kept once it is over (its programme is frozen then;
# the key also changes with every programme write, absences included).
SUMMARY_SECONDS = 6 * 3600
# Organisation sizes, by members in the club: (smallest size, label key).
SIZE_BANDS: tuple[tuple[int, str], ...] = ((20, "20+"), (5, "5-19"), (2, "2-4"), (0, "1"))
# Months between an event and the outcomes credited to it.
DELAYS: tuple[tuple[int, str], ...] = ((12, "12+"), (6, "6-11"), (3, "3-5"), (0, "0-2"))


def rule_or_default(value: str | None) -> Rule:
    """The credit rule asked for, or the default (shared across all touches)."""
    return value if value in RULES else DEFAULT_RULE  # type: ignore[return-value]


# The seasons a date can hold: one starting in year n ends in August of n + 1.
SEASONS = range(dt.MINYEAR, dt.MAXYEAR)


def season_of(day: dt.date) -> int:
    """The year the day's season started in (September to August)."""
    return day.year if day.month >= SEASON_STARTS else day.year - 1


def season_label(season: int) -> str:
    """A season as people write it: 2025-2026."""
    return f"{season}\u2013{season + 1}"


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 in the same month)."""
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def delay_band(months: int) -> str:
    """The band of months-after-the-event an outcome falls in."""
    return next(label for least, label in DELAYS if months >= least)


def size_band(members: int) -> str:
    """The band of an organisation's size, counted in members of the club."""
    return next(label for least, label in SIZE_BANDS if members >= least)


def per(amount: Decimal | None, count: float) -> Decimal | None:
    """A price divided by a count, to the cent; None when there is nothing to divide."""
    if amount is None or not count:
        return None
    return (amount / Decimal(str(count))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def confirmed_credits(rule: Rule) -> QuerySet[OutcomeCredit]:
    """The credit rows of confirmed outcomes under one rule."""
    return OutcomeCredit.objects.filter(rule=rule, outcome__status=OutcomeStatus.CONFIRMED)


def _credited_amounts(credits: QuerySet[OutcomeCredit]) -> dict[tuple[Any, str], float]:
    """Amounts credited per (group key, currency), each outcome's amount times its share."""
    found: dict[tuple[Any, str], float] = {}
    for key, currency, amount in (
        credits.exclude(outcome__amount__isnull=True)
        .values_list("event_id", "outcome__currency")
        .annotate(
            amount=Sum(F("share") * F("outcome__amount"), output_field=FloatField()),
        )
        .order_by()
    ):
        found[(key, currency or "")] = round(amount or 0.0, 2)
    return found


# --- Sponsor ---------------------------------------------------------------------------------


@dataclass
class SponsorEvent:
    """One event as a sponsor organisation lived it."""

    event_id: int
    name: str
    slug: str
    start: dt.date
    planned: int = 0
    held: int = 0
    green: int = 0
    orange: int = 0
    red: int = 0
    follow_ups: int = 0
    outcomes: float = 0.0
    amounts: dict[str, float] = field(default_factory=dict)
    price: Decimal | None = None
    currency: str = ""

    @property
    def cost_per_meeting(self) -> Decimal | None:
        """The package price divided by the meetings held."""
        return per(self.price, self.held)

    @property
    def cost_per_outcome(self) -> Decimal | None:
        """The package price divided by the outcomes credited to the event."""
        return per(self.price, round(self.outcomes, 6))


@dataclass
class SponsorOutcome:
    """A confirmed outcome of the organisation, with the events its credit went to."""

    outcome_id: int
    kind: str
    happened_on: dt.date
    amount: Decimal | None
    currency: str
    organisations: list[str]
    events: list[tuple[str, float]]


@dataclass
class SponsorReport:
    """What the club's seminars brought one sponsor organisation, event by event."""

    organisation: Organisation
    rule: Rule
    events: list[SponsorEvent]
    outcomes: list[SponsorOutcome]
    now: dt.datetime

    @property
    def totals(self) -> dict[str, Any]:
        """The figures over every event; prices added per currency."""
        prices: dict[str, Decimal] = defaultdict(Decimal)
        held_paid: Counter[str] = Counter()
        outcomes_paid: dict[str, float] = defaultdict(float)
        for row in self.events:
            if row.price is not None:
                prices[row.currency] += row.price
                held_paid[row.currency] += row.held
                outcomes_paid[row.currency] += row.outcomes
        amounts: dict[str, float] = defaultdict(float)
        for row in self.events:
            for currency, amount in row.amounts.items():
                amounts[currency] += amount
        return {
            "planned": sum(r.planned for r in self.events),
            "held": sum(r.held for r in self.events),
            "follow_ups": sum(r.follow_ups for r in self.events),
            "outcomes": round(sum(r.outcomes for r in self.events), 2),
            "amounts": dict(amounts),
            "prices": dict(prices),
            "cost_per_meeting": {c: per(p, held_paid[c]) for c, p in prices.items()},
            "cost_per_outcome": {c: per(p, round(outcomes_paid[c], 6)) for c, p in prices.items()},
        }


def sponsor_report(
    organisation: Organisation, *, rule: Rule = DEFAULT_RULE, now: dt.datetime | None = None
) -> SponsorReport:
    """The organisation's meetings, ratings, follow-ups, outcomes and costs at every event.

    Only outcomes with a party from this organisation (at the time) are counted or listed.
    """
    now = now or timezone.now()
    packages = Registration.objects.filter(
        side=Side.SPONSOR, member__organisation=organisation
    ).values_list("event_id", "package_price", "package_currency")
    prices: dict[int, Decimal] = {}
    currencies: dict[int, str] = {}
    sponsored: set[int] = set()
    for event_id, price, currency in packages:
        sponsored.add(event_id)
        if price is not None:
            prices[event_id] = prices.get(event_id, Decimal(0)) + price
            currencies.setdefault(event_id, currency or "")
    theirs = OutcomeParty.objects.filter(organisation=organisation).values("outcome_id")
    credits = confirmed_credits(rule).filter(outcome_id__in=theirs, event__isnull=False)
    credited = dict(
        credits.values_list("event_id").annotate(n=Sum("share")).order_by()  # type: ignore[arg-type]
    )
    amounts = _credited_amounts(credits)
    # The events it met at; their meetings and ratings come from the events' kept summaries
    # (the organisation's figures there), not from its thousands of meetings on every view.
    met = set(
        Meeting.objects.filter(sponsor__organisation=organisation)
        .values_list("event_id", flat=True)
        .distinct()
        .order_by()
    )
    events = list(
        Event.objects.filter(pk__in=sponsored | set(credited) | met).order_by("start", "pk")
    )
    path = f"sponsors__o{organisation.pk}"
    kept = kept_values(events, now=now, paths=[path])
    rows = []
    for event in events:
        value = kept[event.pk]
        mine = (
            value.sponsor(organisation.pk)
            if isinstance(value, EventSummary)
            else dict(zip(SPONSOR_FIGURES, value[path] or [0] * 6, strict=True))
        )
        rows.append(
            SponsorEvent(
                event_id=event.pk,
                name=event.name,
                slug=event.slug,
                start=timezone.localdate(event.start),
                planned=mine["planned"],
                held=mine["held"],
                green=mine["green"],
                orange=mine["orange"],
                red=mine["red"],
                follow_ups=mine["follow_ups"],
                outcomes=round(credited.get(event.pk, 0.0), 4),
                amounts={c: a for (e, c), a in amounts.items() if e == event.pk},
                price=prices.get(event.pk),
                currency=currencies.get(event.pk, ""),
            )
        )
    return SponsorReport(organisation, rule, rows, _sponsor_outcomes(organisation, rule), now)


def _sponsor_outcomes(organisation: Organisation, rule: Rule) -> list[SponsorOutcome]:
    """The organisation's confirmed outcomes, newest first, with their credited events."""
    outcomes = list(
        Outcome.objects.filter(
            status=OutcomeStatus.CONFIRMED, parties__organisation=organisation
        ).distinct()[:500]
    )
    ids = [o.pk for o in outcomes]
    organisations: dict[int, set[str]] = defaultdict(set)
    for outcome_id, name in OutcomeParty.objects.filter(
        outcome_id__in=ids, organisation__isnull=False
    ).values_list("outcome_id", "organisation__name"):
        organisations[outcome_id].add(name)
    events: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for outcome_id, name, share in (
        OutcomeCredit.objects.filter(outcome_id__in=ids, rule=rule, event__isnull=False)
        .values_list("outcome_id", "event__name", "share")
        .order_by("event__start")
    ):
        events[outcome_id].append((name, round(share, 4)))
    return [
        SponsorOutcome(
            o.pk,
            o.get_kind_display(),
            o.happened_on,
            o.amount,
            o.currency,
            sorted(organisations[o.pk]),
            events[o.pk],
        )
        for o in outcomes
    ]


def sponsor_organisations() -> QuerySet[Organisation]:
    """Organisations with a sponsor at some event, by name."""
    return (
        Organisation.objects.filter(
            members__registrations__side=Side.SPONSOR,
        )
        .distinct()
        .order_by("name")
    )


# --- Organiser ---------------------------------------------------------------------------------


@dataclass
class EventOutcomes:
    """What was credited to an event, months later."""

    outcomes: float = 0.0
    by_delay: dict[str, float] = field(default_factory=dict)
    amounts: dict[str, float] = field(default_factory=dict)


# A sponsor organisation's figures at one event, in this order (``EventSummary.by_sponsor``).
SPONSOR_FIGURES = ("planned", "held", "green", "orange", "red", "follow_ups")


@dataclass
class EventSummary:
    """An event's own figures: what happened there, and what was credited to it since.

    Once the event is over it is computed once and kept (``serendip.reports.models``).
    """

    event_id: int
    name: str
    slug: str
    start: dt.date
    planned: int = 0
    held: int = 0
    expected: int = 0
    no_shows: int = 0
    minimums: int = 0
    minimums_met: int = 0
    strangers: int = 0
    bosses: int = 0
    bosses_back: int = 0
    sponsors: int = 0
    sponsors_back: int = 0
    by_industry: dict[str, int] = field(default_factory=dict)
    by_size: dict[str, int] = field(default_factory=dict)
    # Outcomes credited to the event under each rule.
    credited: dict[str, EventOutcomes] = field(default_factory=dict)
    # Each sponsor organisation's figures there (SPONSOR_FIGURES), by organisation id.
    by_sponsor: dict[int, list[int]] = field(default_factory=dict)

    @property
    def season(self) -> int:
        """The season the event belongs to."""
        return season_of(self.start)

    @property
    def no_show_rate(self) -> float:
        """No-shows among those expected (cancellations are not expected)."""
        return round(self.no_shows / self.expected, 4) if self.expected else 0.0

    @property
    def strangers_share(self) -> float:
        """The share of planned meetings between people who had not met before the event."""
        return round(self.strangers / self.planned, 4) if self.planned else 0.0

    def sponsor(self, organisation_id: int) -> dict[str, int]:
        """One sponsor organisation's figures at the event (zeros if it was not there)."""
        values = self.by_sponsor.get(organisation_id, [0] * len(SPONSOR_FIGURES))
        return dict(zip(SPONSOR_FIGURES, values, strict=True))

    def as_json(self) -> dict[str, Any]:
        """The summary as JSON, without the sponsors' figures (kept apart: ``sponsors_json``)."""
        data = asdict(self)
        data["start"] = self.start.isoformat()
        del data["by_sponsor"]
        return data

    def sponsors_json(self) -> dict[str, list[int]]:
        """The sponsors' figures as JSON, keyed "o" + the organisation's id."""
        return {f"o{k}": v for k, v in self.by_sponsor.items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventSummary:
        """The summary kept as JSON by ``as_json`` (without the sponsors' figures)."""
        data = dict(data)
        data["start"] = dt.date.fromisoformat(data["start"])
        data["credited"] = {r: EventOutcomes(**v) for r, v in data.get("credited", {}).items()}
        data.pop("by_sponsor", None)
        return cls(**data)


@dataclass
class SeasonFigures:
    """One season's sums over its events."""

    season: int
    events: int = 0
    planned: int = 0
    held: int = 0
    outcomes: float = 0.0


@dataclass
class IntroducerCredit:
    """A member whose introductions led to confirmed outcomes, and the credit under each rule."""

    member_id: int
    name: str
    outcomes: int
    shares: dict[str, float]


@dataclass
class ClubDashboard:
    """The organiser's figures: one season's events (or all, or one event), what came of them,
    and every season's sums."""

    rule: Rule
    events: list[EventSummary]
    outcomes: dict[int, EventOutcomes]
    ties: dict[int, tuple[int, int]]  # season -> (new ties, ties gone cold)
    now: dt.datetime
    season_figures: list[SeasonFigures] = field(default_factory=list)
    introducers: list[IntroducerCredit] = field(default_factory=list)
    season: int | None = None

    def outcomes_of(self, event_id: int) -> EventOutcomes:
        """The outcomes credited to an event (none yet: zeros)."""
        return self.outcomes.get(event_id, EventOutcomes())

    @property
    def seasons(self) -> list[int]:
        """Every season with an event or a tie, oldest first (not only the one shown)."""
        return sorted({f.season for f in self.season_figures} | set(self.ties))

    @property
    def industries(self) -> Counter[str]:
        """Meetings planned by the boss's industry, over the events shown."""
        total: Counter[str] = Counter()
        for e in self.events:
            total.update(e.by_industry)
        return total

    @property
    def sizes(self) -> Counter[str]:
        """Meetings planned by the size of the boss's organisation, over the events shown."""
        total: Counter[str] = Counter()
        for e in self.events:
            total.update(e.by_size)
        return total


def _fresh(row: EventFigures, event: Event) -> bool:
    """Whether a kept summary is current: nothing it depends on was written since."""
    return (
        row.computed_version is not None
        and row.computed_version == row.version
        and row.programme_version == event.programme_version
    )


def kept_values(
    events: list[Event], *, now: dt.datetime, paths: list[str]
) -> dict[int, dict[str, Any] | EventSummary]:
    """For each event, some figures read in the database from its current kept summary
    (JSON paths such as ``figures__held``, decoded), or its whole summary computed now when
    none is current (kept if the event is over). Reading a few figures of each row, not the
    whole summaries, keeps a page over hundreds of events light."""
    over = {e.pk: e for e in events if e.end <= now}
    found: dict[int, dict[str, Any] | EventSummary] = {}
    for row in EventFigures.objects.filter(event_id__in=list(over)).values(
        "event_id", "version", "computed_version", "programme_version", *paths
    ):
        event = over[row["event_id"]]
        if (
            row["computed_version"] is not None
            and row["computed_version"] == row["version"]
            and row["programme_version"] == event.programme_version
        ):
            found[event.pk] = {p: row[p] for p in paths}
    missing = [e for e in events if e.pk not in found]
    if missing:
        found.update(compute_summaries(missing, now=now, keep=[e for e in missing if e.pk in over]))
    return found


def event_summaries(events: list[Event], *, now: dt.datetime) -> list[EventSummary]:
    """Each event's own figures (without the sponsors'): events over are read from the summary
    table when current, otherwise computed (and kept if over); events not over are live."""
    found = kept_values(events, now=now, paths=["figures"])
    summaries = []
    for event in events:
        value = found[event.pk]
        if isinstance(value, EventSummary):
            summaries.append(value)
            continue
        summary = EventSummary.from_json(value["figures"])
        # The name as the event has it now (renaming bumps the programme's version anyway).
        summary.name, summary.slug = event.name, event.slug
        summaries.append(summary)
    return summaries


def compute_summaries(
    events: list[Event], *, now: dt.datetime, keep: list[Event] | None = None
) -> dict[int, EventSummary]:
    """Compute the events' summaries and keep those of ``keep`` (events over) in the table.

    The version of each kept row is read BEFORE the figures: a write that lands while they
    are computed bumps it, so the row is kept as stale, never as current.
    """
    keep = keep or []
    if keep:
        EventFigures.objects.bulk_create(
            [EventFigures(event_id=e.pk) for e in keep], ignore_conflicts=True
        )
    versions = dict(
        EventFigures.objects.filter(event_id__in=[e.pk for e in keep]).values_list(
            "event_id", "version"
        )
    )
    fresh = _summaries(events, now)
    if keep:
        rows = [
            EventFigures(
                event_id=e.pk,
                computed_version=versions[e.pk],
                programme_version=e.programme_version,
                figures=fresh[e.pk].as_json(),
                sponsors=fresh[e.pk].sponsors_json(),
                computed_at=now,
            )
            for e in keep
        ]
        EventFigures.objects.bulk_update(
            rows,
            ["computed_version", "programme_version", "figures", "sponsors", "computed_at"],
            batch_size=100,
        )
    return fresh


def stale_summaries(now: dt.datetime) -> list[Event]:
    """The events over whose kept summary is missing or stale, oldest first."""
    events = list(Event.objects.filter(end__lte=now).order_by("start", "pk"))
    rows = {
        r.event_id: r
        for r in EventFigures.objects.filter(event_id__in=[e.pk for e in events]).only(
            "version", "computed_version", "programme_version"
        )
    }
    return [e for e in events if e.pk not in rows or not _fresh(rows[e.pk], e)]


def refresh_summaries(*, now: dt.datetime | None = None, batch: int = 25) -> int:
    """Compute and keep every missing or stale summary of an event over (the periodic job);
    returns how many were computed."""
    now = now or timezone.now()
    stale = stale_summaries(now)
    for index in range(0, len(stale), batch):
        part = stale[index : index + batch]
        compute_summaries(part, now=now, keep=part)
    return len(stale)


def _summaries(events: list[Event], now: dt.datetime) -> dict[int, EventSummary]:
    """The events' own figures, computed in a fixed number of grouped queries."""
    ids = [e.pk for e in events]
    result = {e.pk: EventSummary(e.pk, e.name, e.slug, timezone.localdate(e.start)) for e in events}
    if not ids:
        return result
    meetings = Meeting.objects.filter(event_id__in=ids)
    for event_id, (planned, held) in planned_and_held(meetings, now, event_ids=ids).items():
        result[event_id].planned, result[event_id].held = planned, held
    _attendance(result, events)
    _minimums(result, events)
    # Strangers: no connection between the two before the event (colleagues are connected).
    known = Connection.objects.filter(
        member_a=Least(OuterRef("boss_id"), OuterRef("sponsor_id")),
        member_b=Greatest(OuterRef("boss_id"), OuterRef("sponsor_id")),
    ).filter(Q(since__isnull=True) | Q(since__lt=OuterRef("event__start")))
    for event_id, n in (
        meetings.filter(~Exists(known)).values_list("event_id").annotate(n=Count("pk")).order_by()
    ):
        result[event_id].strangers = n
    for event_id, industry, n in (
        meetings.values_list("event_id", "boss__organisation__industry")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        result[event_id].by_industry[industry or ""] = n
    # Sizes are read once per organisation, and meetings counted per boss's organisation:
    # a size looked up for each of millions of meetings would cost far more.
    met = list(
        meetings.values_list("event_id", "boss__organisation_id").annotate(n=Count("pk")).order_by()
    )
    organisations = {org for _e, org, _n in met if org is not None}
    sizes = dict(
        Member.objects.filter(organisation_id__in=organisations)
        .values_list("organisation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for event_id, organisation_id, n in met:
        band = size_band(sizes.get(organisation_id, 1))
        result[event_id].by_size[band] = result[event_id].by_size.get(band, 0) + n
    _sponsors(result, meetings, ids, now)
    for rule in RULES:
        for event_id, figures in event_outcomes(rule, ids).items():
            result[event_id].credited[rule] = figures
    return result


def _sponsors(
    result: dict[int, EventSummary], meetings: QuerySet[Meeting], ids: list[int], now: dt.datetime
) -> None:
    """Each sponsor organisation's meetings planned and held, bosses' ratings and follow-ups."""
    index = {name: i for i, name in enumerate(SPONSOR_FIGURES)}

    def row(event_id: int, organisation_id: int) -> list[int]:
        return result[event_id].by_sponsor.setdefault(organisation_id, [0] * len(SPONSOR_FIGURES))

    counts = planned_and_held_by(meetings, now, "sponsor__organisation_id", event_ids=ids)
    for (event_id, organisation_id), (planned, held) in counts.items():
        if organisation_id is not None:
            figures = row(event_id, organisation_id)
            figures[index["planned"]], figures[index["held"]] = planned, held
    for event_id, organisation_id, colour, follow_up, n in (
        Rating.objects.filter(meeting__event_id__in=ids, rater_id=F("meeting__boss_id"))
        .values_list(
            "meeting__event_id", "meeting__sponsor__organisation_id", "colour", "follow_up"
        )
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if organisation_id is None:
            continue
        figures = row(event_id, organisation_id)
        if colour in index:
            figures[index[colour]] += n
        if follow_up:
            figures[index["follow_ups"]] += n


def _attendance(result: dict[int, EventSummary], events: list[Event]) -> None:
    """Expected, no-shows, and the bosses and sponsors who had come to an earlier event."""
    for event_id, status, n in (
        Registration.objects.filter(event__in=events, side__in=[Side.BOSS, Side.SPONSOR])
        .values_list("event_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if status != RegistrationStatus.CANCELLED:
            result[event_id].expected += n
        if status == RegistrationStatus.NO_SHOW:
            result[event_id].no_shows += n
    # Who came back: each attendee's first event attended, grouped in the database for the
    # attendees of these events only (a lookup per registration costs tens of seconds).
    there = Registration.objects.exclude(status__in=AWAY)
    attendees = there.filter(event__in=events, side__in=[Side.BOSS, Side.SPONSOR])
    first = dict(
        there.filter(member_id__in=attendees.values("member_id"))
        .values_list("member_id")
        .annotate(first=Min("event__start"))
        .order_by()
    )
    for member_id, event_id, side, start in attendees.values_list(
        "member_id", "event_id", "side", "event__start"
    ).order_by():
        summary = result[event_id]
        back = first[member_id] < start
        if side == Side.BOSS:
            summary.bosses += 1
            summary.bosses_back += back
        else:
            summary.sponsors += 1
            summary.sponsors_back += back


def _minimums(result: dict[int, EventSummary], events: list[Event]) -> None:
    """Minimums met, as ``event_figures`` counts them: the planned meetings of who came."""
    minimum = {e.pk: e.boss_min_meetings for e in events}
    meetings = Meeting.objects.filter(event__in=events).order_by()
    # Meetings per person and event, grouped once (not counted per registration).
    planned: Counter[tuple[int, int]] = Counter()
    for side in ("boss_id", "sponsor_id"):
        for event_id, member_id, n in meetings.values_list("event_id", side).annotate(
            n=Count("pk")
        ):
            planned[(event_id, member_id)] += n
    for event_id, member_id, side, guaranteed in (
        Registration.objects.filter(event__in=events, side__in=[Side.BOSS, Side.SPONSOR])
        .exclude(status__in=AWAY)
        .values_list("event_id", "member_id", "side", "guaranteed_meetings")
    ):
        needed = minimum[event_id] if side == Side.BOSS else (guaranteed or 0)
        if needed:
            result[event_id].minimums += 1
            result[event_id].minimums_met += planned[(event_id, member_id)] >= needed


def event_outcomes(rule: Rule, event_ids: list[int] | None = None) -> dict[int, EventOutcomes]:
    """Outcomes credited to each event under the rule, by months after it, with amounts."""
    credits = confirmed_credits(rule).filter(event__isnull=False)
    if event_ids is not None:
        credits = credits.filter(event_id__in=event_ids)
    found: dict[int, EventOutcomes] = defaultdict(EventOutcomes)
    for event_id, event_start, month, share in (
        credits.annotate(month=TruncMonth("outcome__happened_on"))
        .values_list("event_id", "event__start", "month")
        .annotate(share=Sum("share"))
        .order_by()
    ):
        figures = found[event_id]
        figures.outcomes += share
        band = delay_band(months_between(timezone.localdate(event_start), month))
        figures.by_delay[band] = figures.by_delay.get(band, 0.0) + share
    for (event_id, currency), amount in _credited_amounts(credits).items():
        found[event_id].amounts[currency] = amount
    for figures in found.values():
        figures.outcomes = round(figures.outcomes, 4)
        figures.by_delay = {k: round(v, 4) for k, v in figures.by_delay.items()}
    return dict(found)


def ties_by_season(now: dt.datetime) -> dict[int, tuple[int, int]]:
    """New ties made at events or through introductions, and ties gone cold, per season."""
    new: Counter[int] = Counter()
    cold: Counter[int] = Counter()
    made = Connection.objects.filter(
        since__isnull=False, how__in=[ConnectionOrigin.MET_AT_EVENT, ConnectionOrigin.INTRODUCED]
    )
    for month, n in (
        made.annotate(m=TruncMonth("since")).values_list("m").annotate(n=Count("pk")).order_by()
    ):
        new[season_of(month)] += n
    # A tie is counted cold in the season of its last contact, once a year has passed.
    for month, n in (
        Connection.objects.filter(last_interaction__lt=(now - COLD_AFTER).date())
        .annotate(m=TruncMonth("last_interaction"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cold[season_of(month)] += n
    return {s: (new[s], cold[s]) for s in set(new) | set(cold)}


# Club-wide sums are kept a few minutes under a key that changes with their data (new or
# rewritten credits, a new connection), so a dashboard opened again is not summed again.
KEPT_SECONDS = 600


def _kept(key: str, compute: Callable[[], Any]) -> Any:
    """The value kept under ``key``, computed and kept if missing."""
    full = f"serendip:reports:{key}"
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, timeout=KEPT_SECONDS)
    return value


def _outcomes_version() -> str:
    """Changes whenever an outcome is confirmed, edited or withdrawn (credits rewritten)."""
    credits = OutcomeCredit.objects.aggregate(last=Max("pk"), n=Count("pk"))
    edited = Outcome.objects.aggregate(last=Max("updated_at"))["last"]
    return f"{credits['last']}-{credits['n']}-{edited.timestamp() if edited else 0}"


def _ties_version() -> str:
    """Changes with every new connection."""
    return str(Connection.objects.aggregate(last=Max("pk"))["last"])


def current_season(now: dt.datetime) -> int:
    """The season the dashboard opens on: today's if it has an event (held or planned),
    otherwise the latest season with an event (in the summer, the one just over)."""
    today = season_of(timezone.localdate(now))
    opening = timezone.make_aware(dt.datetime(today, SEASON_STARTS, 1))
    if Event.objects.filter(start__gte=opening).exists():
        return today
    latest = Event.objects.order_by("-start").values_list("start", flat=True).first()
    return today if latest is None else season_of(timezone.localdate(latest))


def introducer_credits(season: int | None = None) -> list[IntroducerCredit]:
    """Members whose introductions led to confirmed outcomes, with their credit by rule
    (outcomes of one season, by the outcome's date, or of every season)."""
    credits = OutcomeCredit.objects.filter(
        outcome__status=OutcomeStatus.CONFIRMED, introducer__isnull=False
    )
    if season is not None:
        credits = credits.filter(
            outcome__happened_on__gte=dt.date(season, SEASON_STARTS, 1),
            outcome__happened_on__lt=dt.date(season + 1, SEASON_STARTS, 1),
        )
    shares: dict[int, dict[str, float]] = defaultdict(dict)
    # Every outcome an introduction led to credits its introducer under the linear rule (all
    # touches count): the most outcomes under any rule is the number of outcomes.
    counts: Counter[int] = Counter()
    for member_id, rule, share, n in (
        credits.values_list("introducer_id", "rule")
        .annotate(share=Sum("share"), n=Count("outcome_id", distinct=True))
        .order_by()
    ):
        shares[member_id][rule] = round(share, 4)
        counts[member_id] = max(counts[member_id], n)
    if not shares:
        return []
    names = {
        m.pk: m.full_name
        for m in Member.objects.filter(pk__in=list(shares)).only("first_name", "last_name")
    }
    found = [
        IntroducerCredit(pk, names.get(pk, ""), counts.get(pk, 0), shares[pk]) for pk in shares
    ]
    return sorted(found, key=lambda c: (-c.shares.get(DEFAULT_RULE, 0.0), c.name, c.member_id))


def club_dashboard(
    *,
    rule: Rule = DEFAULT_RULE,
    event: Event | None = None,
    season: int | None = None,
    now: dt.datetime | None = None,
) -> ClubDashboard:
    """The club's figures per event (one season's, every season's or one event's) with the
    outcomes credited to them, from the events' kept summaries, and every season's sums."""
    now = now or timezone.now()
    by_season: dict[int, SeasonFigures] = {}
    if event is not None:
        chosen = event_summaries([event], now=now)
    else:
        events = list(Event.objects.order_by("start", "pk"))
        season_of_event = {e.pk: season_of(timezone.localdate(e.start)) for e in events}
        # Every season's sums from three figures of each kept summary; whole summaries are
        # read for the events shown only.
        credited = f"figures__credited__{rule}__outcomes"
        paths = ["figures__planned", "figures__held", credited]
        for event_id, value in kept_values(events, now=now, paths=paths).items():
            if isinstance(value, EventSummary):
                planned, held = value.planned, value.held
                outcomes = value.credited.get(rule, EventOutcomes()).outcomes
            else:
                planned, held = value["figures__planned"], value["figures__held"]
                outcomes = value[credited] or 0.0
            key = season_of_event[event_id]
            sums = by_season.setdefault(key, SeasonFigures(key))
            sums.events += 1
            sums.planned += planned
            sums.held += held
            sums.outcomes = round(sums.outcomes + outcomes, 4)
        shown = [e for e in events if season is None or season_of_event[e.pk] == season]
        chosen = event_summaries(shown, now=now)
    ties = (
        _kept(f"ties:{timezone.localdate(now)}:{_ties_version()}", lambda: ties_by_season(now))
        if event is None
        else {}
    )
    for s in ties:
        by_season.setdefault(s, SeasonFigures(s))
    return ClubDashboard(
        rule,
        chosen,
        {s.event_id: s.credited.get(rule, EventOutcomes()) for s in chosen},
        ties,
        now,
        season_figures=[by_season[s] for s in sorted(by_season)],
        introducers=introducer_credits(season) if event is None else [],
        season=season,
    )


# --- Member ------------------------------------------------------------------------------------


@dataclass
class MemberFigures:
    """A member's own figures and the club's, the club's only when enough people make them."""

    member: Member
    meetings_held: int
    people_met: int
    strangers_met: int
    outcomes: int  # the member's own confirmed outcomes
    # (label, value or None when fewer than SMALL_NUMBER people make it), per event attended.
    events: list[tuple[str, int | None, float | None]]
    club_outcomes: list[tuple[str, int | None]]  # by kind
    # Confirmed outcomes an introduction of the member's led to: (date, kind, the parties).
    introduced: list[tuple[dt.date, str, list[str]]] = field(default_factory=list)


def suppressed(value: Any, people: int) -> Any:
    """The value, or None when fewer than SMALL_NUMBER people make it (small numbers hidden)."""
    return value if people >= SMALL_NUMBER else None


def _club_outcomes_by_kind() -> list[tuple[str, int | None]]:
    """Confirmed outcomes of the whole club by kind, each hidden if fewer than 5 people."""
    confirmed = Outcome.objects.filter(status=OutcomeStatus.CONFIRMED)
    by_kind = dict(confirmed.values_list("kind").annotate(n=Count("pk")).order_by())
    people = dict(
        confirmed.values_list("kind")
        .annotate(n=Count("parties__member_id", distinct=True))
        .order_by()
    )
    # Kept by code, not label: the same list serves readers of every language.
    return [
        (k.value, suppressed(by_kind.get(k.value, 0), people.get(k.value, 0))) for k in OutcomeKind
    ]


def member_figures(
    member: Member, *, rule: Rule = DEFAULT_RULE, now: dt.datetime | None = None
) -> MemberFigures:
    """What the member's encounters made, and the club's figures around them (aggregates only).

    What the member gave is listed, never counted or scored: the introductions they made
    that led to a confirmed outcome, one line each (givers keep no tally).
    """
    now = now or timezone.now()
    mine = Meeting.objects.filter(Q(boss=member) | Q(sponsor=member))
    counts = planned_and_held(mine, now, event_ids=set(mine.values_list("event_id", flat=True)))
    first_met: dict[int, dt.datetime] = {}
    for boss_id, sponsor_id, start in mine.values_list("boss_id", "sponsor_id", "round__start"):
        other = sponsor_id if boss_id == member.pk else boss_id
        if other not in first_met or start < first_met[other]:
            first_met[other] = start
    colleagues = (
        set(
            Member.objects.filter(
                pk__in=list(first_met), organisation_id=member.organisation_id
            ).values_list("pk", flat=True)
        )
        if member.organisation_id
        else set()
    )
    known_since: dict[int, dt.date | None] = {}
    for a, b, since in Connection.objects.filter(
        Q(member_a=member) | Q(member_b=member)
    ).values_list("member_a_id", "member_b_id", "since"):
        known_since[b if a == member.pk else a] = since
    # A stranger: not a colleague, and no connection dated before the first meeting with them
    # (a connection without a date is taken as known; no connection at all, as known never).
    strangers = sum(
        1
        for other, start in first_met.items()
        if other not in colleagues
        and (since := known_since.get(other, dt.date.max)) is not None
        and since >= start.date()
    )
    own = (
        Outcome.objects.filter(status=OutcomeStatus.CONFIRMED, parties__member=member)
        .distinct()
        .count()
    )
    # The events the member attended: the club's outcomes credited to each, if enough people.
    attended = list(
        Event.objects.filter(
            start__lte=now,
            pk__in=Registration.objects.filter(member=member)
            .exclude(status__in=AWAY)
            .values("event_id"),
        )
        .order_by("start")
        .values_list("pk", "name")
    )
    ids = [pk for pk, _name in attended]
    credits = confirmed_credits(rule).filter(event_id__in=ids)
    shares = dict(credits.values_list("event_id").annotate(n=Sum("share")).order_by())
    people = dict(
        credits.values_list("event_id")
        .annotate(n=Count("outcome__parties__member_id", distinct=True))
        .order_by()
    )
    there = dict(
        Registration.objects.filter(event_id__in=ids)
        .exclude(status__in=AWAY)
        .values_list("event_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    events = [
        (
            name,
            suppressed(there.get(pk, 0), there.get(pk, 0)),
            suppressed(round(shares.get(pk, 0.0), 2), people.get(pk, 0)),
        )
        for pk, name in attended
    ]
    club = _kept(f"club-outcomes:{_outcomes_version()}", _club_outcomes_by_kind)
    labels = {k.value: str(k.label) for k in OutcomeKind}
    return MemberFigures(
        member,
        sum(h for _p, h in counts.values()),
        len(first_met),
        strangers,
        own,
        events,
        [(labels[kind], n) for kind, n in club],
        introduced_by(member),
    )


def introduced_by(member: Member) -> list[tuple[dt.date, str, list[str]]]:
    """The confirmed outcomes an introduction made by the member led to, newest first:
    the date, what came of it, and who lived it (no amount, no note, no share)."""
    # One query: the parties of those outcomes, with their outcome and member.
    parties = (
        OutcomeParty.objects.filter(
            outcome__status=OutcomeStatus.CONFIRMED,
            outcome_id__in=OutcomeCredit.objects.filter(introducer=member).values("outcome_id"),
        )
        .select_related("outcome", "member")
        .order_by("-outcome__happened_on", "-outcome_id", "member__last_name", "member_id")
    )[:1000]
    outcomes: dict[int, Outcome] = {}
    names: dict[int, list[str]] = defaultdict(list)
    for party in parties:
        outcomes.setdefault(party.outcome_id, party.outcome)
        names[party.outcome_id].append(party.member.full_name)
    return [(o.happened_on, o.get_kind_display(), names[o.pk]) for o in outcomes.values()]
