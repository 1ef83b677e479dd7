"""The reports' figures on a hand-built club, checked against hand-counted values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from serendip.members.models import Connection
from serendip.programme.models import Meeting
from serendip.programme.reports import (
    MeetingState,
    attendance_of,
    event_figures,
    meeting_state,
)
from serendip.reports.figures import (
    club_dashboard,
    member_figures,
    season_of,
    sponsor_report,
    suppressed,
)
from serendip.reports.held import planned_and_held
from tests.factories import MemberFactory
from tests.reports.club import build_report_club, confirmed_outcome

pytestmark = pytest.mark.django_db


def test_held_in_bulk_agrees_with_the_programmes_one_definition() -> None:
    club = build_report_club()
    now = timezone.now()
    attendance = attendance_of(club.event)
    by_hand = sum(
        meeting_state(m, attendance, now) == MeetingState.HELD
        for m in Meeting.objects.filter(event=club.event).select_related("round")
    )
    assert by_hand == 4
    assert planned_and_held(Meeting.objects.all(), now) == {club.event.pk: (6, 4)}
    # Before the seminar nothing is held, and nothing is "not held" either.
    assert planned_and_held(Meeting.objects.all(), club.event.start) == {club.event.pk: (6, 0)}


def test_the_sponsor_report_counts_its_own_meetings_outcomes_and_costs() -> None:
    club = build_report_club()
    report = sponsor_report(club.acme, rule="linear")
    (row,) = report.events
    assert (row.planned, row.held) == (4, 2)  # b3 absent, b4 gone before round 2
    assert (row.green, row.orange, row.red, row.follow_ups) == (1, 1, 0, 1)  # bosses' ratings
    assert row.outcomes == 1.0 and row.amounts == {"EUR": 60000.0}
    assert row.cost_per_meeting == Decimal("1500.00")
    assert row.cost_per_outcome == Decimal("3000.00")
    # Only the organisation's own outcome is listed, never Globex's.
    assert [o.outcome_id for o in report.outcomes] == [club.deal.pk]
    assert report.totals["cost_per_outcome"] == {"EUR": Decimal("3000.00")}


def test_the_credit_rule_changes_what_an_event_is_credited() -> None:
    club = build_report_club()
    # Under "last touch" the deal went to the club itself, not to the seminar.
    (row,) = sponsor_report(club.acme, rule="last").events
    assert row.outcomes == 0.0 and row.cost_per_outcome is None


def test_the_club_dashboard_counts_every_event_and_its_outcomes_months_later() -> None:
    club = build_report_club()
    # b1 and the sponsor of Acme had met before; the other five pairs are strangers.
    a, b = sorted([club.bosses[0].pk, club.sponsor.pk])
    Connection.objects.create(member_a_id=a, member_b_id=b, since=dt.date(2000, 1, 1))
    dashboard = club_dashboard(rule="linear")
    (event,) = dashboard.events
    assert (event.planned, event.held) == (6, 4)
    assert (event.no_shows, event.expected) == (1, 6)
    assert event.strangers == 5
    # Minimums: b1 and b2 (2 planned each) and the Acme sponsor (4 of 3) meet theirs, b4
    # (1 of 2) does not; the same as the event's own report says.
    assert (event.minimums_met, event.minimums) == (3, 4)
    figures = event_figures(club.event)
    assert (figures["minimums_met"], figures["minimums"]) == (3, 4)
    assert (figures["planned"], figures["held"], figures["no_shows"]) == (6, 4, 1)
    outcomes = dashboard.outcomes_of(club.event.pk)
    assert outcomes.outcomes == 2.0 and outcomes.by_delay == {"3-5": 2.0}
    assert outcomes.amounts == {"EUR": 69999.0}
    assert dashboard.seasons == [season_of(event.start)]


def test_a_member_sees_their_own_figures_and_only_large_enough_club_figures() -> None:
    club = build_report_club()
    figures = member_figures(club.bosses[0], rule="linear")
    assert (figures.meetings_held, figures.people_met, figures.outcomes) == (2, 2, 1)
    # Four people took part in the seminar's outcomes: fewer than five, so not shown.
    ((_name, attendees, outcomes),) = figures.events
    assert attendees == 5 and outcomes is None
    assert dict(figures.club_outcomes)["A deal"] is None
    # A fifth and sixth person with a confirmed deal: now the figures are shown.
    confirmed_outcome(
        "deal",
        [MemberFactory(), MemberFactory()],
        timezone.localdate(),
        None,
        {"linear": [(club.event, 1.0)]},
    )
    figures = member_figures(club.bosses[0], rule="linear")
    assert figures.events[0][2] == 3.0
    assert dict(figures.club_outcomes)["A deal"] == 3


def test_small_numbers_are_never_shown() -> None:
    assert suppressed(7, 4) is None and suppressed(7, 5) == 7
