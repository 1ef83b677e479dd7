"""Each forbidden access, through the web and the API, is refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serendip.members.services import create_api_token
from serendip.network.asks import create_ask
from serendip.network.introductions import answer_introduction, propose_introduction
from serendip.network.ledger import record_help
from serendip.network.models import Audience
from serendip.network.relationships import add_note, set_cadence
from tests.factories import PASSWORD
from tests.network.club import circle

pytestmark = pytest.mark.django_db


def web(member) -> Client:
    client = Client()
    assert client.login(username=member.user.username, password=PASSWORD)
    return client


def api(member) -> Client:
    return Client(headers={"Authorization": f"Bearer {create_api_token(member, name='t')}"})


def test_strangers_cannot_see_an_ask_outside_its_audience():
    c = circle()
    ask = create_ask(
        c.ana, kind="advice", topic="Private matter", details="", audience=Audience.CONNECTIONS
    )
    assert web(c.dan).get(ask.get_absolute_url()).status_code == 404
    assert api(c.dan).get(f"/api/asks/{ask.pk}").status_code == 404
    assert all(a["id"] != ask.pk for a in api(c.eve).get("/api/asks").json())
    # Only the asker sees who could help.
    assert api(c.ben).get(f"/api/asks/{ask.pk}/helpers").status_code == 404
    assert api(c.ana).get(f"/api/asks/{ask.pk}/helpers").status_code == 200


def test_an_introduction_is_visible_to_its_three_people_only_and_contacts_after_two_yes():
    c = circle()
    introduction = propose_introduction(c.ana, seeker=c.ben, helper=c.cleo, note="Meet")
    for outsider in (c.dan, c.eve):
        assert web(outsider).get(introduction.get_absolute_url()).status_code == 404
        assert api(outsider).get(f"/api/introductions/{introduction.pk}").status_code == 404
        answered = api(outsider).post(
            f"/api/introductions/{introduction.pk}/answer", {"yes": True}, "application/json"
        )
        assert answered.status_code == 404
    page = web(c.ben).get(introduction.get_absolute_url()).content.decode()
    assert c.cleo.email not in page
    assert api(c.ben).get(f"/api/introductions/{introduction.pk}").json()["contact"] is None
    answer_introduction(introduction, c.ben, yes=True)
    answer_introduction(introduction, c.cleo, yes=True)
    assert c.cleo.email in web(c.ben).get(introduction.get_absolute_url()).content.decode()
    assert api(c.ben).get(f"/api/introductions/{introduction.pk}").json()["contact"] == {
        "email": c.cleo.email,
        "phone": c.cleo.phone,
    }


def test_ledgers_notes_and_follow_ups_are_their_owners_only():
    c = circle()
    record_help(c.ana, giver=c.ben, what="Secret favour", when=timezone.localdate())
    add_note(c.ana, c.ben, "Ben prefers calls after 6pm")
    follow_up = set_cadence(c.ana, c.ben, 30)
    for outsider in (c.ben, c.cleo):
        assert "Secret favour" not in web(outsider).get(reverse("ledger")).content.decode()
        assert all(e["what"] != "Secret favour" for e in api(outsider).get("/api/ledger").json())
        page = web(outsider).get(reverse("contact-detail", args=[c.ben.pk]))
        assert page.status_code == 404 or "6pm" not in page.content.decode()
        done = web(outsider).post(reverse("contacts"), {"done": follow_up.pk})
        assert done.status_code == 404
    assert "6pm" in web(c.ana).get(reverse("contact-detail", args=[c.ben.pk])).content.decode()
    # Notes and cadences are for one's own connections only.
    assert web(c.ana).get(reverse("contact-detail", args=[c.eve.pk])).status_code == 404


def test_the_api_refuses_an_introduction_the_introducer_cannot_make():
    c = circle()
    answer = api(c.eve).post(
        "/api/introductions",
        {"seeker": c.ana.pk, "helper": c.dan.pk, "note": "hi"},
        "application/json",
    )
    assert answer.status_code == 422 and "know both" in answer.json()["detail"]
