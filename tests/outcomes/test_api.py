"""The outcome endpoints: record, confirm, list mine; a sponsor never sees another's amounts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from serendip.members.models import Member
from serendip.members.services import create_api_token
from tests.outcomes.club import Club, build_club

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, member: Member) -> None:
        self.client = Client(
            headers={"Authorization": f"Bearer {create_api_token(member, name='t')}"}
        )

    def get(self, path: str) -> Any:
        return self.client.get(f"/api{path}")

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(f"/api{path}", json.dumps(body or {}), "application/json")

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.patch(f"/api{path}", json.dumps(body), "application/json")


@pytest.fixture
def club() -> Club:
    return build_club()


def test_record_confirm_and_list_through_the_api(club: Club) -> None:
    ada, sam = Api(club.ada), Api(club.sam)
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    made = ada.post(
        "/outcomes",
        {
            "kind": "deal",
            "happened_on": day,
            "parties": [club.sam.pk],
            "amount": "1500.50",
            "currency": "EUR",
            "note": "between us",
            "meeting": club.spring_meeting.pk,
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "proposed" and body["amount"] == "1500.50"
    outcome_id = body["id"]
    assert [o["id"] for o in sam.get("/outcomes?status=proposed").json()] == [outcome_id]
    confirmed = sam.post(f"/outcomes/{outcome_id}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert ada.get("/outcomes?status=confirmed").json()[0]["id"] == outcome_id
    assert ada.get("/outcomes?status=nonsense").status_code == 422
    assert ada.patch(f"/outcomes/{outcome_id}", {"amount": "2000"}).json()["amount"] == "2000.00"
    # Null clears the amount; for what an outcome cannot be without, it is refused and named.
    for field in ("kind", "happened_on", "currency", "note"):
        refused = ada.patch(f"/outcomes/{outcome_id}", {field: None})
        assert refused.status_code == 422, (field, refused.content)
        assert field in refused.content.decode()
    assert ada.patch(f"/outcomes/{outcome_id}", {"amount": None}).json()["amount"] is None
    assert ada.post(f"/outcomes/{outcome_id}/withdraw").json()["status"] == "withdrawn"


def test_refusals_are_422_and_strangers_get_403_or_404(club: Club) -> None:
    ada, yves, zoe = Api(club.ada), Api(club.yves), Api(club.zoe)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    refused = ada.post(
        "/outcomes", {"kind": "deal", "happened_on": future, "parties": [club.sam.pk]}
    )
    assert refused.status_code == 422
    assert (
        ada.post("/outcomes", {"kind": "bribe", "happened_on": future, "parties": [1]}).status_code
        == 422
    )
    made = ada.post(
        "/outcomes",
        {"kind": "hire", "happened_on": timezone.localdate().isoformat(), "parties": [club.sam.pk]},
    ).json()
    # Someone else's meeting is not one's story.
    assert (
        yves.post(
            "/outcomes",
            {
                "kind": "deal",
                "happened_on": timezone.localdate().isoformat(),
                "parties": [club.sam.pk],
                "meeting": club.spring_meeting.pk,
            },
        ).status_code
        == 422
    )
    for stranger in (yves, zoe):
        assert stranger.get(f"/outcomes/{made['id']}").status_code == 404
        assert stranger.post(f"/outcomes/{made['id']}/confirm").status_code == 404
        assert stranger.get("/outcomes").json() == []


def test_a_sponsor_sees_its_own_organisations_amounts_never_anothers(club: Club) -> None:
    ada, sam = Api(club.ada), Api(club.sam)
    made = ada.post(
        "/outcomes",
        {
            "kind": "deal",
            "happened_on": timezone.localdate().isoformat(),
            "parties": [club.sam.pk],
            "amount": "777",
            "currency": "CHF",
            "note": "private",
        },
    ).json()
    sam.post(f"/outcomes/{made['id']}/confirm")
    colleague = Member.objects.create(
        user=type(club.sam.user).objects.create(username="colleague@example.org"),
        first_name="Col",
        last_name="League",
        email="colleague@example.org",
        side="sponsor",
        organisation=club.sam.organisation,
    )
    seen = Api(colleague).get(f"/outcomes/{made['id']}").json()
    assert seen["amount"] == "777.00" and seen["note"] is None
    assert Api(club.zoe).get(f"/outcomes/{made['id']}").status_code == 404
    # A colleague may see it but does not answer for it.
    assert Api(colleague).post(f"/outcomes/{made['id']}/decline").status_code == 403
