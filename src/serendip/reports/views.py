"""The reports' pages; each one also answers ``?format=csv&table=NAME`` and (sponsor, club,
event) ``?format=pdf``, from the same tables as the page, behind the same access rule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from serendip.events.access import organised_by
from serendip.events.models import Event
from serendip.members.models import Organisation
from serendip.outcomes.chains import timeline_for
from serendip.reports import figures
from serendip.reports.access import can_see_club, can_see_event, can_see_sponsor, member_of
from serendip.reports.charts import chart_svg
from serendip.reports.exports import csv_response
from serendip.reports.pdf import report_pdf
from serendip.reports.tables import Table
from serendip.reports.tabulate import club_tables, member_tables, sponsor_tables


def _rule(request: HttpRequest) -> figures.Rule:
    return figures.rule_or_default(request.GET.get("rule"))


def _season(request: HttpRequest) -> int | None:
    """The season asked for; the current one by default, every season for ``season=all``."""
    value = request.GET.get("season", "")
    if value == "all":
        return None
    if value.isdigit() and int(value) in figures.SEASONS:
        return int(value)
    return figures.current_season(timezone.now())


def _answer(
    request: HttpRequest,
    *,
    title: str,
    subtitle: str,
    stem: str,
    tables: Sequence[Table],
    printable: bool,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page, one of its tables as CSV, or (where printable) the whole report as PDF."""
    wanted = request.GET.get("format", "")
    if wanted == "svg":
        # A table's chart, drawn when the browser asks for it (after the page, in parallel),
        # and kept: the page itself never waits for a drawing.
        table = next((t for t in tables if t.name == request.GET.get("table")), None)
        svg = chart_svg(table) if table is not None else ""
        if not svg:
            raise Http404("no such chart")
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Cache-Control"] = "private, max-age=300"
        return response
    if wanted == "csv":
        table = next((t for t in tables if t.name == request.GET.get("table")), None)
        if table is None:
            raise Http404("no such table")
        return csv_response(table, stem)
    if wanted == "pdf" and printable:
        response = HttpResponse(report_pdf(title, subtitle, tables), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{stem}.pdf"'
        return response
    return render(
        request,
        "reports/report.html",
        {
            "title": title,
            "subtitle": subtitle,
            "tables": [(t, _chart_url(request, t)) for t in tables],
            "printable": printable,
            "rule": _rule(request),
            "rules": figures.RULES,
            "query": request.GET.urlencode(),
            **(extra or {}),
        },
    )


def _chart_url(request: HttpRequest, table: Table) -> str:
    """Where the browser fetches the table's chart: this page, as SVG (empty: no chart)."""
    if not table.chart or not table.rows:
        return ""
    query = request.GET.copy()
    query["format"], query["table"] = "svg", table.name
    return "?" + query.urlencode()


def _rule_name(rule: str) -> str:
    from serendip.outcomes.models import CreditRule

    return str(CreditRule(rule).label)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The reports this person may open."""
    member = member_of(request.user)
    organisation = member.organisation if member is not None else None
    sponsor = (
        organisation
        if organisation is not None and can_see_sponsor(request.user, organisation)
        else None
    )
    return render(
        request,
        "reports/home.html",
        {
            "sponsor": sponsor,
            "club": can_see_club(request.user),
            "events": organised_by(request.user).order_by("-start")[:50],
            "organisations": figures.sponsor_organisations() if can_see_club(request.user) else [],
        },
    )


@login_required
def member_report(request: HttpRequest) -> HttpResponse:
    """What my encounters made: my outcomes' timelines, my figures, the club's in aggregate."""
    member = member_of(request.user)
    if member is None:
        raise Http404("no member profile")
    rule = _rule(request)
    found = figures.member_figures(member, rule=rule)
    return _answer(
        request,
        title=_("What my encounters made"),
        subtitle=_("Credit rule: %(rule)s") % {"rule": _rule_name(rule)},
        stem="my-report",
        tables=member_tables(found),
        printable=False,
        extra={"timeline": timeline_for(member), "member": member},
    )


@login_required
def sponsor_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A sponsor organisation's report: its own events, meetings, outcomes and costs only."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can_see_sponsor(request.user, organisation):
        raise PermissionDenied("Not your organisation's report.")
    rule = _rule(request)
    report = figures.sponsor_report(organisation, rule=rule)
    return _answer(
        request,
        title=_("Sponsor report: %(name)s") % {"name": organisation.name},
        subtitle=_("Credit rule: %(rule)s") % {"rule": _rule_name(rule)},
        stem=f"sponsor-{organisation.pk}",
        tables=sponsor_tables(report),
        printable=True,
    )


@login_required
def club_report(request: HttpRequest) -> HttpResponse:
    """The organiser's dashboard: one season's events (the current one unless another or
    every season is chosen), every season's sums, and what came of them."""
    if not can_see_club(request.user):
        raise PermissionDenied("Only the club's organisers see its dashboard.")
    rule, season = _rule(request), _season(request)
    dashboard = figures.club_dashboard(rule=rule, season=season)
    subtitle = _("Credit rule: %(rule)s") % {"rule": _rule_name(rule)}
    if season is not None:
        subtitle += " · " + _("Season %(season)s") % {"season": figures.season_label(season)}
    else:
        subtitle += " · " + _("Every season")
    return _answer(
        request,
        title=_("The club's dashboard"),
        subtitle=subtitle,
        stem="club" if season is None else f"club-{season}",
        tables=club_tables(dashboard),
        printable=True,
        extra={
            "seasons": [(str(s), figures.season_label(s)) for s in dashboard.seasons],
            "season": "all" if season is None else str(season),
        },
    )


@login_required
def event_report(request: HttpRequest, slug: str) -> HttpResponse:
    """One event's figures and the outcomes credited to it, months later."""
    event = get_object_or_404(Event, slug=slug)
    if not can_see_event(request.user, event):
        raise PermissionDenied("You do not organise this event.")
    rule = _rule(request)
    dashboard = figures.club_dashboard(rule=rule, event=event)
    return _answer(
        request,
        title=event.name,
        subtitle=_("Credit rule: %(rule)s") % {"rule": _rule_name(rule)},
        stem=f"event-{event.slug}",
        tables=[t for t in club_tables(dashboard) if t.name not in ("seasons", "introducers")],
        printable=True,
        extra={"event": event},
    )
