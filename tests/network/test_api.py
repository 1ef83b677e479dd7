"""The network endpoints: an ask, an introduction answered by both, the ledger."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from serendip.members.services import create_api_token
from tests.network.club import circle

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, member) -> None:
        self.client = Client(
            headers={"Authorization": f"Bearer {create_api_token(member, name='t')}"}
        )

    def get(self, path: str):
        return self.client.get(f"/api{path}")

    def post(self, path: str, body: dict):
        return self.client.post(f"/api{path}", json.dumps(body), "application/json")


def test_ask_introduce_answer_and_thank_through_the_api():
    c = circle()
    ana, ben, dan = Api(c.ana), Api(c.ben), Api(c.dan)
    posted = ana.post("/asks", {"kind": "contact", "topic": "a penetration testing partner"})
    assert posted.status_code == 201
    ask_id = posted.json()["id"]
    assert ask_id in [a["id"] for a in dan.get("/asks").json()]  # second degree reaches dan
    helpers = ana.get(f"/asks/{ask_id}/helpers").json()
    assert helpers[0]["helper"]["id"] == c.dan.pk and helpers[0]["introducer"]["id"] == c.ben.pk
    bad = ana.post("/asks", {"kind": "bribe", "topic": ""})
    assert bad.status_code == 422
    made = ben.post(
        "/introductions", {"seeker": c.ana.pk, "helper": c.dan.pk, "note": "Meet", "ask": ask_id}
    )
    assert made.status_code == 201
    intro_id = made.json()["id"]
    assert dan.post(f"/introductions/{intro_id}/answer", {"yes": True}).json()["contact"] is None
    done = ana.post(f"/introductions/{intro_id}/answer", {"yes": True}).json()
    assert done["state"] == "accepted"
    assert done["contact"] == {"email": c.dan.email, "phone": c.dan.phone}
    assert ana.post("/ledger", {"what": "Help", "when": "2027-01-05"}).status_code == 422
    entry = ana.post(
        "/ledger",
        {"giver": c.dan.pk, "what": "Found a partner", "when": "2027-01-05", "thank_you": "Merci"},
    )
    assert entry.status_code == 201
    assert [e["what"] for e in ana.get("/ledger").json()] == ["Found a partner"]
    assert dan.get("/ledger").json() == []
    assert dan.get("/thanks").json() == [
        {
            "receiver": {"id": c.ana.pk, "name": c.ana.full_name},
            "thank_you": "Merci",
            "when": "2027-01-05",
        }
    ]
