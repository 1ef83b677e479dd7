"""The reports' pages, CSV, PDF and API: what each person sees, and what a sponsor never sees."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from serendip.members.services import create_api_token
from tests.factories import MemberFactory
from tests.reports.club import ReportClub, build_report_club

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def club() -> ReportClub:
    return build_report_club()


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_sponsor_sees_its_deal_credited_to_the_seminar_with_the_cost_per_outcome(club) -> None:
    client = signed_in(club.sponsor)
    url = reverse("report-sponsor", args=[club.acme.pk])
    page = client.get(url).content.decode()
    assert club.event.name in page and "Acme Vendors" in page
    assert "3\u202f000.00" in page  # the cost per outcome: a 3,000 EUR package, one deal
    assert "60000.00 EUR" in page
    assert "Globex" not in page and "9999" not in page
    # The chart, above its table, is fetched by the browser after the page (same access).
    assert 'src="?format=svg&amp;table=events"' in page
    chart = client.get(url + "?format=svg&table=events")
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    assert client.get(url + "?format=svg&table=totals").status_code == 404  # no chart there
    rows = list(
        csv.reader(io.StringIO(client.get(url + "?format=csv&table=events").content.decode()))
    )
    assert rows[0][0] == "Event" and rows[1][0] == club.event.name
    assert rows[1][rows[0].index("Cost per outcome")] == "3000.00"
    outcomes = client.get(url + "?format=csv&table=outcomes").content.decode()
    assert "Acme Vendors" in outcomes and "Globex" not in outcomes and "9999" not in outcomes
    answer = client.get(url + "?format=pdf")
    assert answer["Content-Type"] == "application/pdf"
    text = pdf_text(answer.content)
    assert "Acme Vendors" in text and "3 000.00" in text.replace("\u202f", " ")
    assert "Globex" not in text and "9 999" not in text.replace("\u202f", " ")


def test_a_sponsor_cannot_see_another_organisations_report_in_any_format(club) -> None:
    client = signed_in(club.other_sponsor)
    url = reverse("report-sponsor", args=[club.acme.pk])
    for query in (
        "",
        "?format=csv&table=outcomes",
        "?format=csv&table=events",
        "?format=pdf",
        "?format=svg&table=events",
    ):
        answer = client.get(url + query)
        assert answer.status_code == 403, query
        assert b"60000" not in answer.content
    token = create_api_token(club.other_sponsor, name="t")
    answer = Client().get(
        f"/api/reports/sponsors/{club.acme.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 403 and b"60000" not in answer.content
    # Nor does a boss of the deal: the sponsor report is the organisation's.
    assert signed_in(club.bosses[0]).get(url).status_code == 403


def test_the_sponsor_reads_its_report_through_the_api(club) -> None:
    token = create_api_token(club.sponsor, name="t")
    answer = Client().get(
        f"/api/reports/sponsors/{club.acme.pk}?rule=first",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data["rule"] == "first"
    (row,) = data["tables"]["events"]["rows"]
    assert row["held"] == 2 and row["cost_per_outcome"] == 3000.0 and row["outcomes"] == 1.0
    (outcome,) = data["tables"]["outcomes"]["rows"]
    assert "Acme Vendors" in outcome["organisations"] and outcome["amount"] == 60000.0


def test_the_organisers_dashboard_shows_the_deal_and_prints(club) -> None:
    organiser = MemberFactory(user__is_staff=True)
    client = signed_in(organiser)
    page = client.get(reverse("report-club")).content.decode()
    assert club.event.name in page and "69999.00 EUR" in page
    seasons = client.get(reverse("report-club") + "?format=csv&table=seasons").content.decode()
    assert "Outcomes credited" in seasons.splitlines()[0]
    text = pdf_text(client.get(reverse("report-club") + "?format=pdf").content)
    assert club.event.name in text
    # Members and sponsors are refused the dashboard, in every format.
    for member in (club.sponsor, club.bosses[0]):
        for query in ("", "?format=pdf", "?format=csv&table=events"):
            assert signed_in(member).get(reverse("report-club") + query).status_code == 403


def test_an_event_report_is_for_its_organisers(club) -> None:
    organiser = MemberFactory(user__is_staff=True)
    club.event.organisers.add(organiser.user)
    url = reverse("report-event", args=[club.event.slug])
    assert "69999.00 EUR" in signed_in(organiser).get(url).content.decode()
    other = MemberFactory(user__is_staff=True)
    assert signed_in(other).get(url).status_code == 403


def test_a_third_member_sees_only_aggregates(club) -> None:
    third = MemberFactory()
    page = signed_in(third).get(reverse("report-me")).content.decode()
    assert "60000" not in page and "Acme Vendors" not in page
    assert "fewer than 5 people" in page
    # The parties see their own outcome's timeline.
    mine = signed_in(club.bosses[0]).get(reverse("report-me")).content.decode()
    assert club.sponsor.full_name in mine


def test_an_unknown_table_is_not_found(club) -> None:
    client = signed_in(club.sponsor)
    url = reverse("report-sponsor", args=[club.acme.pk]) + "?format=csv&table=nope"
    assert client.get(url).status_code == 404


def test_the_organisers_event_page_links_to_the_event_and_sponsor_reports(club) -> None:
    organiser = MemberFactory(user__is_staff=True)
    club.event.organisers.add(organiser.user)
    page = signed_in(organiser).get(f"/organise/{club.event.slug}/report/").content.decode()
    assert f'href="{reverse("report-event", args=[club.event.slug])}"' in page
    for organisation in (club.acme, club.globex):
        assert f'href="{reverse("report-sponsor", args=[organisation.pk])}"' in page
        assert signed_in(organiser).get(f"/reports/sponsors/{organisation.pk}/").status_code == 200


def test_introducers_credit_shows_on_the_dashboard_and_in_the_introducers_report(club) -> None:
    from serendip.outcomes.models import OutcomeCredit

    introducer = MemberFactory(first_name="Ines", last_name="Introducer")
    OutcomeCredit.objects.create(outcome=club.deal, rule="linear", introducer=introducer, share=0.5)
    organiser = signed_in(MemberFactory(user__is_staff=True))
    url = reverse("report-club") + "?season=all"
    assert 'id="section-introducers"' in organiser.get(url).content.decode()
    rows = list(
        csv.reader(
            io.StringIO(organiser.get(url + "&format=csv&table=introducers").content.decode())
        )
    )
    assert rows[1][:2] == ["Ines Introducer", "1"]
    mine = signed_in(introducer).get(reverse("report-me")).content.decode()
    assert 'id="section-introductions"' in mine and club.sponsor.full_name in mine
    assert "60000" not in mine  # what came of it, never the amount
    # The dashboard is the organisers': the introducer is refused it.
    assert signed_in(introducer).get(url + "&format=csv&table=introducers").status_code == 403


@pytest.mark.parametrize("season", ["0", "9999", "123456"])
def test_a_season_no_calendar_holds_is_refused_or_ignored_never_an_error(club, season) -> None:
    """Found by the API's fuzzing: season 0 asked for 1 September of year 0 (a 500)."""
    client = signed_in(MemberFactory(user__is_staff=True))
    assert client.get(reverse("report-club") + f"?season={season}").status_code == 200
    answer = client.get(f"/api/reports/club?season={season}")
    assert answer.status_code == 422 and "season" in answer.content.decode()
    with pytest.raises(CommandError) as refused:
        call_command("report", "club", "--season", season, stdout=io.StringIO())
    assert refused.value.returncode == 2
