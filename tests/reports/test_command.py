"""``serendip report sponsor|event|club`` prints the pages' tables, or CSV with --csv."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.reports.club import build_report_club

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_the_sponsor_report_as_csv_names_the_cost_per_outcome() -> None:
    club = build_report_club()
    text = run("sponsor", "acme vendors", "--csv", "--table", "events")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["Event"] for r in rows] == [club.event.name]
    assert rows[0]["Cost per outcome"] == "3000.00" and rows[0]["Meetings held"] == "2"
    # By id too, and as text with every table.
    assert "Confirmed outcomes" in run("sponsor", str(club.acme.pk))


def test_the_event_and_club_reports_print_every_table() -> None:
    club = build_report_club()
    text = run("event", club.event.slug)
    assert "Event by event" in text and club.event.name in text
    seasons = run("club", "--csv", "--table", "seasons", "--rule", "first")
    assert next(csv.DictReader(io.StringIO(seasons)))["Outcomes credited"] == "2.0"


def test_unknown_names_are_refused() -> None:
    with pytest.raises(CommandError, match="no organisation"):
        run("sponsor", "Nobody Inc")
    with pytest.raises(CommandError, match="no event"):
        run("event", "nope")
    with pytest.raises(CommandError, match="no table"):
        run("club", "--table", "nope")
