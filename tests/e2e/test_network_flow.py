"""Between events in a real browser: an ask finds an introducer, the introduction is made and
accepted by both, contact details appear, and the thank-you reaches the giver without a tally."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from serendip.network.models import Gratitude, Introduction, IntroductionState
from tests.e2e.conftest import new_context
from tests.factories import PASSWORD
from tests.network.club import circle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(browser: Browser, live_server: object) -> Iterator[object]:
    """Open a signed-in page for a member, each in their own browser context."""
    contexts = []

    def open_page(member) -> Page:
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


def test_ask_introduce_accept_and_thank(open_as, live_server: object) -> None:
    c = circle()
    ana = open_as(c.ana)
    ana.get_by_role("link", name="Network").click()
    ana.get_by_role("link", name="Asks").click()
    ana.get_by_label("I'm looking for").select_option("contact")
    ana.get_by_label("Topic").fill("A penetration testing partner")
    ana.get_by_role("button", name="Post my ask").click()
    helper = ana.locator("article.helper").first
    expect(helper).to_contain_text(c.dan.full_name)
    expect(helper).to_contain_text(f"{c.ben.full_name} knows you both")
    helper.get_by_role("button", name="Ask Ben to introduce me").click()
    expect(ana.get_by_text("Ben Test is asked to introduce you.")).to_be_visible()

    ben = open_as(c.ben)
    ben.get_by_role("link", name="Network").click()
    ben.get_by_role("link", name="Ana Test asks you to introduce them to Dan Test").first.click()
    ben.get_by_label("Why they should meet").fill("Dan audits banks; Ana needs exactly that.")
    ben.get_by_role("button", name="Send the introduction").click()
    expect(ben.locator("#state")).to_have_text("Proposed, waiting for both")

    dan = open_as(c.dan)
    dan.get_by_role("link", name="Network").click()
    dan.get_by_role("link", name="Ben Test would like to introduce you").first.click()
    expect(dan.get_by_text("Dan audits banks")).to_be_visible()
    dan.get_by_role("button", name="Yes, introduce us").click()
    expect(dan.get_by_text("Contact details appear here when both")).to_be_visible()
    expect(dan.get_by_text(c.ana.email)).to_have_count(0)

    ana.goto(f"{live_server}/network/")
    ana.get_by_role("link", name="Ben Test would like to introduce you").first.click()
    ana.get_by_role("button", name="Yes, introduce us").click()
    expect(ana.locator("#state")).to_have_text("Accepted by both")
    expect(ana.locator("#contact")).to_contain_text(c.dan.email)
    introduction = Introduction.objects.get()
    assert introduction.state == IntroductionState.ACCEPTED

    ana.get_by_role("link", name="My gratitude ledger").click()
    ana.get_by_label("Who helped me").select_option(label=str(c.dan))
    ana.get_by_label("What they did for me").fill("Found us a pentest partner in a week")
    ana.get_by_label("A thank-you note for them (optional)").fill("Thank you Dan, truly.")
    ana.get_by_role("button", name="Write it down").click()
    expect(ana.get_by_text("Found us a pentest partner in a week")).to_be_visible()
    assert Gratitude.objects.get().giver == c.dan

    dan.get_by_role("link", name="Thank-you notes").click()
    expect(dan.get_by_text("Thank you Dan, truly.")).to_be_visible()
    expect(dan.get_by_text("Found us a pentest partner")).to_have_count(0)
    # No tally for the giver: once the notes' dates are set aside, the page holds no number.
    assert dan.locator("blockquote.thank-you time").count() == 1
    words = dan.locator("main").evaluate(
        "main => { const c = main.cloneNode(true);"
        " c.querySelectorAll('time').forEach(t => t.remove()); return c.innerText; }"
    )
    assert not re.search(r"\d", words), words
