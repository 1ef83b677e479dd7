"""Every page of the demo fits a 390-px phone, for the organiser, a boss and a sponsor, in
French and English: nothing is wider than the screen.

The pages come from the URL conf, so a new page is walked too: its parameters are filled from
the demo (an event, a member, a meal...) by the name of the URL, and a URL this test does not
know how to fill fails the test until it is added to ``fill`` or to ``NOT_PAGES``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from serendip.demo.club import DEMO_PASSWORD, MEMBER_EMAIL, ORGANISER_EMAIL, build_demo_club
from serendip.demo.history import build_history
from serendip.demo.network import build_network_demo
from serendip.demo.seminar import SLUG, build_live_seminar
from serendip.demo.statistics import refresh_planner_statistics
from serendip.events.models import Event, EventKind, Registration
from serendip.meals.models import Meal
from serendip.members.choices import Side
from serendip.members.models import Member
from serendip.network.models import Ask, Introduction
from serendip.outcomes.models import Outcome, OutcomeQuestion
from serendip.programme.models import PlanningRun
from tests.e2e.conftest import new_context
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import build_seminar, plan_beforehand

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = 390
LONG_WORD = "Datenschutzgrundverordnungskonformitätsprüfungsverfahren" * 3

# URL names that are not pages a member reads: posts, downloads, feeds, JSON polls.
NOT_PAGES = {
    "logout",
    "set-language",
    "people-action",
    "token-revoke",
    "rate",
    "agenda-ics",
    "calendar-feed",
    "contacts-export",
    "account-export",
    "organise-run",
    "organise-meal-run",
    "organise-plan",
    "organise-publish",
    "organise-letters",
    "organise-replan",
}


def web_urls() -> list[tuple[str, str]]:
    """(name, route) of every named page outside the admin and the API."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if route.startswith(("admin/", "api/")):
                    continue
                walk(entry.url_patterns, route)
            elif entry.name and entry.name not in NOT_PAGES:
                found.append((entry.name, route))

    walk(get_resolver().url_patterns, "")
    return found


def fill(name: str, route: str, values: dict[str, str]) -> list[str]:
    """The paths of a route with its parameters taken from the demo; one per event slug."""
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    slugs = [values["slug"], values["dinner"], values["upcoming"]] if "slug" in params else [""]
    paths = []
    for slug in slugs:
        path = "/" + route
        for param in params:
            key = "slug" if param == "slug" else f"{name}:{param}"
            if key not in values:
                raise KeyError(f"the walk does not know how to fill {name}'s <{param}>")
            value = slug if param == "slug" else values[key]
            path = re.sub(rf"<(?:\w+:)?{param}>", value, path, count=1)
        paths.append(path)
    return paths


@pytest.fixture
def demo() -> Iterator[dict[str, str]]:
    """The demo club with its live seminar and its network, and the values of URL parameters."""
    with override_settings(SERENDIP_PLANNING_SECONDS=2):
        build_demo_club(seed=2027)
        build_live_seminar(seed=2027)
        build_network_demo(seed=2027)
        build_history(seed=2027)
    refresh_planner_statistics()
    event = Event.objects.get(slug=SLUG)
    camille = Member.objects.get(email=MEMBER_EMAIL)
    # Words longer than a phone is wide, as members type them (a URL, a compound): they wrap.
    ask = Ask.objects.filter(member=camille).first()
    assert ask is not None
    Ask.objects.filter(pk=ask.pk).update(topic=f"Cloud {LONG_WORD}", details=LONG_WORD)
    Member.objects.filter(pk=camille.pk).update(headline=f"DSI {LONG_WORD}")
    sponsor = (
        Registration.objects.filter(
            event=event, side=Side.SPONSOR, member__meetings_as_sponsor__isnull=False
        )
        .select_related("member")
        .order_by("pk")
        .first()
    )
    assert sponsor is not None
    run = PlanningRun.objects.filter(event=event).first()
    meal = Meal.objects.filter(event=event).first()
    assert meal is not None
    introduction = Introduction.objects.order_by("pk").first()
    contact = camille.pk
    outcome = Outcome.objects.order_by("pk").first()
    question = OutcomeQuestion.objects.order_by("pk").first()
    yield {
        "slug": SLUG,
        "dinner": Event.objects.filter(kind=EventKind.DINNER).first().slug,  # type: ignore[union-attr]
        "upcoming": Event.objects.filter(kind=EventKind.SEMINAR).exclude(slug=SLUG).first().slug,  # type: ignore[union-attr]
        "sponsor": sponsor.member.email,
        "member-detail:pk": str(camille.pk),
        "ask-detail:pk": str(ask.pk),
        "introduction-detail:pk": str(introduction.pk if introduction else 0),
        "contact-detail:pk": str(contact),
        "organise-meal:pk": str(meal.pk),
        "organise-meal-edit:pk": str(meal.pk),
        "bulletin:pk": str(sponsor.member.pk),
        "organise-run:pk": str(run.pk if run else 0),
        "report-sponsor:pk": str(sponsor.member.organisation_id),
        "outcome-detail:pk": str(outcome.pk if outcome else 0),
        "outcome-edit:pk": str(outcome.pk if outcome else 0),
        "outcome-question:pk": str(question.pk if question else 0),
        "account-email-confirm:token": "not-a-token",
        "unsubscribe:token": "not-a-token",
        "password_reset_confirm:uidb64": "MQ",
        "password_reset_confirm:token": "set-password",
    }


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("nav.menu")).to_contain_text(re.compile("Sign out|Se déconnecter"))


def too_wide(page: Page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    width: int = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    return max(0, width)


def test_every_page_of_the_demo_fits_a_phone_for_every_role_in_both_languages(
    live_server: object, browser: Browser, demo: dict[str, str]
) -> None:
    base = str(live_server)
    paths = [path for name, route in web_urls() for path in fill(name, route, demo)]
    assert f"/organise/{SLUG}/meetings/" in paths and f"/events/{SLUG}/now/" in paths
    problems: list[str] = []
    walked = 0
    roles: dict[str, str] = {
        "organiser": ORGANISER_EMAIL,
        "boss": MEMBER_EMAIL,
        "sponsor": demo["sponsor"],
    }
    for role, email in roles.items():
        context = new_context(browser)
        page = context.new_page()
        assert page.viewport_size == {"width": PHONE, "height": 844}
        sign_in(page, base, email)
        for language, switch in (("en", "EN"), ("fr", "FR")):
            page.goto(base + "/")
            page.get_by_role("button", name=switch, exact=True).click()
            expect(page.locator("html")).to_have_attribute("lang", language)
            for path in paths:
                # Members are refused every organiser page with the same page: one event will do.
                if role != "organiser" and path.startswith("/organise/") and SLUG not in path:
                    continue
                response = page.goto(base + path)
                walked += 1
                status = response.status if response else 0
                if status >= 500:
                    problems.append(f"{role} {language} {path}: error {status}")
                    continue
                extra = too_wide(page)
                if extra:
                    problems.append(f"{role} {language} {path}: {extra} px wider than the screen")
        context.close()
    assert walked >= 6 * 50
    assert not problems, "\n".join(problems)
    # On a laptop, the live seminar's 20 rounds of 36 tables fit the organiser's screen: the
    # grid scrolls inside its frame instead of making a page 15,000 pixels long.
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, base, ORGANISER_EMAIL)
    page.goto(f"{base}/organise/{SLUG}/meetings/")
    expect(page.locator("section.round")).to_have_count(20)
    size = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= 1280 and size[1] <= 4 * 800, size
    context.close()


def test_a_phone_gets_a_compact_menu_tap_sized_check_in_and_a_gong_that_fits(
    live_server: object, page: Page
) -> None:
    seminar = build_seminar(start=timezone.now() - dt.timedelta(minutes=2))
    plan_beforehand(seminar)
    organiser = UserFactory(is_staff=True, is_superuser=True)
    base = str(live_server)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/organise/{seminar.event.slug}/day/")
    # The top bar is two short lines (brand and languages, then the menu), not four.
    header = page.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] <= 110, header
    expect(page.locator("nav.menu")).to_contain_text("Sign out")
    assert too_wide(page) == 0
    # Check-in buttons are tapped in a hurry: at least 44 px each way.
    buttons = page.locator("#check-in button")
    assert buttons.count() >= 2 * len(seminar.bosses)
    for box in (buttons.nth(i).bounding_box() for i in range(buttons.count())):
        assert box is not None and box["height"] >= 44 and box["width"] >= 44, box
    # The gong's digits fit the phone's width.
    page.goto(f"{base}/organise/{seminar.event.slug}/gong/")
    expect(page.locator("#countdown")).not_to_have_text("--:--")
    digits = page.locator("#countdown").evaluate("e => e.scrollWidth")
    assert digits <= PHONE and too_wide(page) == 0
    # The tabs mark the page one is on.
    page.goto(f"{base}/organise/")
    expect(page.locator('nav.menu a[aria-current="page"]')).to_have_text("My events")
