"""What came of it, in a real browser: a member records a deal from a meeting held at a
seminar, the other party confirms it from "My outcomes", and the outcome shows the chain of
encounters that led to it; a third member cannot open it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from serendip.events.models import Event
from serendip.outcomes.models import Outcome, OutcomeStatus
from tests.e2e.conftest import new_context
from tests.factories import PASSWORD
from tests.outcomes.club import build_club

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(browser: Browser, live_server: object) -> Iterator[Any]:
    """Open a signed-in page for a member, each in their own browser context."""
    contexts = []

    def open_page(member: Any) -> Page:
        context = new_context(browser)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server}/accounts/login/")
        page.get_by_label("Email").fill(member.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("link", name="Network")).to_be_visible()
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_a_deal_recorded_from_a_held_meeting_is_confirmed_by_the_other_party(
    open_as: Any, live_server: object
) -> None:
    club = build_club()
    Event.objects.filter(pk=club.spring.pk).update(published=timezone.now())

    # Ada finds the meeting she held with Sam at the spring seminar, under "How was it?".
    ada = open_as(club.ada)
    ada.goto(f"{live_server}/events/{club.spring.slug}/now/")
    held = ada.locator("#to-rate")
    expect(held).to_contain_text(club.sam.full_name)
    held.get_by_role("link", name="Did something come of it? Record it").click()
    expect(ada.locator("#source")).to_contain_text(club.sam.full_name)
    expect(ada.locator("#source")).to_contain_text(club.spring.name)
    ada.get_by_label("What came of it").select_option("deal")
    ada.get_by_label("Amount (optional)").fill("25000")
    ada.get_by_label("Currency").fill("EUR")
    ada.get_by_label("Private note (optional)").fill("Three-year contract")
    ada.get_by_role("button", name="Record it").click()
    expect(ada.locator("#status")).to_have_text("Waiting for the other party")
    expect(ada.locator("#amount")).to_have_text("25000.00 EUR")
    outcome = Outcome.objects.get()
    assert outcome.meeting_id == club.spring_meeting.pk

    # Sam confirms it from "My outcomes", where it waits for his answer.
    sam = open_as(club.sam)
    sam.get_by_role("link", name="Network").click()
    sam.get_by_role("link", name="My outcomes").click()
    waiting = sam.locator("#waiting")
    expect(waiting).to_contain_text(club.ada.full_name)
    waiting.get_by_role("button", name="Yes, it happened").click()
    expect(sam.get_by_text("Confirmed. Thank you.")).to_be_visible()
    expect(sam.locator("#status")).to_have_text("Confirmed")
    chain = sam.locator("#chain")
    expect(chain).to_contain_text(f"{club.spring.name}, round 1")
    expect(chain).to_contain_text(f"{club.autumn.name}, round 1")
    expect(sam.locator("#note")).to_contain_text("Three-year contract")
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.CONFIRMED
    assert outcome.credits.get(rule="first").event_id == club.spring.pk

    # Someone who lived none of it does not find it.
    yves = open_as(club.yves)
    answer = yves.goto(f"{live_server}{outcome.get_absolute_url()}")
    assert answer is not None and answer.status == 404
