"""The OpenAPI API: authentication, visibility and who may change what."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from serendip.events.models import Event, Registration
from serendip.members.models import Member
from serendip.members.services import create_api_token, revoke_api_tokens
from tests.factories import PASSWORD, EventFactory, MemberFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


class Api:
    """A client that sends a bearer token with every request."""

    def __init__(self, member: Member) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {create_api_token(member, name='test')}"}

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(f"/api{path}", query, headers=self.headers)

    def send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        return getattr(self.client, method)(
            f"/api{path}", json.dumps(body), content_type="application/json", headers=self.headers
        )


def test_the_openapi_schema_is_served_with_every_resource() -> None:
    schema = Client().get("/api/openapi.json").json()
    assert {"/api/members", "/api/members/me", "/api/organisations", "/api/events"} <= set(
        schema["paths"]
    )
    assert "/api/events/{slug}/registrations" in schema["paths"]
    assert {
        "/api/asks",
        "/api/asks/{ask_id}/helpers",
        "/api/offers",
        "/api/introductions",
        "/api/introductions/{introduction_id}/answer",
        "/api/ledger",
        "/api/thanks",
    } <= set(schema["paths"])
    assert Client().get("/api/docs").status_code == 200


def test_requests_without_credentials_or_with_a_revoked_token_are_refused() -> None:
    assert Client().get("/api/members").status_code == 401
    member = MemberFactory()
    api = Api(member)
    assert api.get("/members/me").status_code == 200
    revoke_api_tokens(member)
    assert api.get("/members/me").status_code == 401
    bad = Client().get("/api/members", headers={"Authorization": "Bearer sdp_forged"})
    assert bad.status_code == 401


def test_the_browser_session_also_authenticates() -> None:
    member = MemberFactory()
    client = Client()
    client.login(username=member.user.username, password=PASSWORD)
    assert client.get("/api/members/me").json()["email"] == member.email


def test_contact_details_are_hidden_unless_shared_and_seniority_is_private() -> None:
    viewer = MemberFactory()
    hidden = MemberFactory(contact_visibility="nobody", seniority="intern")
    shown = MemberFactory(contact_visibility="members")
    api = Api(viewer)
    hidden_data = api.get(f"/members/{hidden.pk}").json()
    assert hidden_data["email"] is None and hidden_data["phone"] is None
    assert "seniority" not in hidden_data
    assert api.get(f"/members/{shown.pk}").json()["email"] == shown.email
    listed = {m["id"]: m for m in api.get("/members").json()["items"]}
    assert listed[hidden.pk]["email"] is None


def test_a_member_patches_their_own_profile_and_bad_values_are_refused() -> None:
    member = MemberFactory()
    api = Api(member)
    response = api.send("patch", "/members/me", {"headline": "DSI", "keywords": ["FinOps"]})
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.headline, member.keywords) == ("DSI", ["FinOps"])
    assert api.send("patch", "/members/me", {"language": "de"}).status_code == 422
    # The sign-in email changes only with the password and a link to the new address.
    refused = api.send("patch", "/members/me", {"email": "new-address@example.org"})
    assert refused.status_code == 422
    assert "email" in json.dumps(refused.json())
    member.refresh_from_db()
    assert member.email != "new-address@example.org"
    assert member.user.email != "new-address@example.org"


def test_only_organisers_create_events_and_their_rules_are_checked() -> None:
    event = {
        "slug": "autumn",
        "name": "Autumn seminar",
        "start": "2027-10-01T09:00:00+02:00",
        "end": "2027-10-02T17:00:00+02:00",
    }
    assert Api(MemberFactory()).send("post", "/events", event).status_code == 403
    staff = Api(MemberFactory(user__is_staff=True))
    assert staff.send("post", "/events", event).status_code == 201
    assert Event.objects.get().slug == "autumn"
    backwards = staff.send("patch", "/events/autumn", {"end": "2027-09-01T09:00:00+02:00"})
    assert backwards.status_code == 422
    bad_zone = staff.send("patch", "/events/autumn", {"timezone": "Mars/Olympus"})
    assert bad_zone.status_code == 422 and "timezone" in bad_zone.json()["detail"]
    assert Event.objects.get().end.month == 10


def test_registrations_hide_status_from_others_and_members_answer_only_for_themselves() -> None:
    event = EventFactory(slug="spring")
    mine = RegistrationFactory(event=event, status="invited")
    other = RegistrationFactory(event=event, status="invited")
    RegistrationFactory(event=event, status="cancelled")
    api = Api(mine.member)
    listed = api.get("/events/spring/registrations").json()["items"]
    assert len(listed) == 2
    by_id = {r["id"]: r for r in listed}
    assert by_id[mine.pk]["status"] == "invited" and by_id[other.pk]["status"] is None
    assert (
        api.send("patch", f"/registrations/{mine.pk}", {"status": "confirmed"}).status_code == 200
    )
    assert (
        api.send("patch", f"/registrations/{other.pk}", {"status": "cancelled"}).status_code == 403
    )
    assert (
        api.send("patch", f"/registrations/{mine.pk}", {"status": "checked_in"}).status_code == 403
    )
    assert Registration.objects.get(pk=mine.pk).status == "confirmed"
    assert Registration.objects.get(pk=other.pk).status == "invited"


def test_organisers_register_members_and_duplicates_or_bad_packages_are_refused() -> None:
    event = EventFactory(slug="spring")
    boss = MemberFactory()
    organiser = MemberFactory(user__is_staff=True)
    event.organisers.add(organiser.user)
    staff = Api(organiser)
    body = {"member_id": boss.pk, "side": "boss", "status": "confirmed"}
    # A staff member who does not organise this event may not register anyone to it.
    other_staff = Api(MemberFactory(user__is_staff=True))
    assert other_staff.send("post", "/events/spring/registrations", body).status_code == 403
    assert staff.send("post", "/events/spring/registrations", body).status_code == 201
    assert staff.send("post", "/events/spring/registrations", body).status_code == 422
    sponsor = MemberFactory()
    package = {"member_id": sponsor.pk, "side": "boss", "guaranteed_meetings": 20}
    assert staff.send("post", "/events/spring/registrations", package).status_code == 422
    package["side"] = "sponsor"
    assert staff.send("post", "/events/spring/registrations", package).status_code == 201
    assert event.registrations.count() == 2


def test_organisations_are_unique_whatever_the_case() -> None:
    staff = Api(MemberFactory(user__is_staff=True))
    assert staff.send("post", "/organisations", {"name": "Acme"}).status_code == 201
    assert staff.send("post", "/organisations", {"name": "ACME"}).status_code == 422
    assert staff.get("/organisations", q="acm").json()["count"] == 1
