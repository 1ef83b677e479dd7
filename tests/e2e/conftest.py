"""Browser fixtures: Playwright driving Debian's Chromium, headless.

The browser comes from Debian's package (installed by ``scripts/system-deps.sh``),
never downloaded by Playwright. A missing browser fails the tests instead of
skipping them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.conftest import clock_start

CHROMIUM = Path(os.environ.get("SERENDIP_CHROMIUM", "/usr/bin/chromium"))

# Playwright's sync API runs an event loop in the test thread; the database calls made
# by the test itself (factories, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh (Debian's chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            # The machine has no outside network: keep Chromium from trying to reach it.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()


def new_context(browser: Browser) -> BrowserContext:
    """A phone-sized English browser context whose clock agrees with the server's.

    When the run's clock is moved (SERENDIP_TEST_CLOCK), the pages' clock starts at the same
    moment and ticks on, so that countdowns and "now" agree with the server.
    """
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    if clock_start() is not None:
        context.clock.install(time=dt.datetime.now(dt.UTC))
    return context


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own context: no cookies shared between tests."""
    context = new_context(browser)
    yield context.new_page()
    context.close()
