"""The events' kept summaries: the dashboard read from them says what a computation from
scratch says, and every write the figures depend on makes the kept summary stale."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from serendip.members.models import Connection
from serendip.outcomes.models import OutcomeCredit
from serendip.outcomes.services import (
    confirm_outcome,
    edit_outcome,
    record_outcome,
    withdraw_outcome,
)
from serendip.programme.models import Meeting
from serendip.programme.services import rate
from serendip.reports.figures import (
    _summaries,
    club_dashboard,
    current_season,
    event_summaries,
    introducer_credits,
    member_figures,
    refresh_summaries,
    sponsor_report,
    stale_summaries,
)
from serendip.reports.models import EventFigures
from tests.factories import EventFactory, MemberFactory
from tests.reports.club import ReportClub, build_report_club, confirmed_outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def club() -> ReportClub:
    club = build_report_club()
    assert refresh_summaries(now=timezone.now()) == 1  # the seminar is over: kept
    assert stale_summaries(timezone.now()) == []
    return club


def kept(club: ReportClub) -> EventFigures:
    return EventFigures.objects.get(event=club.event)


def fresh(club: ReportClub) -> bool:
    row = kept(club)
    return row.computed_version == row.version


def test_the_dashboard_from_kept_summaries_equals_the_figures_from_scratch(club) -> None:
    now = timezone.now()
    scratch = _summaries([club.event], now)[club.event.pk]
    (from_table,) = club_dashboard(rule="linear", now=now).events
    assert from_table.as_json() == scratch.as_json()
    assert (from_table.planned, from_table.held, from_table.no_shows) == (6, 4, 1)
    assert from_table.credited["linear"].outcomes == 2.0
    assert kept(club).sponsors == scratch.sponsors_json()
    assert scratch.sponsor(club.acme.pk) == {
        "planned": 4,
        "held": 2,
        "green": 1,
        "orange": 1,
        "red": 0,
        "follow_ups": 1,
    }
    # And the sponsor's report, read from the same row, says what the hand counts say.
    (row,) = sponsor_report(club.acme, rule="linear", now=now).events
    assert (row.planned, row.held, row.green, row.orange, row.follow_ups) == (4, 2, 1, 1, 1)


def test_a_summary_is_read_not_computed_while_nothing_changed(
    club, django_assert_max_num_queries
) -> None:
    event = type(club.event).objects.get(pk=club.event.pk)
    with django_assert_max_num_queries(1):
        (summary,) = event_summaries([event], now=timezone.now())
    assert summary.held == 4


def test_a_rating_changes_the_sponsors_figures(club) -> None:
    meeting = Meeting.objects.get(event=club.event, boss=club.bosses[1], sponsor=club.sponsor)
    rate(meeting, club.bosses[1], colour="red", note="", follow_up=True)
    assert not fresh(club)  # never shown as current
    (row,) = sponsor_report(club.acme, rule="linear").events
    assert (row.green, row.orange, row.red, row.follow_ups) == (1, 0, 1, 2)
    assert fresh(club)  # computed again on the way, and kept


def test_a_confirmed_outcome_then_its_edit_and_withdrawal_change_the_dashboard(club) -> None:
    now = timezone.now()
    b1 = club.bosses[0]
    meeting = Meeting.objects.get(event=club.event, boss=b1, sponsor=club.sponsor)
    outcome = record_outcome(
        by=b1,
        kind="deal",
        happened_on=timezone.localdate(now),
        parties=[club.sponsor],
        amount=1000,
        currency="EUR",
        meeting=meeting,
        now=now,
    )
    assert fresh(club)  # proposed only: nothing credited yet
    confirm_outcome(outcome=outcome, by=club.sponsor, now=now)
    assert not fresh(club)
    figures = club_dashboard(rule="linear", season=None).outcomes_of(club.event.pk)
    assert figures.outcomes == 3.0 and figures.amounts == {"EUR": 70999.0}
    edit_outcome(outcome=outcome, by=b1, now=now, amount=5000)
    assert not fresh(club)
    figures = club_dashboard(rule="linear", season=None).outcomes_of(club.event.pk)
    assert figures.amounts == {"EUR": 74999.0}
    withdraw_outcome(outcome=outcome, by=b1, now=now)
    figures = club_dashboard(rule="linear", season=None).outcomes_of(club.event.pk)
    assert figures.outcomes == 2.0 and figures.amounts == {"EUR": 69999.0}


def test_a_connection_dated_before_the_event_changes_the_strangers(club) -> None:
    (before,) = club_dashboard(season=None).events
    assert before.strangers == 6
    a, b = sorted([club.bosses[0].pk, club.sponsor.pk])
    Connection.objects.create(member_a_id=a, member_b_id=b, since=dt.date(2000, 1, 1))
    (after,) = club_dashboard(season=None).events
    assert after.strangers == 5


def test_a_programme_write_makes_the_summary_stale(club) -> None:
    from serendip.events.services import bump_programme_version

    bump_programme_version(club.event)
    assert stale_summaries(timezone.now()) == [club.event]
    assert refresh_summaries() == 1 and stale_summaries(timezone.now()) == []


def test_the_dashboard_opens_on_the_current_season_others_selectable() -> None:
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, 0, tzinfo=paris), tick=False):
        club = build_report_club()  # its seminar: early July 2026, the 2025-2026 season
        now = timezone.now()
        # Nothing yet this season (2026-2027): the season just over is shown.
        assert current_season(now) == 2025
        later = EventFactory(
            start=dt.datetime(2027, 3, 1, 9, tzinfo=paris),
            end=dt.datetime(2027, 3, 1, 18, tzinfo=paris),
        )
        assert current_season(now) == 2026
        dashboard = club_dashboard(season=2026, now=now)
        assert [e.event_id for e in dashboard.events] == [later.pk]
        assert dashboard.seasons == [2025, 2026]  # the other season stays selectable
        assert [f.events for f in dashboard.season_figures] == [1, 1]
        assert [e.event_id for e in club_dashboard(season=2025, now=now).events] == [club.event.pk]


def test_introducers_are_credited_on_the_dashboard_and_see_what_their_introductions_led_to(
    club,
) -> None:
    introducer = MemberFactory(first_name="Ines", last_name="Introducer")
    outcome = confirmed_outcome(
        "partnership",
        [club.bosses[2], club.bosses[3]],
        timezone.localdate(),
        "500",
        {"linear": [(club.event, 0.5)], "first": [(club.event, 1.0)], "last": []},
    )
    for rule, share in (("linear", 0.5), ("last", 1.0)):
        OutcomeCredit.objects.create(outcome=outcome, rule=rule, introducer=introducer, share=share)
    (credit,) = introducer_credits()
    assert (credit.member_id, credit.outcomes) == (introducer.pk, 1)
    assert credit.shares == {"linear": 0.5, "last": 1.0}
    assert club_dashboard(season=None).introducers == [credit]
    ((day, kind, names),) = member_figures(introducer).introduced
    assert day == timezone.localdate() and kind == "A partnership or collaboration"
    assert sorted(names) == sorted([club.bosses[2].full_name, club.bosses[3].full_name])
    assert member_figures(club.bosses[0]).introduced == []
