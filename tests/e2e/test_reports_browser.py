"""Reports in a real browser: a deal recorded from a held meeting and confirmed by the other
party shows in the sponsor's report, credited to that seminar with the cost per outcome; the
organiser's dashboard shows it; another sponsor is refused; a third member sees aggregates."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from serendip.events.models import Event, Registration
from tests.e2e.conftest import new_context
from tests.factories import PASSWORD
from tests.outcomes.club import build_club

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(browser: Browser, live_server: object) -> Iterator[Any]:
    """A signed-in page for an email, each in its own browser context (laptop-sized)."""
    contexts = []

    def open_page(email: str) -> Page:
        context = new_context(browser)
        contexts.append(context)
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("link", name="Reports")).to_be_visible()
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_a_confirmed_deal_shows_in_the_sponsors_report_and_the_organisers_dashboard(
    open_as: Any, live_server: object
) -> None:
    club = build_club()
    Event.objects.filter(pk=club.spring.pk).update(published=timezone.now())
    Registration.objects.filter(event=club.spring, member=club.sam).update(
        package_price=Decimal("5000"), package_currency="EUR"
    )

    # Ada records the deal from the meeting she held with Sam; Sam confirms it.
    ada = open_as(club.ada.email)
    ada.goto(f"{live_server}/events/{club.spring.slug}/now/")
    ada.locator("#to-rate").get_by_role("link", name="Did something come of it? Record it").click()
    ada.get_by_label("What came of it").select_option("deal")
    ada.get_by_label("Amount (optional)").fill("25000")
    ada.get_by_label("Currency").fill("EUR")
    ada.get_by_role("button", name="Record it").click()
    expect(ada.locator("#status")).to_have_text("Waiting for the other party")
    sam = open_as(club.sam.email)
    sam.get_by_role("link", name="Network").click()
    sam.get_by_role("link", name="My outcomes").click()
    sam.locator("#waiting").get_by_role("button", name="Yes, it happened").click()
    expect(sam.locator("#status")).to_have_text("Confirmed")

    # Sam's report: the deal credited to the spring seminar, first touch, 5,000 EUR a deal.
    sam.get_by_role("link", name="Reports").click()
    sam.get_by_role("link", name="Sponsor report: SponsorCo").click()
    sam.get_by_label("Credit rule").select_option("first")
    sam.get_by_role("button", name="Show").click()
    events = sam.locator("#table-events")
    spring = events.get_by_role("row").filter(has_text=club.spring.name)
    expect(spring).to_contain_text("25000.00 EUR")
    expect(spring).to_contain_text("5\u202f000.00")  # the cost per outcome
    expect(sam.locator("#table-outcomes")).to_contain_text(club.spring.name)
    expect(sam.get_by_role("img", name="Chart: Event by event")).to_be_visible()
    pdf = sam.request.get(f"{live_server}/reports/sponsors/{club.sam.organisation_id}/?format=pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"

    # Another sponsor is refused SponsorCo's report.
    zoe = open_as(club.zoe.email)
    answer = zoe.goto(f"{live_server}/reports/sponsors/{club.sam.organisation_id}/")
    assert answer is not None and answer.status == 403

    # The organiser's dashboard shows the deal, shared (the default rule) between the spring
    # and autumn seminars where Ada and Sam met: half of it each.
    organiser = open_as(club.organiser.email)
    organiser.get_by_role("link", name="Reports").click()
    organiser.get_by_role("link", name="The club's dashboard").click()
    # It opens on the current season; the two seminars may fall in two seasons.
    organiser.get_by_label("Season", exact=True).select_option("all")
    organiser.get_by_role("button", name="Show").click()
    rows = organiser.locator("#table-events").get_by_role("row")
    expect(rows.filter(has_text=club.spring.name)).to_contain_text("12500.00 EUR")
    expect(rows.filter(has_text=club.autumn.name)).to_contain_text("12500.00 EUR")

    # Yves, who lived none of it, sees only aggregates: no amount, no organisation, and the
    # club's count of deals hidden (fewer than five people make it).
    yves = open_as(club.yves.email)
    yves.get_by_role("link", name="Reports").click()
    yves.get_by_role("link", name="What my encounters made").click()
    expect(yves.locator("#timeline")).to_contain_text("No confirmed outcome yet")
    club_table = yves.locator("#table-club")
    expect(club_table.get_by_role("row").filter(has_text="A deal")).to_contain_text("—")
    content = yves.content()
    assert "25000" not in content and "SponsorCo" not in content
