"""The reports' figures laid out as tables, in the reader's language (see ``tables``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from serendip.reports.figures import (
    DELAYS,
    RULES,
    SIZE_BANDS,
    ClubDashboard,
    MemberFigures,
    SponsorReport,
    season_label,
)
from serendip.reports.tables import Column, Table


def _amounts(amounts: dict[str, float]) -> str:
    """Amounts in several currencies on one line: "120000 EUR; 5000 USD"."""
    return "; ".join(f"{a:.2f} {c}".strip() for c, a in sorted(amounts.items())) or ""


def sponsor_tables(report: SponsorReport) -> list[Table]:
    """The sponsor's events (meetings, ratings, outcomes, costs) and its outcomes."""
    events = Table(
        "events",
        _("Event by event"),
        [
            Column("event", _("Event")),
            Column("date", _("Date")),
            Column("planned", _("Meetings planned")),
            Column("held", _("Meetings held")),
            Column("green", _("Green")),
            Column("orange", _("Orange")),
            Column("red", _("Red")),
            Column("follow_ups", _("Follow-ups asked by bosses")),
            Column("outcomes", _("Outcomes credited")),
            Column("amounts", _("Amounts credited")),
            Column("price", _("Package price")),
            Column("currency", _("Currency")),
            Column("cost_per_meeting", _("Cost per meeting held")),
            Column("cost_per_outcome", _("Cost per outcome")),
        ],
        chart="bars",
        chart_values=("planned", "held"),
    )
    for row in report.events:
        events.rows.append(
            [
                row.name,
                row.start.isoformat(),
                row.planned,
                row.held,
                row.green,
                row.orange,
                row.red,
                row.follow_ups,
                round(row.outcomes, 2),
                _amounts(row.amounts),
                row.price,
                row.currency,
                row.cost_per_meeting,
                row.cost_per_outcome,
            ]
        )
    credited = Table(
        "outcomes_by_event",
        _("Outcomes credited to each event"),
        [Column("event", _("Event")), Column("outcomes", _("Outcomes credited"))],
        rows=[[r.name, round(r.outcomes, 2)] for r in report.events],
        chart="bars",
        chart_values=("outcomes",),
    )
    totals = report.totals
    total = Table(
        "totals",
        _("Over every event"),
        [Column("figure", _("Figure")), Column("value", _("Value"))],
        rows=[
            [_("Meetings planned"), totals["planned"]],
            [_("Meetings held"), totals["held"]],
            [_("Follow-ups asked by bosses"), totals["follow_ups"]],
            [_("Outcomes credited"), totals["outcomes"]],
            [_("Amounts credited"), _amounts(totals["amounts"])],
            *[
                [_("Cost per meeting held (%(currency)s)") % {"currency": c}, v]
                for c, v in sorted(totals["cost_per_meeting"].items())
            ],
            *[
                [_("Cost per outcome (%(currency)s)") % {"currency": c}, v]
                for c, v in sorted(totals["cost_per_outcome"].items())
            ],
        ],
    )
    outcomes = Table(
        "outcomes",
        _("Confirmed outcomes"),
        [
            Column("date", _("Date")),
            Column("kind", _("What came of it")),
            Column("organisations", _("Organisations")),
            Column("amount", _("Amount")),
            Column("currency", _("Currency")),
            Column("events", _("Credited to")),
        ],
        rows=[
            [
                o.happened_on.isoformat(),
                o.kind,
                ", ".join(o.organisations),
                o.amount,
                o.currency,
                "; ".join(f"{name} ({share:.0%})" for name, share in o.events),
            ]
            for o in report.outcomes
        ],
    )
    return [total, events, credited, outcomes]


def club_tables(dashboard: ClubDashboard) -> list[Table]:
    """The organiser's tables: per season, per event, outcomes by delay, mixing, ties."""
    seasons = Table(
        "seasons",
        _("Season by season"),
        [
            Column("season", _("Season")),
            Column("events", _("Events")),
            Column("planned", _("Meetings planned")),
            Column("held", _("Meetings held")),
            Column("outcomes", _("Outcomes credited")),
            Column("new_ties", _("New ties")),
            Column("cold_ties", _("Ties gone cold")),
        ],
        chart="bars",
        chart_values=("held", "outcomes"),
    )
    for sums in dashboard.season_figures:
        new, cold = dashboard.ties.get(sums.season, (0, 0))
        seasons.rows.append(
            [
                season_label(sums.season),
                sums.events,
                sums.planned,
                sums.held,
                round(sums.outcomes, 2),
                new,
                cold,
            ]
        )
    per_event = Table(
        "events",
        _("Event by event"),
        [
            Column("event", _("Event")),
            Column("date", _("Date")),
            Column("planned", _("Meetings planned")),
            Column("held", _("Meetings held")),
            Column("no_show_rate", _("No-show rate")),
            Column("minimums_met", _("Minimums met")),
            Column("minimums", _("Minimums owed")),
            Column("strangers_share", _("Meetings between strangers")),
            Column("outcomes", _("Outcomes credited")),
            Column("outcomes_per_boss", _("Outcomes per boss")),
            Column("amounts", _("Amounts credited")),
            Column("bosses_back", _("Bosses who came back")),
            Column("bosses", _("Bosses there")),
            Column("sponsors_back", _("Sponsors who came back")),
            Column("sponsors", _("Sponsors there")),
        ],
        chart="bars",
        chart_values=("planned", "held"),
    )
    for e in dashboard.events:
        outcomes = dashboard.outcomes_of(e.event_id)
        per_event.rows.append(
            [
                e.name,
                e.start.isoformat(),
                e.planned,
                e.held,
                e.no_show_rate,
                e.minimums_met,
                e.minimums,
                e.strangers_share,
                round(outcomes.outcomes, 2),
                round(outcomes.outcomes / e.bosses, 4) if e.bosses else None,
                _amounts(outcomes.amounts),
                e.bosses_back,
                e.bosses,
                e.sponsors_back,
                e.sponsors,
            ]
        )
    delays = [label for _least, label in reversed(DELAYS)]
    later = Table(
        "outcomes_later",
        _("Outcomes credited to each event, by months after it"),
        [
            Column("event", _("Event")),
            *[Column(f"months_{d}", _("%(months)s months later") % {"months": d}) for d in delays],
        ],
        chart="stacked",
        chart_values=tuple(f"months_{d}" for d in delays),
    )
    for e in dashboard.events:
        by_delay = dashboard.outcomes_of(e.event_id).by_delay
        later.rows.append([e.name, *[round(by_delay.get(d, 0.0), 2) for d in delays]])
    industries = Table(
        "industries",
        _("Meetings by the boss's industry"),
        [Column("industry", _("Industry")), Column("meetings", _("Meetings planned"))],
        chart="bars",
        chart_values=("meetings",),
    )
    from serendip.members import industries as vocabulary

    labels = dict(vocabulary.choices())
    for code, n in dashboard.industries.most_common():
        industries.rows.append([str(labels.get(code, code)) if code else _("unknown"), n])
    sizes = Table(
        "sizes",
        _("Meetings by the size of the boss's organisation (members in the club)"),
        [Column("size", _("Organisation size")), Column("meetings", _("Meetings planned"))],
        chart="bars",
        chart_values=("meetings",),
    )
    for _least, band in reversed(SIZE_BANDS):
        sizes.rows.append([band, dashboard.sizes.get(band, 0)])
    introducers = Table(
        "introducers",
        _("Introducers credited"),
        [
            Column("introducer", _("Introducer")),
            Column("outcomes", _("Outcomes their introductions led to")),
            *[Column(f"credit_{rule}", _rule_heading(rule)) for rule in RULES],
        ],
        rows=[
            [c.name, c.outcomes, *[round(c.shares.get(rule, 0.0), 2) for rule in RULES]]
            for c in dashboard.introducers
        ],
        chart="bars",
        chart_values=(f"credit_{dashboard.rule}",),
        note=_(
            "Credit for the introductions made along the way to confirmed outcomes, under each "
            "rule (the outcomes of the season shown, by their date)."
        ),
    )
    return [seasons, per_event, later, industries, sizes, introducers]


def _rule_heading(rule: str) -> str:
    """A credit rule's column heading."""
    from serendip.outcomes.models import CreditRule

    return _("Credit: %(rule)s") % {"rule": CreditRule(rule).label}


def member_tables(figures: MemberFigures) -> list[Table]:
    """The member's own figures, and the club's around them (small numbers hidden)."""
    own = Table(
        "mine",
        _("My encounters"),
        [Column("figure", _("Figure")), Column("value", _("Value"))],
        rows=[
            [_("Meetings held"), figures.meetings_held],
            [_("People met"), figures.people_met],
            [_("Strangers met"), figures.strangers_met],
            [_("Outcomes I took part in"), figures.outcomes],
        ],
    )
    events = Table(
        "events",
        _("The events I attended"),
        [
            Column("event", _("Event")),
            Column("attendees", _("Attendees")),
            Column("outcomes", _("Outcomes credited to the event")),
        ],
        rows=[[name, there, outcomes] for name, there, outcomes in figures.events],
        chart="bars",
        chart_values=("outcomes",),
        note=_("A dash: fewer than 5 people make this figure, so it is not shown."),
    )
    club = Table(
        "club",
        _("What came of the club's encounters"),
        [Column("kind", _("What came of it")), Column("outcomes", _("Confirmed outcomes"))],
        rows=[[kind, n] for kind, n in figures.club_outcomes],
        chart="bars",
        chart_values=("outcomes",),
        note=_("A dash: fewer than 5 people make this figure, so it is not shown."),
    )
    introduced = Table(
        "introductions",
        _("Introductions I made that led somewhere"),
        [
            Column("date", _("Date")),
            Column("kind", _("What came of it")),
            Column("between", _("Between")),
        ],
        rows=[[day.isoformat(), kind, ", ".join(names)] for day, kind, names in figures.introduced],
        note=_("Confirmed outcomes whose chain of encounters includes an introduction you made."),
    )
    return [own, events, club, introduced]
