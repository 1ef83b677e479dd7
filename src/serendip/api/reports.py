"""The reports' figures through the API: the same tables as the pages, as JSON.

Each answer is ``{"title", "rule", "tables": {name: {"title", "columns", "rows"}}}``, where
``rows`` are objects keyed by the column keys. The access rules are the pages' own
(``serendip.reports.access``): a sponsor reads its own organisation's report only.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from serendip.api import schemas
from serendip.events.models import Event
from serendip.members.models import Organisation
from serendip.reports import figures
from serendip.reports.access import can_see_club, can_see_event, can_see_sponsor, member_of
from serendip.reports.tables import Table
from serendip.reports.tabulate import club_tables, member_tables, sponsor_tables

router = Router(tags=["reports"])


class ReportColumnOut(Schema):
    key: str
    label: str


class ReportTableOut(Schema):
    title: str
    columns: list[ReportColumnOut]
    rows: list[dict[str, Any]]


class ReportOut(Schema):
    title: str
    rule: str
    tables: dict[str, ReportTableOut]


def _report(title: str, rule: str, tables: list[Table]) -> dict[str, Any]:
    return {
        "title": title,
        "rule": rule,
        "tables": {
            t.name: {
                "title": t.title,
                "columns": [{"key": c.key, "label": c.label} for c in t.columns],
                "rows": t.as_dicts(),
            }
            for t in tables
        },
    }


@router.get("/reports/me", response=schemas.answers(ReportOut))
def report_me(request: HttpRequest, rule: str = figures.DEFAULT_RULE) -> dict[str, Any]:
    """My encounters' figures, and the club's in aggregate (fewer than 5 people: null)."""
    member = member_of(request.user)
    if member is None:
        raise HttpError(403, "This account has no member profile.")
    chosen = figures.rule_or_default(rule)
    found = figures.member_figures(member, rule=chosen)
    return _report(_("What my encounters made"), chosen, member_tables(found))


@router.get("/reports/sponsors/{organisation_id}", response=schemas.answers(ReportOut))
def report_sponsor(
    request: HttpRequest, organisation_id: int, rule: str = figures.DEFAULT_RULE
) -> dict[str, Any]:
    """A sponsor organisation's report: for the club's organisers and that organisation only."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not can_see_sponsor(request.user, organisation):
        raise HttpError(403, "Not your organisation's report.")
    chosen = figures.rule_or_default(rule)
    report = figures.sponsor_report(organisation, rule=chosen)
    title = _("Sponsor report: %(name)s") % {"name": organisation.name}
    return _report(title, chosen, sponsor_tables(report))


@router.get("/reports/club", response=schemas.answers(ReportOut))
def report_club(
    request: HttpRequest,
    rule: str = figures.DEFAULT_RULE,
    season: int | None = Query(None, ge=figures.SEASONS.start, le=figures.SEASONS.stop - 1),
) -> dict[str, Any]:
    """The club's dashboard (its organisers only): events, seasons, outcomes, mixing, ties."""
    if not can_see_club(request.user):
        raise HttpError(403, "Only the club's organisers see its dashboard.")
    chosen = figures.rule_or_default(rule)
    dashboard = figures.club_dashboard(rule=chosen, season=season)
    return _report(_("The club's dashboard"), chosen, club_tables(dashboard))


@router.get("/reports/events/{slug}", response=schemas.answers(ReportOut))
def report_event(
    request: HttpRequest, slug: str, rule: str = figures.DEFAULT_RULE
) -> dict[str, Any]:
    """One event's figures and the outcomes credited to it (its organisers only)."""
    event = get_object_or_404(Event, slug=slug)
    if not can_see_event(request.user, event):
        raise HttpError(403, "You do not organise this event.")
    chosen = figures.rule_or_default(rule)
    dashboard = figures.club_dashboard(rule=chosen, event=event)
    tables = [t for t in club_tables(dashboard) if t.name not in ("seasons", "introducers")]
    return _report(event.name, chosen, tables)
