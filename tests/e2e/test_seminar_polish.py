"""The seminar day in a real browser, in English and French, on a desk and a 390-px phone.

Issue 14: dates that survive a French form, a now page that updates without wiping a note,
confirmations before freeing meetings (and the undo), set-up refusals instead of errors.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from serendip.events.models import Event, RegistrationStatus
from serendip.events.services import lock
from serendip.members.models import Member
from serendip.programme.models import Meeting
from serendip.programme.planning import publish
from tests.e2e.conftest import clock_start
from tests.factories import UserFactory
from tests.programme.seminar import Seminar, build_seminar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LOCALES = {"en": "en-GB", "fr": "fr-FR"}


@pytest.fixture(params=[("en", "desktop"), ("fr", "phone"), ("fr", "desktop"), ("en", "phone")])
def screen(request: pytest.FixtureRequest) -> tuple[str, str]:
    """A language and a screen size."""
    return request.param


def open_page(browser: Browser, language: str, size: str) -> Page:
    """A fresh page in its own context, in the language and at the size asked for."""
    context = browser.new_context(locale=LOCALES[language], viewport=SIZES[size])
    context.set_default_timeout(10_000)
    if clock_start() is not None:
        context.clock.install(time=dt.datetime.now(dt.UTC))
    return context.new_page()


@pytest.fixture
def pages(browser: Browser) -> Iterator[list[Page]]:
    """Pages opened by the test, closed after it."""
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.context.close()


def signed_in(page: Page, base: str, user: object) -> None:
    """Sign the page in as the user through a session made by Django's test client."""
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )


def no_wider_than_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width  # type: ignore[index]


def live_day(minutes_ago: int = 15) -> Seminar:
    """A published seminar whose rounds started ``minutes_ago`` (every 10 minutes), by hand.

    The sponsor has two representatives: two bosses in round 1 (over) and in round 2.
    """
    start = (timezone.now() - dt.timedelta(minutes=minutes_ago)).replace(second=0, microsecond=0)
    seminar = build_seminar(bosses=6, sponsors=1, rounds=4, tables=4, start=start)
    rounds = {r.number: r for r in seminar.event.rounds.all()}
    b, sponsor = seminar.bosses, seminar.sponsors[0]
    placed = [(1, 1, b[0]), (1, 2, b[1]), (2, 1, b[2]), (2, 2, b[3]), (3, 1, b[4]), (4, 1, b[5])]
    for number, seat, boss in placed:
        Meeting.objects.create(
            event=seminar.event,
            round=rounds[number],
            table=seat,
            seat=seat,
            boss=boss,
            sponsor=sponsor,
        )
    publish(seminar.event, actor=None)
    return seminar


def test_the_deadline_survives_the_set_up_form_in_every_language(
    live_server: object, browser: Browser, pages: list[Page], screen: tuple[str, str]
) -> None:
    language, size = screen
    seminar = build_seminar(rounds=4)
    deadline = dt.datetime(2026, 11, 29, 13, 30, tzinfo=PARIS)
    Event.objects.filter(pk=seminar.event.pk).update(preferences_deadline=deadline)
    organiser = UserFactory(is_staff=True)
    seminar.event.organisers.add(organiser)
    base = str(live_server)
    page = open_page(browser, language, size)
    pages.append(page)
    signed_in(page, base, organiser)
    page.goto(f"{base}/organise/{seminar.event.slug}/")
    expect(page.locator("input[name=preferences_deadline]")).to_have_value("2026-11-29T13:30")
    with page.expect_navigation():
        page.locator("button[name=setup]").click()
    expect(page.locator(".message").first).to_be_visible()
    seminar.event.refresh_from_db()
    assert seminar.event.preferences_deadline == deadline

    # Nonsense is refused next to its field, in the page's language, never a server error.
    tables = page.locator("input[name=tables]")
    tables.fill("99999999999999999999")
    assert tables.evaluate("input => input.validity.rangeOverflow")  # the browser says so first
    # And so does the server, for a browser that does not check.
    tables.evaluate("input => { input.form.noValidate = true; }")
    with page.expect_navigation():
        page.locator("button[name=setup]").click()
    error = page.locator(".field.error").filter(has=page.locator("input[name=tables]"))
    expect(error).to_contain_text("1000")
    seminar.event.refresh_from_db()
    assert seminar.event.tables == 4
    no_wider_than_the_screen(page)


def test_the_now_page_updates_in_place_and_keeps_the_note_being_typed(
    live_server: object, browser: Browser, pages: list[Page], screen: tuple[str, str]
) -> None:
    language, size = screen
    seminar = live_day()
    sponsor = seminar.sponsors[0]
    Member.objects.filter(pk=sponsor.pk).update(language=language)
    b = seminar.bosses
    base = str(live_server)
    page = open_page(browser, language, size)
    pages.append(page)
    page.clock.install()
    signed_in(page, base, sponsor.user)
    page.goto(f"{base}/events/{seminar.event.slug}/now/")
    now = page.locator("#now-clock")
    # Two representatives: both bosses of the round under way are shown.
    expect(now).to_contain_text(b[2].full_name)
    expect(now).to_contain_text(b[3].full_name)
    first = Meeting.objects.get(boss=b[0])
    note = page.locator(f"#note-{first.pk}")
    note.fill("Call back about the audit")
    page.locator(f"#rate-{first.pk} input[name=follow_up]").check()

    # Meanwhile the organiser takes boss 3 out of the round; a minute later the page follows.
    with transaction.atomic():
        lock(seminar.event)  # as every programme write does: the page's version moves on
        Meeting.objects.filter(boss=b[3]).delete()
    page.clock.run_for(61_000)
    expect(now).not_to_contain_text(b[3].full_name)
    expect(page.locator("#now-clock")).to_contain_text(b[2].full_name)
    expect(note).to_have_value("Call back about the audit")
    expect(page.locator(f"#rate-{first.pk} input[name=follow_up]")).to_be_checked()
    no_wider_than_the_screen(page)


def test_a_no_show_asks_first_and_tapping_present_gives_the_meetings_back(
    live_server: object, browser: Browser, pages: list[Page], screen: tuple[str, str]
) -> None:
    language, size = screen
    seminar = live_day(minutes_ago=15)
    organiser = UserFactory(is_staff=True)
    seminar.event.organisers.add(organiser)
    boss = seminar.bosses[4]  # round 3, not started yet
    registration = seminar.registration(boss)
    before = set(Meeting.objects.filter(boss=boss).values_list("round", "table", "seat"))
    base = str(live_server)
    page = open_page(browser, language, size)
    pages.append(page)
    signed_in(page, base, organiser)
    page.goto(f"{base}/organise/{seminar.event.slug}/day/")
    row = page.locator(f"#registration-{registration.pk}")
    dialog = page.locator("#confirm-dialog")

    row.locator("button[value=no_show]").click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(boss.full_name)
    dialog.locator("button[value=no]").click()
    expect(dialog).to_be_hidden()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert Meeting.objects.filter(boss=boss).exists()

    # Answered in place (checkin.js): the row says it, the page is not loaded again.
    page.evaluate("window.stillTheSamePage = true")
    said = row.get_by_role("status")
    row.locator("button[value=no_show]").click()
    dialog.locator("button[value=yes]").click()
    expect(said).to_contain_text(boss.full_name)
    no_show = said.inner_text()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NO_SHOW
    assert not Meeting.objects.filter(boss=boss).exists()

    # The undo: "Present" gives back the meetings whose rounds have not started.
    row.locator("button[value=checked_in]").click()
    expect(said).not_to_have_text(no_show)
    expect(said).to_contain_text(boss.full_name)
    assert page.evaluate("window.stillTheSamePage") is True
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CHECKED_IN
    assert set(Meeting.objects.filter(boss=boss).values_list("round", "table", "seat")) == before
    no_wider_than_the_screen(page)
