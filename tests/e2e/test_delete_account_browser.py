"""In a browser: a member downloads their data, then deletes their account and cannot sign in."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from serendip.members.privacy import is_erased
from tests.factories import PASSWORD
from tests.privacy.history import build_history

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_downloads_their_data_then_deletes_their_account(
    live_server: object, page: Page
) -> None:
    history = build_history()
    email = history.boss.user.username
    base = str(live_server)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="My profile").first.click()
    page.get_by_role("link", name="My data and my account").click()
    expect(page.get_by_role("heading", name="My data and my account")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as JSON").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["profile"]["last_name"] == "Lovelace"

    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    history.boss.refresh_from_db()
    assert is_erased(history.boss)

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("form .errorlist, .message.error").first).to_be_visible()
