"""In a real browser, the pages with scripts run under the Content-Security-Policy without a
single violation: the gong counts down, the check-in list filters, the API docs load."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from serendip.programme.planning import publish
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import build_seminar, plan_beforehand

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_pages_with_scripts_run_without_a_policy_violation(live_server: object, page: Page) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    seminar = build_seminar(start=timezone.now() - dt.timedelta(minutes=12))  # round 2 under way
    plan_beforehand(seminar)
    publish(seminar.event, actor=None)
    base = str(live_server)
    slug = seminar.event.slug

    sign_in(page, base, UserFactory(is_staff=True, is_superuser=True).email)
    page.goto(f"{base}/organise/{slug}/gong/")
    expect(page.locator("#countdown")).not_to_have_text("--:--")  # the gong's script runs
    expect(page.locator("#round-title")).to_have_text("Round 2")
    page.goto(f"{base}/organise/{slug}/day/")
    absent = seminar.sponsors[0]
    page.get_by_label("Find someone").fill(absent.full_name)
    expect(page.locator("#check-in tr:visible")).to_have_count(1)  # the filter's script runs
    page.goto(f"{base}/organise/{slug}/")
    page.goto(f"{base}/admin/")
    page.goto(f"{base}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("serendip API")

    page.context.clear_cookies()
    sign_in(page, base, seminar.bosses[0].email)
    page.goto(f"{base}/events/{slug}/now/")
    expect(page.get_by_role("heading").first).to_be_visible()

    violations = [line for line in console if "Content Security Policy" in line]
    assert violations == []
    assert not [line for line in console if line.startswith("pageerror")]  # no script failed
