"""A query budget for every page of the URL conf and every operation of the API.

The tables below are checked against the URL conf and the OpenAPI schema (as the permission
matrix is): a new page or operation without a budget fails until someone gives it one. Each
page that can be read is fetched by someone allowed to read it, on the permission matrix's club
and again once that club has grown around the same people (dozens more connections, asks,
offers, introductions, thanks, follow-ups, registrations, events, tokens): the count must not
grow, and it stays within the page's budget (``django_assert_max_num_queries``). Caches are
warm, as on a server in use. Writes (POST-only pages and the API's writes) are listed in
``WRITES`` with the reason they are measured elsewhere or not at all.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from serendip.members.services import connect, create_api_token
from serendip.network.asks import create_ask
from serendip.network.introductions import request_introduction
from serendip.network.ledger import record_help
from serendip.network.models import Offer
from serendip.network.relationships import add_note, set_cadence
from tests.factories import EventFactory, MemberFactory
from tests.security.test_permission_matrix import (
    ANONYMOUS,
    BOSS,
    OPERATIONS,
    ORGANISER,
    OTHER_SPONSOR,
    PAGES,
    SPONSOR,
    SUPERUSER,
    Club,
    _api_operations,
    _build_club,
    _default_args,
    _web_patterns,
)

pytestmark = pytest.mark.django_db

# Web pages by URL name: the most queries one GET may cost, whatever the club's size.
PAGES_BUDGET: dict[str, int] = {
    "home": 9,
    "login": 6,
    "password_change": 6,
    "password_change_done": 6,
    "password_reset": 6,
    "password_reset_done": 6,
    "password_reset_confirm": 7,
    "password_reset_complete": 6,
    "admin:login": 8,
    "api:openapi-json": 6,
    "api:openapi-view": 6,
    "api:api-root": 5,
    "profile": 9,
    "tokens": 7,
    "account": 6,
    "account-email": 6,
    "account-email-confirm": 7,
    "account-delete": 6,
    "account-deleted": 6,
    "member-list": 8,
    "member-detail": 9,
    "people": 8,
    "event-list": 8,
    "event-detail": 10,
    "preferences": 12,
    "tomorrow": 15,
    "agenda": 7,
    "agenda-ics": 10,
    "now": 10,
    "bulletin": 14,
    "calendar-feed": 9,
    "network": 20,
    "asks": 10,
    "ask-detail": 19,
    "offers": 7,
    "introductions": 11,
    "introduction-detail": 9,
    "ledger": 13,
    "thanks": 7,
    "invitations": 7,
    "contacts": 19,
    "contact-detail": 16,
    "contacts-export": 8,
    "unsubscribe": 7,
    "organise-invitations": 7,
    "organise-home": 8,
    "organise": 30,
    "organise-run": 9,
    "organise-meetings": 23,
    "organise-day": 12,
    "organise-gong": 14,
    "organise-meals": 11,
    "organise-meal-run": 8,
    "organise-meal": 12,
    "organise-meal-edit": 11,
    "organise-clear": 11,
    "organise-report": 17,
    # Outcomes and reports (serendip.outcomes, serendip.reports).
    "outcomes": 14,
    "outcome-record": 11,
    "outcome-detail": 21,
    "outcome-edit": 11,
    "outcome-question": 9,
    "reports": 9,
    "report-me": 22,
    # A report's first view after an event is over computes and keeps the event's summary
    # (about 30 queries, once per event: the periodic job usually did it before).
    "report-sponsor": 40,
    "report-club": 64,
    "report-event": 35,
}

# API reads as "GET /path" from the OpenAPI schema.
OPERATIONS_BUDGET: dict[str, int] = {
    "GET /api/members": 8,
    "GET /api/members/me": 6,
    "GET /api/members/me/recommendations": 7,
    "GET /api/members/{member_id}": 6,
    "GET /api/asks": 9,
    "GET /api/asks/{ask_id}": 6,
    "GET /api/asks/{ask_id}/helpers": 16,
    "GET /api/offers": 6,
    "GET /api/introductions": 6,
    "GET /api/introductions/{introduction_id}": 6,
    "GET /api/ledger": 6,
    "GET /api/thanks": 6,
    "GET /api/organisations": 7,
    "GET /api/organisations/{organisation_id}": 6,
    "GET /api/events": 7,
    "GET /api/events/{slug}": 6,
    "GET /api/events/{slug}/registrations": 8,
    "GET /api/outcomes": 11,
    "GET /api/outcomes/{outcome_id}": 15,
    "GET /api/reports/me": 20,
    "GET /api/reports/sponsors/{organisation_id}": 13,
    # The first view of an event over computes and keeps its summary (see "report-club").
    "GET /api/reports/club": 62,
    "GET /api/reports/events/{slug}": 34,
    # The seminar, meals and contacts (serendip.api.seminar, meals, contacts).
    "GET /api/contacts": 13,
    "GET /api/events/{slug}/agenda": 12,
    "GET /api/events/{slug}/bulletins/{sponsor_id}": 12,
    "GET /api/events/{slug}/follow-ups": 12,
    "GET /api/events/{slug}/meals": 8,
    "GET /api/events/{slug}/meals/{meal_id}/seating": 9,
    "GET /api/events/{slug}/meals/{meal_id}/seating-runs/{seating_run_id}": 8,
    "GET /api/events/{slug}/meetings": 10,
    "GET /api/events/{slug}/now": 11,
    "GET /api/events/{slug}/pair-rules": 8,
    "GET /api/events/{slug}/planning-runs/{run_id}": 8,
    "GET /api/events/{slug}/preferences": 10,
    "GET /api/events/{slug}/setup": 7,
    "GET /api/follow-ups": 6,
    # Invitations, notifications, notes, tokens, one's data (api.invitations, contacts, account).
    "GET /api/invitations": 6,
    "GET /api/invitations/pending": 7,
    "GET /api/notifications": 6,
    "GET /api/contacts/{member_id}/notes": 7,
    "GET /api/tokens": 5,
    "GET /api/members/me/export": 34,
    "GET /api/outcome-questions": 6,
}

# Writes whose work follows the network (an ask tells the helpers found among the asker's
# connections and theirs; help recorded warms a tie): performed on both clubs, measured too.
WRITE_BUDGETS: dict[str, int] = {
    "PATCH /api/members/me": 12,
    "POST /api/asks": 20,
    "POST /api/offers": 8,
    "POST /api/ledger": 12,
}

# The other writes: each performs one thing (planning, letters, a rating), measured by its own
# feature's tests or not at all; listed so that a new one is a decision, not an oversight.
WRITES: dict[str, str] = {
    "logout": "signs out",
    "people-action": "one hidden or wished member",
    "set-language": "one session value",
    "rate": "one rating (the live pages' tests)",
    "token-revoke": "one token",
    "account-export": "the member's own data, as a file",
    "organise-plan": "queues a planning run",
    "organise-publish": "publishes, letters as jobs",
    "organise-letters": "letters as jobs",
    "organise-replan": "queues a re-plan",
    "POST /api/introductions": "one introduction",
    "POST /api/introductions/{introduction_id}/answer": "one answer",
    "POST /api/organisations": "one organisation",
    "POST /api/events": "one event",
    "PATCH /api/events/{slug}": "one event",
    "POST /api/events/{slug}/registrations": "one registration",
    "PATCH /api/registrations/{registration_id}": "one registration",
    "POST /api/outcomes": "one outcome",
    "PATCH /api/outcomes/{outcome_id}": "one outcome",
    "POST /api/outcomes/{outcome_id}/confirm": "one outcome",
    "POST /api/outcomes/{outcome_id}/decline": "one outcome",
    "POST /api/outcomes/{outcome_id}/withdraw": "one outcome",
    "DELETE /api/events/{slug}/meetings/{meeting_id}": "one meeting removed by hand",
    "POST /api/events/{slug}/meals": "one meal",
    "POST /api/events/{slug}/meals/{meal_id}/seating": "queues a seating run (the mixer)",
    "POST /api/events/{slug}/meetings": "one meeting placed by hand",
    "POST /api/events/{slug}/planning-runs": "queues a planning run",
    "POST /api/events/{slug}/publish": "publishes, letters as jobs",
    "POST /api/events/{slug}/registrations/{registration_id}/attendance": "one attendance",
    "POST /api/events/{slug}/replan": "queues a re-plan",
    "POST /api/follow-ups/{follow_up_id}/done": "one follow-up",
    "PUT /api/contacts/{member_id}/cadence": "one cadence",
    "PUT /api/events/{slug}/meetings/{meeting_id}/rating": "one rating",
    "PUT /api/events/{slug}/my-answer": "one answer",
    "PUT /api/events/{slug}/pair-rules": "the event's pair rules",
    "PUT /api/events/{slug}/preferences": "one attendee's preferences",
    "PUT /api/events/{slug}/setup": "the event's set-up",
    "DELETE /api/events/{slug}/pair-rules/{rule_id}": "one pair rule",
    "POST /api/events/{slug}/registrations/import": "one file, in bulk (tests/events)",
    "DELETE /api/events/{slug}/meetings": "clears a plan, letters as jobs",
    "POST /api/events/{slug}/letters": "letters as jobs",
    "PUT /api/events/{slug}/meals/{meal_id}": "one meal",
    "DELETE /api/events/{slug}/meals/{meal_id}": "one meal",
    "POST /api/invitations": "one invitation",
    "POST /api/invitations/{invitation_id}/decision": "one decision, a welcome mail",
    "POST /api/notifications/read": "one update of the member's unread ones",
    "POST /api/contacts/{member_id}/notes": "one note",
    "POST /api/tokens": "one token",
    "DELETE /api/tokens/{token_id}": "one token",
    "POST /api/asks/{ask_id}/close": "one ask",
    "POST /api/asks/{ask_id}/help": "one notification",
    "POST /api/asks/{ask_id}/introduction-request": "one introduction",
    "DELETE /api/offers/{offer_id}": "one offer",
    "POST /api/members/{member_id}/wish": "one wish",
    "POST /api/members/{member_id}/not-now": "one hidden member",
    "POST /api/outcome-questions/{question_id}/nothing-yet": "one answer",
}

# Who reads each page: the first allowed role in this order (the people the club grows around).
READERS = [BOSS, SPONSOR, OTHER_SPONSOR, ORGANISER, SUPERUSER, ANONYMOUS]


def test_every_page_and_operation_has_a_budget() -> None:
    pages = {name for name, _pattern in _web_patterns()}
    operations = {key for key, _method in _api_operations()}
    budgeted = set(PAGES_BUDGET) | set(OPERATIONS_BUDGET) | set(WRITE_BUDGETS) | set(WRITES)
    missing = sorted((pages | operations) - budgeted)
    assert not missing, f"pages or operations without a query budget: {missing}"
    assert not budgeted - pages - operations, sorted(budgeted - pages - operations)
    both = set(WRITES) & (set(PAGES_BUDGET) | set(OPERATIONS_BUDGET))
    assert not both, f"a write with a read budget too: {sorted(both)}"


def grow(club: Club) -> None:
    """The same people in a much larger club: ties, asks, offers, introductions, thanks."""
    boss, sponsor, other = club.members[BOSS], club.members[SPONSOR], club.members[OTHER_SPONSOR]
    event = boss.registrations.get().event
    today = timezone.localdate()
    friends = MemberFactory.create_batch(30, needs=["cloud security audit"], offers=["FinOps"])
    for n, friend in enumerate(friends):
        for member in (boss, sponsor, other):
            connect(friend, member)
        Offer.objects.create(member=friend, kind="advice", title=f"FinOps review {n}")
        if n % 2 == 0:
            create_ask(friend, kind="advice", topic=f"cloud question {n}", audience="connections")
        if n % 3 == 0:
            record_help(boss, what=f"advice {n}", when=today, giver=friend, thank_you="thanks")
            record_help(friend, what=f"a hand {n}", when=today, giver=boss, thank_you="merci")
            set_cadence(boss, friend, 30)
            add_note(boss, friend, f"met at the seminar {n}")
        if n < 20:
            event.registrations.create(member=friend, side="boss", status="confirmed")
    for n in range(5):
        create_ask(boss, kind="advice", topic=f"boss question {n}", audience="club")
        add_note(boss, other, f"note {n}")
        create_api_token(boss, name=f"laptop {n}")
    # Second-degree people, reached through the other sponsor.
    for far in MemberFactory.create_batch(10):
        connect(far, other)
        request_introduction(boss, helper=far, introducer=other)
    for extra in EventFactory.create_batch(8):
        extra.registrations.create(member=boss, side="boss", status="confirmed")
        extra.organisers.add(club.users[ORGANISER])


def reader(rule_allowed: frozenset[str]) -> str:
    """The role that reads a page: the first allowed one in READERS."""
    return next((role for role in READERS if role in rule_allowed), ANONYMOUS)


def client_for(club: Club, role: str) -> Client:
    client = Client()
    if club.users[role] is not None:
        client.force_login(club.users[role])
    return client


def page_urls(club: Club) -> dict[str, tuple[str, str]]:
    """Each budgeted page's URL and who reads it."""
    urls = {}
    for name, budget in PAGES_BUDGET.items():
        assert budget > 0
        args = club.web_args.get(name, _default_args(name, club))
        urls[name] = (reader(PAGES[name].allowed), reverse(name, args=args))
    return urls


def operation_urls(club: Club) -> dict[str, tuple[str, str]]:
    """Each budgeted API read's path and who reads it."""
    return {
        key: (reader(OPERATIONS[key].allowed), key.split(" ", 1)[1].format(**club.api_params))
        for key in OPERATIONS_BUDGET
    }


def cost(client: Client, url: str, headers: dict[str, str]) -> tuple[int, int]:
    """Queries of the second GET (the first warms caches, the session, the index)."""
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url, headers=headers)
    return len(queries), answer.status_code


def measure(club: Club, urls: dict[str, tuple[str, str]], api: bool) -> dict[str, int]:
    counts = {}
    tokens: dict[str, dict[str, str]] = {}
    for key, (role, url) in urls.items():
        if api and role not in tokens:
            token = create_api_token(club.members[role], name="budget") if role != ANONYMOUS else ""
            tokens[role] = {"Authorization": f"Bearer {token}"} if token else {}
        headers = tokens.get(role, {}) if api else {}
        client = Client() if api else client_for(club, role)
        counts[key], status = cost(client, url, headers)
        assert status < 400 or key == "api:api-root", (key, url, role, status)
    return counts


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("api", [False, True], ids=["pages", "api"])
def test_each_read_costs_no_more_on_a_larger_club(api: bool) -> None:
    club = _build_club()
    urls = operation_urls(club) if api else page_urls(club)
    budgets = OPERATIONS_BUDGET if api else PAGES_BUDGET
    few = measure(club, urls, api)
    grow(club)
    many = measure(club, urls, api)
    report = {key: (few[key], many[key], budgets[key]) for key in urls}
    print("\n".join(f"{k}: {f} -> {m} (budget {b})" for k, (f, m, b) in report.items()))
    grew = {k: v for k, v in report.items() if v[1] > v[0]}
    over = {k: v for k, v in report.items() if v[1] > v[2]}
    assert not grew, f"grew with the club (small, large, budget): {grew}"
    assert not over, f"over budget (small, large, budget): {over}"


def write_bodies(club: Club, n: int) -> dict[str, dict[str, Any]]:
    """A fresh body for each measured write (the n-th time)."""
    return {
        "PATCH /api/members/me": {"headline": f"CIO, take {n}", "needs": [f"cloud audit {n}"]},
        "POST /api/asks": {
            "kind": "advice",
            "topic": f"FinOps review of our cloud {n}",
            "audience": "second_degree",
        },
        "POST /api/offers": {"kind": "advice", "title": f"zero trust workshop {n}"},
        "POST /api/ledger": {
            "giver": club.members[OTHER_SPONSOR].pk,
            "what": f"an introduction {n}",
            "when": timezone.localdate().isoformat(),
            "thank_you": "thank you",
        },
    }


def write_costs(club: Club, n: int) -> dict[str, int]:
    """Queries of each measured write by the boss (the second of two, as caches warm)."""
    headers = {"Authorization": f"Bearer {create_api_token(club.members[BOSS], name=f'w{n}')}"}
    client = Client()
    counts = {}
    for key in WRITE_BUDGETS:
        method, path = key.split(" ", 1)
        for attempt in (0, 1):
            body = write_bodies(club, 2 * n + attempt)[key]
            with CaptureQueriesContext(connection) as queries:
                answer = client.generic(
                    method, path, json.dumps(body), content_type="application/json", headers=headers
                )
            assert answer.status_code in (200, 201), (key, answer.content[:300])
        counts[key] = len(queries)
    return counts


def test_the_network_writes_cost_no_more_on_a_larger_club() -> None:
    club = _build_club()
    few = write_costs(club, 0)
    grow(club)
    many = write_costs(club, 1)
    report = {key: (few[key], many[key], WRITE_BUDGETS[key]) for key in WRITE_BUDGETS}
    print("\n".join(f"{k}: {f} -> {m} (budget {b})" for k, (f, m, b) in report.items()))
    assert not {k: v for k, v in report.items() if v[1] > v[0]}, report
    assert not {k: v for k, v in report.items() if v[1] > v[2]}, report
