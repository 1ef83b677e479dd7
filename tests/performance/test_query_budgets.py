"""Query budgets: every page and API list costs a bounded number of SQL queries that does not
grow with the club. Each page is measured on a small club and on a club several times larger
(a second seminar, more members, ties and asks): the count must not grow, and stays within the
page's budget (``django_assert_max_num_queries``). Caches are warm, as on a server in use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from serendip.members.services import connect
from serendip.network.asks import create_ask
from serendip.programme.planning import publish
from tests.factories import PASSWORD, MemberFactory, UserFactory
from tests.programme.seminar import Seminar, build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """About 50 sign-ins, none measured: the production hasher's 0.4 s each would be wasted."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def planned(bosses: int, sponsors: int, start: dt.datetime) -> Seminar:
    seminar = build_seminar(
        bosses=bosses, sponsors=sponsors, rounds=4, tables=sponsors, start=start
    )
    plan_beforehand(seminar)
    publish(seminar.event, actor=UserFactory(is_staff=True, is_superuser=True))
    return seminar


def grow_network(members: int) -> None:
    """More members, each tied to the previous one, every third asking for help."""
    previous = None
    for n in range(members):
        member = MemberFactory(offers=[f"topic {n}"], needs=["cloud security audit"])
        if previous is not None:
            connect(member, previous)
        if n % 3 == 0:
            create_ask(member, kind="advice", topic=f"cloud question {n}", audience="club")
        previous = member


def cost(client: Client, url: str) -> int:
    client.get(url)  # warm: the index, the briefs, the session
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return len(queries)


START = dt.datetime(2031, 5, 13, 7, 0, tzinfo=dt.UTC)
DURING = START + dt.timedelta(minutes=12)  # round 2 under way, round 1 to rate


@pytest.fixture
def seminars() -> tuple[Seminar, Seminar]:
    small = planned(4, 2, START)
    grow_network(3)
    large = planned(16, 6, START + dt.timedelta(days=7))
    grow_network(30)
    return small, large


ATTENDEE = {"now": 18, "now-live": 18, "agenda": 18, "people": 18, "tomorrow": 18}


def test_the_attendee_pages_cost_the_same_on_a_larger_club(
    seminars, django_assert_max_num_queries
) -> None:
    def page(seminar: Seminar, shift: dt.timedelta) -> Callable[[str], tuple[Client, str]]:
        boss = seminar.event.meetings.order_by("id").first().boss
        client = signed_in(boss.user)

        def url(name: str) -> tuple[Client, str]:
            if name == "people":
                return client, reverse("people")
            if name == "now-live":
                return client, reverse("now", args=[seminar.event.slug]) + "?part=live"
            return client, reverse(name, args=[seminar.event.slug])

        return url

    small, large = seminars
    for name, budget in ATTENDEE.items():
        with time_machine.travel(DURING, tick=False):
            few = cost(*page(small, dt.timedelta())(name))
        with time_machine.travel(DURING + dt.timedelta(days=7), tick=False):
            client, url = page(large, dt.timedelta())(name)
            many = cost(client, url)
            with django_assert_max_num_queries(budget):
                client.get(url)
        assert many <= few, f"{name}: {few} queries on the small club, {many} on the large one"


ORGANISER = {
    "organise": 30,
    "organise-day": 20,
    "organise-meetings": 20,
    "organise-report": 20,
    "organise-gong": 10,
}


def test_the_organiser_pages_cost_the_same_on_a_larger_club(
    seminars, django_assert_max_num_queries
) -> None:
    organiser = UserFactory(is_staff=True, is_superuser=True)
    small, large = seminars
    for name, budget in ORGANISER.items():
        with time_machine.travel(DURING, tick=False):
            few = cost(signed_in(organiser), reverse(name, args=[small.event.slug]))
        with time_machine.travel(DURING + dt.timedelta(days=7), tick=False):
            client = signed_in(organiser)  # a session of that day
            url = reverse(name, args=[large.event.slug])
            many = cost(client, url)
            with django_assert_max_num_queries(budget):
                client.get(url)
        assert many <= few, f"{name}: {few} queries on the small club, {many} on the large one"


def test_the_api_lists_and_network_pages_cost_the_same_on_a_larger_club(
    django_assert_max_num_queries,
) -> None:
    viewer = MemberFactory(needs=["cloud security audit"])
    grow_network(4)
    client = signed_in(viewer.user)
    small = build_seminar(bosses=3, sponsors=2)
    pages = {
        "/api/members?page_size=100": 8,
        "/api/organisations?page_size=100": 8,
        "/api/events?page_size=100": 8,
        f"/api/events/{small.event.slug}/registrations?page_size=100": 10,
        reverse("network"): 20,
        reverse("asks"): 20,
        reverse("offers"): 20,
        reverse("contacts"): 18,
    }
    few = {url: cost(client, url) for url in pages}
    grow_network(40)
    for _ in range(20):
        build_seminar(bosses=0, sponsors=0)  # more events
    for m in MemberFactory.create_batch(40):
        small.event.registrations.create(member=m, side="boss", status="confirmed")
    many = {url: cost(client, url) for url in pages}
    for url, budget in pages.items():
        with django_assert_max_num_queries(budget):
            client.get(url)
        assert many[url] <= few[url], f"{url}: {few[url]} queries small, {many[url]} large"


# The seminar's API reads (serendip.api.seminar, meals, contacts): by an attendee, a sponsor
# and an organiser, on the small and the large seminar (round 2 under way, round 1 to rate).
SEMINAR_API = {
    "agenda": 12,
    "now": 12,
    "preferences": 12,
    "follow-ups": 12,
    "bulletin": 12,
    "setup": 8,
    "meals": 8,
    "meetings": 10,
    "pair-rules": 8,
    "contacts": 12,
    "follow-ups-due": 8,
}


def _seminar_api_url(seminar: Seminar, name: str) -> tuple[object, str]:
    """Who reads the page (the first meeting's boss or sponsor, or an organiser) and its URL."""
    meeting = seminar.event.meetings.order_by("id").first()
    base = f"/api/events/{seminar.event.slug}"
    if name == "bulletin":
        return meeting.sponsor.user, f"{base}/bulletins/{meeting.sponsor_id}"
    if name in ("meetings", "pair-rules", "setup", "meals"):
        return seminar.event.organisers.first(), f"{base}/{name}"
    if name == "contacts":
        return meeting.boss.user, "/api/contacts"
    if name == "follow-ups-due":
        return meeting.boss.user, "/api/follow-ups"
    return meeting.boss.user, f"{base}/{name}"


def test_the_seminar_api_reads_cost_the_same_on_a_larger_club(
    seminars, django_assert_max_num_queries
) -> None:
    small, large = seminars
    for seminar in seminars:
        seminar.event.organisers.add(UserFactory(is_staff=True))
    for name, budget in SEMINAR_API.items():
        with time_machine.travel(DURING, tick=False):
            few = cost(*_signed_in_at(small, name))
        with time_machine.travel(DURING + dt.timedelta(days=7), tick=False):
            client, url = _signed_in_at(large, name)
            many = cost(client, url)
            with django_assert_max_num_queries(budget):
                client.get(url)
        assert many <= few, f"{name}: {few} queries on the small club, {many} on the large one"


def _signed_in_at(seminar: Seminar, name: str) -> tuple[Client, str]:
    user, url = _seminar_api_url(seminar, name)
    return signed_in(user), url


# Outcomes (serendip.outcomes): one member's pages with a few outcomes, then many more.
OUTCOME_PAGES = {"outcomes": 20, "outcome-record": 16, "outcome-detail": 24, "api-list": 10}


def test_the_outcome_pages_cost_the_same_with_more_outcomes(
    django_assert_max_num_queries,
) -> None:
    from django.utils import timezone

    from serendip.outcomes.services import confirm_outcome, record_outcome

    member = MemberFactory()
    client = signed_in(member.user)

    def more_outcomes(n: int) -> int:
        first = None
        for _ in range(n):
            other = MemberFactory()
            connect(member, other)
            outcome = record_outcome(
                by=member,
                kind="deal",
                happened_on=timezone.localdate(),
                parties=[other],
                now=timezone.now(),
            )
            confirm_outcome(outcome=outcome, by=other, now=timezone.now())
            first = first or outcome.pk
        return first or 0

    first = more_outcomes(2)
    urls = {
        "outcomes": reverse("outcomes"),
        "outcome-record": reverse("outcome-record"),
        "outcome-detail": reverse("outcome-detail", args=[first]),
        "api-list": "/api/outcomes",
    }
    few = {name: cost(client, url) for name, url in urls.items()}
    more_outcomes(15)
    for name, url in urls.items():
        many = cost(client, url)
        with django_assert_max_num_queries(OUTCOME_PAGES[name]):
            client.get(url)
        assert many <= few[name], f"{name}: {few[name]} queries small, {many} large"


# Reports (serendip.reports): measured on a cold cache, since their figures are kept there.
# The member's report lists the introductions the member made that led somewhere (1 query).
REPORTS = {"report-club": 30, "report-sponsor": 25, "report-me": 32, "report-event": 30}


def test_the_reports_cost_the_same_on_a_larger_club(django_assert_max_num_queries) -> None:
    from django.core.cache import cache

    from tests.reports.club import build_report_club

    organiser = UserFactory(is_staff=True, is_superuser=True)
    club = build_report_club()

    # Signed in once each: password hashing is slow on purpose.
    as_organiser, as_sponsor = signed_in(organiser), signed_in(club.sponsor.user)
    as_boss = signed_in(club.bosses[0].user)

    def urls() -> dict[str, tuple[Client, str]]:
        return {
            "report-club": (as_organiser, reverse("report-club")),
            "report-sponsor": (as_sponsor, reverse("report-sponsor", args=[club.acme.pk])),
            "report-me": (as_boss, reverse("report-me")),
            "report-event": (as_organiser, reverse("report-event", args=[club.event.slug])),
        }

    def cold(client: Client, url: str) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        return len(queries)

    few = {name: cold(*page) for name, page in urls().items()}
    # More seminars, outcomes and members, and the same people again at a second seminar.
    for n in range(3):
        build_report_club(tag=f" {n}")
    grow_network(20)
    many = {name: cold(*page) for name, page in urls().items()}
    for name, budget in REPORTS.items():
        client, url = urls()[name]
        cache.clear()
        with django_assert_max_num_queries(budget):
            client.get(url)
        assert many[name] <= few[name], f"{name}: {few[name]} queries small, {many[name]} large"
