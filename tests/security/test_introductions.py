"""An introduction cannot carry the topic of an ask its introducer may not see."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from serendip.members.services import create_api_token
from serendip.network.asks import create_ask
from serendip.network.models import Audience, Introduction
from tests.network.club import circle

pytestmark = pytest.mark.django_db


def post(member: object, path: str, body: dict[str, object]):
    token = create_api_token(member, name="t")  # type: ignore[arg-type]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    return client.post(f"/api{path}", json.dumps(body), "application/json")


def test_an_ask_the_introducer_cannot_see_is_not_found() -> None:
    c = circle()  # ana knows ben and cleo; ben knows dan
    secret = create_ask(
        c.cleo,
        kind="advice",
        topic="Leaving my job quietly",
        details="",
        audience=Audience.CONNECTIONS,  # ana only
    )
    made = post(
        c.ben,
        "/introductions",
        {"seeker": c.ana.pk, "helper": c.dan.pk, "note": "Meet", "ask": secret.pk},
    )
    assert made.status_code == 404
    assert "Leaving my job" not in made.content.decode()
    assert not Introduction.objects.exists()


def test_only_the_seekers_own_ask_is_served() -> None:
    c = circle()
    dans = create_ask(
        c.dan, kind="advice", topic="Public topic", details="", audience=Audience.CLUB
    )
    made = post(
        c.ben,
        "/introductions",
        {"seeker": c.ana.pk, "helper": c.dan.pk, "note": "Meet", "ask": dans.pk},
    )
    assert made.status_code == 422
    assert not Introduction.objects.exists()
    anas = create_ask(c.ana, kind="advice", topic="A pentest partner", details="")
    made = post(
        c.ben,
        "/introductions",
        {"seeker": c.ana.pk, "helper": c.dan.pk, "note": "Meet", "ask": anas.pk},
    )
    assert made.status_code == 201
    assert Introduction.objects.get().ask == anas
