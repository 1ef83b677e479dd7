"""Who may do what: every page of the web app and every API operation, for every role.

The table below is the specification. It is checked against the URL conf and the API's
OpenAPI schema, so a new page or operation without an entry fails the test until someone
decides who may use it. Pages are fetched with GET; actions that only accept POST are posted
only by the roles that must be refused (so nothing is performed), and so are the API's writes.

Outcome classes: a role listed as allowed gets a 2xx, or a 3xx that is not a sign-in page; an
anonymous visitor who is not allowed is sent to the sign-in page (401 for the API); any other
role that is not allowed gets 403 or 404; a page listed for NOBODY is not found by anyone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from serendip.api.routes import api
from serendip.events.models import Event
from serendip.events.services import new_calendar_token
from serendip.meals.models import Meal, SeatingRun
from serendip.members.models import ApiToken, Member
from serendip.members.services import connect, create_api_token, email_change_token
from serendip.network.asks import add_offer, create_ask
from serendip.network.digest import unsubscribe_token
from serendip.network.introductions import request_introduction
from serendip.network.invitations import invite
from serendip.network.models import DigestKind
from serendip.network.notifications import notify
from serendip.network.relationships import set_cadence
from serendip.outcomes.models import OutcomeQuestion
from serendip.outcomes.services import record_outcome
from serendip.programme.models import Meeting, PairRule, PlanningRun
from tests.factories import EventFactory, MemberFactory
from tests.programme.seminar import build_seminar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Nobody signs in with a password here (force_login): hashing them slowly is wasted time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The roles, all but the anonymous visitor signed in with a member profile.
ANONYMOUS = "anonymous"
OUTSIDER = "outsider"  # a member of the club, not at the event
BOSS = "boss"  # at the event; owns the ask, the introduction request and the meeting below
SPONSOR = "sponsor"  # at the event; the bulletin below is theirs, they meet the boss
OTHER_SPONSOR = "other_sponsor"  # at the event; the boss's connection and introducer
ORGANISER = "organiser"  # staff, an organiser of this event
OTHER_ORGANISER = "other_organiser"  # staff, an organiser of another event only
STAFF = "staff"  # staff, organising no event
SUPERUSER = "superuser"

ROLES = [
    ANONYMOUS,
    OUTSIDER,
    BOSS,
    SPONSOR,
    OTHER_SPONSOR,
    ORGANISER,
    OTHER_ORGANISER,
    STAFF,
    SUPERUSER,
]
EVERYONE = frozenset(ROLES)
MEMBERS = EVERYONE - {ANONYMOUS}
ATTENDEES = frozenset({BOSS, SPONSOR, OTHER_SPONSOR})
CLUB_ORGANISERS = frozenset({ORGANISER, OTHER_ORGANISER, STAFF, SUPERUSER})
EVENT_ORGANISERS = frozenset({ORGANISER, SUPERUSER})
NOBODY: frozenset[str] = frozenset()  # answers "not found" to everyone, signed in or not


@dataclass(frozen=True)
class Rule:
    """Who may use a page or an operation; ``post_only`` ones are never performed here."""

    allowed: frozenset[str]
    post_only: bool = False


def page(allowed: frozenset[str]) -> Rule:
    """A page read with GET."""
    return Rule(allowed)


def action(allowed: frozenset[str]) -> Rule:
    """A view that only accepts POST: the refused roles post, the allowed ones are skipped."""
    return Rule(allowed, post_only=True)


# Web pages by URL name. Path parameters come from the club built below (see `_web_args`).
PAGES: dict[str, Rule] = {
    "home": page(MEMBERS),
    "login": page(EVERYONE),
    "logout": action(EVERYONE),
    "password_change": page(MEMBERS),
    "password_change_done": page(MEMBERS),
    "password_reset": page(EVERYONE),
    "password_reset_done": page(EVERYONE),
    "password_reset_confirm": page(EVERYONE),  # the link's token is the key
    "password_reset_complete": page(EVERYONE),
    "admin:login": page(EVERYONE),
    "api:openapi-json": page(EVERYONE),
    "api:openapi-view": page(EVERYONE),
    "api:api-root": page(NOBODY),  # nothing there: 404 for all
    # A member's own profile, tokens and account.
    "profile": page(MEMBERS),
    "tokens": page(MEMBERS),
    "token-revoke": action(frozenset({SPONSOR})),  # the sponsor's token: theirs alone
    "account": page(MEMBERS),
    "account-export": action(MEMBERS),
    "account-email": page(MEMBERS),
    "account-email-confirm": page(EVERYONE),  # the emailed link's token is the key
    "account-delete": page(MEMBERS),
    "account-deleted": page(EVERYONE),
    # The club.
    "member-list": page(MEMBERS),
    "member-detail": page(MEMBERS),
    "people": page(MEMBERS),
    "people-action": action(MEMBERS),
    "event-list": page(MEMBERS),
    "event-detail": page(MEMBERS),
    "set-language": action(EVERYONE),
    # An attendee's pages for the event.
    "preferences": page(ATTENDEES),
    "tomorrow": page(ATTENDEES),
    "agenda": page(ATTENDEES),
    "agenda-ics": page(ATTENDEES),
    "now": page(ATTENDEES),
    "rate": action(frozenset({BOSS, SPONSOR})),  # the boss's meeting with the sponsor
    "bulletin": page(frozenset({SPONSOR}) | EVENT_ORGANISERS),  # the sponsor's bulletin
    "calendar-feed": page(EVERYONE),  # the boss's private feed: its secret is the key
    # Between events.
    "network": page(MEMBERS),
    "asks": page(MEMBERS),
    "ask-detail": page(frozenset({BOSS, OTHER_SPONSOR})),  # for the boss's connections
    "offers": page(MEMBERS),
    "introductions": page(MEMBERS),
    "introduction-detail": page(frozenset({BOSS, SPONSOR, OTHER_SPONSOR})),  # its three people
    "ledger": page(MEMBERS),
    "thanks": page(MEMBERS),
    "invitations": page(MEMBERS),
    "contacts": page(MEMBERS),
    "contact-detail": page(frozenset({BOSS, SPONSOR})),  # the other sponsor's connections
    "contacts-export": page(MEMBERS),
    "unsubscribe": page(EVERYONE),  # the emailed link's token is the key
    # Outcomes: the boss's deal with the sponsor, seen by its parties and the club's organisers
    # (the other sponsor is another organisation); the question is the boss's.
    "outcomes": page(MEMBERS),
    "outcome-record": page(MEMBERS),
    "outcome-detail": page(frozenset({BOSS, SPONSOR}) | CLUB_ORGANISERS),
    "outcome-edit": page(frozenset({BOSS, SPONSOR}) | CLUB_ORGANISERS),
    "outcome-question": page(frozenset({BOSS})),
    # Organisers.
    "organise-invitations": page(CLUB_ORGANISERS),
    "organise-home": page(CLUB_ORGANISERS),
    "organise": page(EVENT_ORGANISERS),
    "organise-plan": action(EVENT_ORGANISERS),
    "organise-run": page(EVENT_ORGANISERS),
    "organise-publish": action(EVENT_ORGANISERS),
    "organise-letters": action(EVENT_ORGANISERS),
    "organise-meetings": page(EVENT_ORGANISERS),
    "organise-day": page(EVENT_ORGANISERS),
    "organise-replan": action(EVENT_ORGANISERS),
    "organise-gong": page(EVENT_ORGANISERS),
    "organise-meals": page(EVENT_ORGANISERS),
    "organise-meal-run": page(EVENT_ORGANISERS),
    "organise-meal": page(EVENT_ORGANISERS),
    "organise-meal-edit": page(EVENT_ORGANISERS),
    "organise-clear": page(EVENT_ORGANISERS),
    "organise-report": page(EVENT_ORGANISERS),
    # Reports: one's own; a sponsor organisation's for its sponsors (the sponsor's, not the
    # other sponsor's) and the club's organisers; the club's dashboard; one event's.
    "reports": page(MEMBERS),
    "report-me": page(MEMBERS),
    "report-sponsor": page(frozenset({SPONSOR}) | CLUB_ORGANISERS),
    "report-club": page(CLUB_ORGANISERS),
    "report-event": page(EVENT_ORGANISERS),
}

# API operations as "METHOD /path" from the OpenAPI schema; writes are only posted by the
# roles that must be refused, with a valid body (`API_BODIES`) so that the refusal shows.
OPERATIONS: dict[str, Rule] = {
    "GET /api/members": page(MEMBERS),
    "GET /api/members/me": page(MEMBERS),
    "PATCH /api/members/me": action(MEMBERS),
    "GET /api/members/me/recommendations": page(MEMBERS),
    "GET /api/members/{member_id}": page(MEMBERS),
    "GET /api/asks": page(MEMBERS),
    "POST /api/asks": action(MEMBERS),
    "GET /api/asks/{ask_id}": page(frozenset({BOSS, OTHER_SPONSOR})),
    "GET /api/asks/{ask_id}/helpers": page(frozenset({BOSS})),  # the asker alone
    "GET /api/offers": page(MEMBERS),
    "POST /api/offers": action(MEMBERS),
    "GET /api/introductions": page(MEMBERS),
    "POST /api/introductions": action(MEMBERS),
    "GET /api/introductions/{introduction_id}": page(frozenset({BOSS, SPONSOR, OTHER_SPONSOR})),
    "POST /api/introductions/{introduction_id}/answer": action(
        frozenset({BOSS, SPONSOR, OTHER_SPONSOR})
    ),
    "GET /api/ledger": page(MEMBERS),
    "POST /api/ledger": action(MEMBERS),
    "GET /api/thanks": page(MEMBERS),
    # Acting on the boss's ask (seen by their connections) and offer; "People to meet" on the
    # boss (not for oneself).
    "POST /api/asks/{ask_id}/close": action(frozenset({BOSS})),
    "POST /api/asks/{ask_id}/help": action(frozenset({OTHER_SPONSOR})),
    "POST /api/asks/{ask_id}/introduction-request": action(frozenset({BOSS})),
    "DELETE /api/offers/{offer_id}": action(frozenset({BOSS})),
    "POST /api/members/{member_id}/wish": action(MEMBERS - {BOSS}),
    "POST /api/members/{member_id}/not-now": action(MEMBERS - {BOSS}),
    # Outcomes (serendip.api.outcomes): the boss's deal with the sponsor, as on the web.
    "GET /api/outcomes": page(MEMBERS),
    "POST /api/outcomes": action(MEMBERS),
    "GET /api/outcomes/{outcome_id}": page(frozenset({BOSS, SPONSOR}) | CLUB_ORGANISERS),
    "PATCH /api/outcomes/{outcome_id}": action(frozenset({BOSS, SPONSOR}) | CLUB_ORGANISERS),
    "POST /api/outcomes/{outcome_id}/confirm": action(frozenset({BOSS, SPONSOR})),
    "POST /api/outcomes/{outcome_id}/decline": action(frozenset({BOSS, SPONSOR})),
    "POST /api/outcomes/{outcome_id}/withdraw": action(
        frozenset({BOSS, SPONSOR}) | CLUB_ORGANISERS
    ),
    "GET /api/organisations": page(MEMBERS),
    "POST /api/organisations": action(CLUB_ORGANISERS),
    "GET /api/organisations/{organisation_id}": page(MEMBERS),
    "GET /api/events": page(MEMBERS),
    "POST /api/events": action(CLUB_ORGANISERS),
    "GET /api/events/{slug}": page(MEMBERS),
    "PATCH /api/events/{slug}": action(EVENT_ORGANISERS),
    "GET /api/events/{slug}/registrations": page(MEMBERS),
    "POST /api/events/{slug}/registrations": action(EVENT_ORGANISERS),
    # The boss's own registration: the boss may confirm it, the event's organisers change it.
    "PATCH /api/registrations/{registration_id}": action(EVENT_ORGANISERS | {BOSS}),
    # Reports: the organisation here is the boss's, so both sponsors are refused its report.
    "GET /api/reports/me": page(MEMBERS),
    "GET /api/reports/sponsors/{organisation_id}": page(CLUB_ORGANISERS),
    "GET /api/reports/club": page(CLUB_ORGANISERS),
    "GET /api/reports/events/{slug}": page(EVENT_ORGANISERS),
    # The seminar (serendip.api.seminar): set-up, plan and the day are the event's organisers'.
    "GET /api/events/{slug}/setup": page(MEMBERS),
    "PUT /api/events/{slug}/setup": action(EVENT_ORGANISERS),
    "GET /api/events/{slug}/pair-rules": page(EVENT_ORGANISERS),
    "PUT /api/events/{slug}/pair-rules": action(EVENT_ORGANISERS),
    "POST /api/events/{slug}/planning-runs": action(EVENT_ORGANISERS),
    "GET /api/events/{slug}/planning-runs/{run_id}": page(EVENT_ORGANISERS),
    "POST /api/events/{slug}/publish": action(EVENT_ORGANISERS),
    "POST /api/events/{slug}/replan": action(EVENT_ORGANISERS),
    "GET /api/events/{slug}/meetings": page(EVENT_ORGANISERS),
    "POST /api/events/{slug}/meetings": action(EVENT_ORGANISERS),
    "DELETE /api/events/{slug}/meetings/{meeting_id}": action(EVENT_ORGANISERS),
    "POST /api/events/{slug}/registrations/{registration_id}/attendance": action(EVENT_ORGANISERS),
    # An attendee's own: answer, agenda, now/next, preferences, ratings, follow-ups.
    "PUT /api/events/{slug}/my-answer": action(ATTENDEES),
    "GET /api/events/{slug}/agenda": page(ATTENDEES),
    "GET /api/events/{slug}/now": page(ATTENDEES),
    "GET /api/events/{slug}/preferences": page(ATTENDEES),
    "PUT /api/events/{slug}/preferences": action(ATTENDEES),
    "PUT /api/events/{slug}/meetings/{meeting_id}/rating": action(frozenset({BOSS, SPONSOR})),
    "GET /api/events/{slug}/follow-ups": page(ATTENDEES),
    "GET /api/events/{slug}/bulletins/{sponsor_id}": page(frozenset({SPONSOR}) | EVENT_ORGANISERS),
    # Meals (serendip.api.meals): listed for members, added and seated by the organisers.
    "GET /api/events/{slug}/meals": page(MEMBERS),
    "POST /api/events/{slug}/meals": action(EVENT_ORGANISERS),
    "POST /api/events/{slug}/meals/{meal_id}/seating": action(EVENT_ORGANISERS),
    "GET /api/events/{slug}/meals/{meal_id}/seating": page(EVENT_ORGANISERS),
    "GET /api/events/{slug}/meals/{meal_id}/seating-runs/{seating_run_id}": page(EVENT_ORGANISERS),
    # Contacts (serendip.api.contacts): one's own; the boss is the other sponsor's connection,
    # whose keep-in-touch follow-up is below.
    "GET /api/contacts": page(MEMBERS),
    "PUT /api/contacts/{member_id}/cadence": action(frozenset({OTHER_SPONSOR})),
    "GET /api/follow-ups": page(MEMBERS),
    "POST /api/follow-ups/{follow_up_id}/done": action(frozenset({OTHER_SPONSOR})),
    # Private notes on a connection: the other sponsor's about the boss.
    "GET /api/contacts/{member_id}/notes": page(frozenset({OTHER_SPONSOR})),
    "POST /api/contacts/{member_id}/notes": action(frozenset({OTHER_SPONSOR})),
    # The organisers' other operations on their event (serendip.api.seminar, meals).
    "DELETE /api/events/{slug}/pair-rules/{rule_id}": action(EVENT_ORGANISERS),
    "POST /api/events/{slug}/registrations/import": action(EVENT_ORGANISERS),
    "DELETE /api/events/{slug}/meetings": action(EVENT_ORGANISERS),
    "POST /api/events/{slug}/letters": action(EVENT_ORGANISERS),
    "PUT /api/events/{slug}/meals/{meal_id}": action(EVENT_ORGANISERS),
    "DELETE /api/events/{slug}/meals/{meal_id}": action(EVENT_ORGANISERS),
    # Invitations and notifications (serendip.api.invitations): the club's organisers decide.
    "GET /api/invitations": page(MEMBERS),
    "POST /api/invitations": action(MEMBERS),
    "GET /api/invitations/pending": page(CLUB_ORGANISERS),
    "POST /api/invitations/{invitation_id}/decision": action(CLUB_ORGANISERS),
    "GET /api/notifications": page(MEMBERS),
    "POST /api/notifications/read": action(MEMBERS),
    # One's own account (serendip.api.account); a token is created from a session only, every
    # token refused (tests/api/test_member_api.py); the sponsor's token is the one revoked.
    "GET /api/tokens": page(MEMBERS),
    "POST /api/tokens": action(MEMBERS),
    "DELETE /api/tokens/{token_id}": action(frozenset({SPONSOR})),
    "GET /api/members/me/export": page(MEMBERS),
    # "Did anything come of it?" (serendip.api.questions): the boss's question about the sponsor.
    "GET /api/outcome-questions": page(MEMBERS),
    "POST /api/outcome-questions/{question_id}/nothing-yet": action(frozenset({BOSS})),
}


@dataclass
class Club:
    """The fixture club: an event, its people, and one of everything the URLs point at."""

    users: dict[str, Any]
    members: dict[str, Member]
    web_args: dict[str, list[Any]]
    api_params: dict[str, Any]
    api_bodies: dict[str, dict[str, Any]]


def _staff_member(**user: bool) -> Member:
    return MemberFactory(user__is_staff=True, **{f"user__{k}": v for k, v in user.items()})


def _build_club() -> Club:
    seminar = build_seminar(bosses=2, sponsors=2, rounds=2, tables=2)
    event = seminar.event
    event.published = timezone.now()
    event.save(update_fields=["published"])
    boss, sponsor, other_sponsor = seminar.bosses[0], seminar.sponsors[0], seminar.sponsors[1]
    members = {
        OUTSIDER: MemberFactory(),
        BOSS: boss,
        SPONSOR: sponsor,
        OTHER_SPONSOR: other_sponsor,
        ORGANISER: _staff_member(),
        OTHER_ORGANISER: _staff_member(),
        STAFF: _staff_member(),
        SUPERUSER: _staff_member(is_superuser=True),
    }
    event.organisers.add(members[ORGANISER].user)
    EventFactory().organisers.add(members[OTHER_ORGANISER].user)
    first_round = event.rounds.order_by("number").first()
    meeting = Meeting.objects.create(
        event=event, round=first_round, table=1, boss=boss, sponsor=sponsor
    )
    run = PlanningRun.objects.create(event=event, status=PlanningRun.Status.DONE, progress=100)
    meal = Meal.objects.create(
        event=event, name="Lunch", start=event.start + dt.timedelta(hours=3), tables=[4, 4]
    )
    seating_run = SeatingRun.objects.create(meal=meal, status=SeatingRun.Status.DONE, progress=100)
    registration = seminar.registration(boss)
    new_calendar_token(registration)
    registration.refresh_from_db()
    # The other sponsor knows the boss and the sponsor; the boss asks them for an introduction.
    connect(other_sponsor, boss)
    connect(other_sponsor, sponsor)
    ask = create_ask(
        boss,
        kind="advice",
        topic="cloud audit",
        details="",
        urgency="normal",
        audience="connections",
    )
    introduction = request_introduction(boss, helper=sponsor, introducer=other_sponsor)
    sponsor_token = create_api_token(sponsor, name="sponsor's laptop")
    follow_up = set_cadence(other_sponsor, boss, 30)
    outcome = record_outcome(
        by=boss,
        kind="deal",
        happened_on=timezone.localdate(),
        parties=[sponsor],
        now=timezone.now(),
    )
    question = OutcomeQuestion.objects.create(member=boss, other=sponsor, asked_at=timezone.now())
    rule = PairRule.objects.create(event=event, boss=boss, sponsor=other_sponsor, rule="forbid")
    invitation = invite(boss, email="friend@example.org", name="A Friend", note="Come")
    offer = add_offer(boss, kind="advice", title="cloud audit review")
    notify(boss, "Welcome to the club")  # a list with something in it, as in a club in use
    web_args = {
        "password_reset_confirm": ["MQ", "not-a-token"],
        "account-email-confirm": [email_change_token(boss, new_email="new@example.org")],
        "member-detail": [boss.pk],
        "people-action": [other_sponsor.pk],
        "event-detail": [event.slug],
        "rate": [event.slug, meeting.pk],
        "bulletin": [event.slug, sponsor.pk],
        "calendar-feed": [registration.calendar_token],
        "ask-detail": [ask.pk],
        "introduction-detail": [introduction.pk],
        "contact-detail": [other_sponsor.pk],
        "contacts-export": ["csv"],
        "unsubscribe": [unsubscribe_token(boss, DigestKind.values[0])],
        "token-revoke": [ApiToken.objects.get(member=sponsor).pk],
        "organise-run": [event.slug, run.pk],
        "organise-meal": [event.slug, meal.pk],
        "organise-meal-run": [event.slug, seating_run.pk],
        "organise-meal-edit": [event.slug, meal.pk],
        "report-sponsor": [sponsor.organisation_id],
        "outcome-detail": [outcome.pk],
        "outcome-edit": [outcome.pk],
        "outcome-question": [question.pk],
    }
    assert sponsor_token
    api_params = {
        "member_id": boss.pk,
        "ask_id": ask.pk,
        "introduction_id": introduction.pk,
        "organisation_id": boss.organisation_id,
        "slug": event.slug,
        "registration_id": registration.pk,
        "run_id": run.pk,
        "meeting_id": meeting.pk,
        "sponsor_id": sponsor.pk,
        "meal_id": meal.pk,
        "seating_run_id": seating_run.pk,
        "follow_up_id": follow_up.pk,
        "outcome_id": outcome.pk,
        "rule_id": rule.pk,
        "offer_id": offer.pk,
        "question_id": question.pk,
        "invitation_id": invitation.pk,
        "token_id": ApiToken.objects.get(member=sponsor).pk,
    }
    start = event.start + dt.timedelta(days=60)
    api_bodies = {
        "POST /api/organisations": {"name": "Matrix Organisation"},
        "POST /api/events": {
            "slug": "matrix-event",
            "name": "Matrix",
            "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=3)).isoformat(),
        },
        "PATCH /api/events/{slug}": {"name": "Renamed by someone who may not"},
        "POST /api/events/{slug}/registrations": {
            "member_id": members[OUTSIDER].pk,
            "side": "boss",
        },
        "PATCH /api/registrations/{registration_id}": {"status": "confirmed"},
        "POST /api/introductions/{introduction_id}/answer": {"yes": True},
        "PUT /api/events/{slug}/setup": {
            "tables": 2,
            "days": [start.date().isoformat()],
            "session_starts": ["09:00"],
            "rounds_per_session": 2,
            "minutes": 7,
            "changeover": 3,
        },
        "PUT /api/events/{slug}/pair-rules": {
            "boss_id": boss.pk,
            "sponsor_id": sponsor.pk,
            "rule": "forbid",
        },
        "POST /api/events/{slug}/replan": {},
        "POST /api/events/{slug}/meetings": {
            "round": 2,
            "table": 1,
            "boss_id": boss.pk,
            "sponsor_id": other_sponsor.pk,
        },
        "POST /api/events/{slug}/registrations/{registration_id}/attendance": {
            "status": "checked_in"
        },
        "PUT /api/events/{slug}/my-answer": {"coming": True},
        "PUT /api/events/{slug}/preferences": {"choices": []},
        "PUT /api/events/{slug}/meetings/{meeting_id}/rating": {"colour": "green"},
        "POST /api/events/{slug}/meals": {
            "name": "Matrix dinner",
            "start": start.isoformat(),
            "tables": [4],
        },
        "PUT /api/contacts/{member_id}/cadence": {"every_days": 30},
        "PATCH /api/outcomes/{outcome_id}": {"note": "changed by someone who may not"},
        "POST /api/contacts/{member_id}/notes": {"text": "a note by someone who may not"},
        "POST /api/events/{slug}/registrations/import": {
            "csv": f"email,status\n{members[OUTSIDER].email},confirmed\n"
        },
        "PUT /api/events/{slug}/meals/{meal_id}": {
            "name": "Renamed by someone who may not",
            "start": (event.start + dt.timedelta(hours=3)).isoformat(),
            "tables": [4, 4],
        },
        "POST /api/invitations": {"name": "B", "email": "b@example.org", "note": "hello"},
        "POST /api/invitations/{invitation_id}/decision": {"approve": True},
        "POST /api/tokens": {"name": "another"},
        "POST /api/asks/{ask_id}/introduction-request": {
            "helper": sponsor.pk,
            "introducer": other_sponsor.pk,
        },
    }
    users = {role: member.user for role, member in members.items()}
    users[ANONYMOUS] = None
    return Club(users, members, web_args, api_params, api_bodies)


def _web_patterns() -> Iterator[tuple[str, URLPattern]]:
    """Every named URL pattern of the site, without the admin's pages (its sign-in excepted)
    and without the API's operations (checked from the OpenAPI schema)."""

    def walk(patterns: list[Any], namespace: str | None) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern

    for name, pattern in walk(get_resolver().url_patterns, None):
        if name.startswith("admin:") and name != "admin:login":
            continue
        if getattr(pattern.callback, "__module__", "").startswith("ninja.operation"):
            continue
        yield name, pattern


def _api_operations() -> list[tuple[str, str]]:
    """Every API operation as ("METHOD /path", method) from the OpenAPI schema."""
    schema = api.get_openapi_schema()
    return [
        (f"{method.upper()} {path}", method.upper())
        for path, methods in schema["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def test_every_page_and_api_operation_has_an_entry_in_the_table() -> None:
    pages = {name for name, _pattern in _web_patterns()}
    operations = {key for key, _method in _api_operations()}
    assert not pages - set(PAGES), f"pages missing from PAGES: {sorted(pages - set(PAGES))}"
    assert not set(PAGES) - pages, f"PAGES names no page: {sorted(set(PAGES) - pages)}"
    missing = operations - set(OPERATIONS)
    assert not missing, f"API operations missing from OPERATIONS: {sorted(missing)}"
    assert not set(OPERATIONS) - operations, sorted(set(OPERATIONS) - operations)


def _client(club: Club, role: str) -> Client:
    client = Client()
    if club.users[role] is not None:
        client.force_login(club.users[role])
    return client


def _signs_in(response: Any) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(reverse("login")) or location.startswith(reverse("admin:login"))
    )


def _web_outcome(response: Any) -> str:
    if _signs_in(response):
        return "sign-in"
    if 200 <= response.status_code < 400:
        return "allowed"
    if response.status_code in (403, 404):
        return "refused"
    return f"status {response.status_code}"


def _expected(rule: Rule, role: str, anonymous_refusal: str) -> str:
    if role in rule.allowed:
        return "allowed"
    if role == ANONYMOUS and rule.allowed is not NOBODY:
        return anonymous_refusal
    return "refused"


def test_pages_answer_each_role_as_the_table_says() -> None:
    club = _build_club()
    wrong = [line for role in ROLES for line in _wrong_pages(club, role)]
    assert not wrong, "\n".join(wrong)


def _wrong_pages(club: Club, role: str) -> Iterator[str]:
    client = _client(club, role)
    for name, rule in PAGES.items():
        if rule.post_only and role in rule.allowed:
            continue  # never performed here; the feature's own tests do that
        url = reverse(name, args=club.web_args.get(name, _default_args(name, club)))
        response = client.post(url) if rule.post_only else client.get(url)
        expected, got = _expected(rule, role, "sign-in"), _web_outcome(response)
        if got != expected:
            method = "POST" if rule.post_only else "GET"
            yield f"{role}: {method} {url} ({name}): {got}, expected {expected}"


def _default_args(name: str, club: Club) -> list[Any]:
    # Pages whose only parameter is the event's slug.
    pattern = dict(_web_patterns())[name]
    return [club.api_params["slug"]] if "<slug:slug>" in str(pattern.pattern) else []


def _api_outcome(code: int) -> str:
    if 200 <= code < 300:
        return "allowed"
    if code == 401:
        return "sign-in"
    if code in (403, 404):
        return "refused"
    return f"status {code}"


def test_api_operations_answer_each_role_as_the_table_says() -> None:
    club = _build_club()
    wrong = [line for role in ROLES for line in _wrong_operations(club, role)]
    assert not wrong, "\n".join(wrong)


def _wrong_operations(club: Club, role: str) -> Iterator[str]:
    client = Client()
    headers = {}
    if role != ANONYMOUS:
        headers["Authorization"] = f"Bearer {create_api_token(club.members[role], name='matrix')}"
    for key, method in _api_operations():
        rule = OPERATIONS[key]
        if method != "GET" and role in rule.allowed:
            continue  # writes are only sent by those who must be refused
        path = key.split(" ", 1)[1].format(**club.api_params)
        body = json.dumps(club.api_bodies.get(key, {}))
        response = client.generic(
            method,
            path,
            body if method != "GET" else "",
            content_type="application/json",
            headers=headers,
        )
        expected, got = _expected(rule, role, "sign-in"), _api_outcome(response.status_code)
        if got != expected:
            yield f"{role}: {key}: {got}, expected {expected} ({response.content[:200]!r})"


def test_refused_writes_changed_nothing() -> None:
    club = _build_club()
    before = get_user_model().objects.count(), Member.objects.count()
    for role in (OUTSIDER, OTHER_ORGANISER, STAFF):
        headers = {"Authorization": f"Bearer {create_api_token(club.members[role], name='m')}"}
        path = f"/api/events/{club.api_params['slug']}"
        body = json.dumps(club.api_bodies["PATCH /api/events/{slug}"])
        Client().patch(path, body, content_type="application/json", headers=headers)
    event = club.members[BOSS].registrations.get().event
    event.refresh_from_db()
    assert event.name != "Renamed by someone who may not"
    assert (get_user_model().objects.count(), Member.objects.count()) == before


# Organisers per event, beyond the matrix: the organiser's home, the back office, creation.


def _with_event_permissions(member: Member) -> Member:
    from django.contrib.auth.models import Permission

    member.user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="events", codename__in=["add_event", "change_event"]
        )
    )
    return member


def test_the_organisers_home_lists_only_the_events_they_organise() -> None:
    mine, theirs = EventFactory(name="Mine"), EventFactory(name="Theirs")
    organiser, other = _staff_member(), _staff_member()
    mine.organisers.add(organiser.user)
    theirs.organisers.add(other.user)
    client = Client()
    client.force_login(organiser.user)
    page = client.get(reverse("organise-home")).content.decode()
    assert "Mine" in page and "Theirs" not in page
    client.force_login(_staff_member(is_superuser=True).user)
    page = client.get(reverse("organise-home")).content.decode()
    assert "Mine" in page and "Theirs" in page


def test_the_back_office_lets_staff_change_only_their_events_and_lists_the_creator() -> None:
    staff = _with_event_permissions(_staff_member())
    theirs = EventFactory()
    client = Client()
    client.force_login(staff.user)
    # Another organiser's event is neither listed nor opened (the admin redirects to its index).
    assert theirs.name not in client.get(reverse("admin:events_event_changelist")).content.decode()
    assert client.get(reverse("admin:events_event_change", args=[theirs.pk])).status_code == 302
    start = timezone.now() + dt.timedelta(days=40)
    answer = client.post(
        reverse("admin:events_event_add"),
        {
            "name": "Staff dinner",
            "slug": "staff-dinner",
            "kind": "dinner",
            "timezone": "Europe/Paris",
            "start_0": start.strftime("%Y-%m-%d"),
            "start_1": "19:00:00",
            "end_0": start.strftime("%Y-%m-%d"),
            "end_1": "23:00:00",
            "tables": 0,
            "boss_min_meetings": 0,
            "boss_max_meetings": 0,
            "registrations-TOTAL_FORMS": 0,
            "registrations-INITIAL_FORMS": 0,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    created = Event.objects.get(slug="staff-dinner")
    assert list(created.organisers.all()) == [staff.user]
    assert client.get(reverse("admin:events_event_change", args=[created.pk])).status_code == 200


def test_whoever_creates_an_event_through_the_api_organises_it() -> None:
    staff = _staff_member()
    headers = {"Authorization": f"Bearer {create_api_token(staff, name='t')}"}
    start = timezone.now() + dt.timedelta(days=40)
    body = {
        "slug": "api-dinner",
        "name": "API dinner",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=3)).isoformat(),
    }
    client = Client()
    created = client.post("/api/events", body, content_type="application/json", headers=headers)
    assert created.status_code == 201
    patch = {"name": "API dinner, renamed"}
    answer = client.patch(
        "/api/events/api-dinner", patch, content_type="application/json", headers=headers
    )
    assert answer.status_code == 200
    assert Event.objects.get(slug="api-dinner").organisers.get() == staff.user
