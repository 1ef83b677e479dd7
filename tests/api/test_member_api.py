"""A member's own operations beyond the seminar: invitations (and the organisers' decision),
notifications, private notes on contacts, personal tokens, "download all my data", acting on
asks and offers, and "People to meet"."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from serendip.members.models import ApiToken, HiddenRecommendation, Member
from serendip.members.services import connect, create_api_token
from serendip.network.asks import create_ask
from serendip.network.models import Invitation
from serendip.network.notifications import notify
from serendip.outcomes.models import OutcomeQuestion
from serendip.programme.models import Wish
from tests.api.test_seminar_api import Api
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_a_member_invites_and_an_organiser_approves_with_tokens_only(
    django_capture_on_commit_callbacks: Any,
) -> None:
    inviter = Api(MemberFactory())
    body = {"name": "Ada Lovelace", "email": "Ada@Example.org", "note": "You would like it."}
    made = inviter.send("post", "/invitations", body, status=201)
    assert (made["email"], made["status"], made["already_member"]) == (
        "ada@example.org",
        "pending",
        None,
    )
    inviter.send("post", "/invitations", body, status=409)  # already invited
    inviter.send("post", "/invitations", {**body, "email": "not an email"}, status=422)
    # Members neither list what waits for the organisers nor decide.
    inviter.get("/invitations/pending", status=403)
    inviter.send("post", f"/invitations/{made['id']}/decision", {"approve": True}, status=403)
    desk = Api(MemberFactory(user__is_staff=True))
    waiting = desk.get("/invitations/pending")
    assert [(i["id"], i["already_member"]) for i in waiting["items"]] == [(made["id"], False)]
    with django_capture_on_commit_callbacks(execute=True):  # the welcome goes after the commit
        decided = desk.send("post", f"/invitations/{made['id']}/decision", {"approve": True})
    assert decided["status"] == "approved" and decided["member_id"]
    assert Member.objects.get(pk=decided["member_id"]).email == "ada@example.org"
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    desk.send("post", f"/invitations/{made['id']}/decision", {"approve": False}, status=409)
    assert desk.get("/invitations/pending")["items"] == []
    (mine,) = inviter.get("/invitations")
    assert (mine["status"], mine["already_member"]) == ("approved", None)
    assert Api(MemberFactory()).get("/invitations") == []


def test_an_invitation_of_a_member_is_flagged_to_organisers_and_declined() -> None:
    known = MemberFactory()
    inviter = Api(MemberFactory())
    made = inviter.send(
        "post", "/invitations", {"name": "K", "email": known.email, "note": "hi"}, status=201
    )
    assert made["already_member"] is None  # the inviter never learns who is a member
    desk = Api(MemberFactory(user__is_staff=True))
    assert desk.get("/invitations/pending")["items"][0]["already_member"] is True
    refused = desk.send("post", f"/invitations/{made['id']}/decision", {"approve": True}, 409)
    assert "already a member" in refused["detail"]
    declined = desk.send("post", f"/invitations/{made['id']}/decision", {"approve": False})
    assert declined["status"] == Invitation.Status.DECLINED


def test_notifications_are_listed_and_marked_read_for_their_member_only() -> None:
    member, other = MemberFactory(), MemberFactory()
    notify(member, "First news")
    notify(member, "Second news", "/network/")
    notify(other, "Not yours")
    api = Api(member)
    listed = api.get("/notifications")
    assert [n["text"] for n in listed["items"]] == ["Second news", "First news"]
    assert api.get("/notifications", unread="true")["count"] == 2
    assert api.send("post", "/notifications/read") == {"marked": 2}
    assert api.get("/notifications", unread="true")["count"] == 0
    assert all(n["read"] for n in api.get("/notifications")["items"])
    assert api.send("post", "/notifications/read") == {"marked": 0}
    assert other.notifications.get().read is None


def test_private_notes_about_a_connection_only() -> None:
    member, friend, stranger = MemberFactory(), MemberFactory(), MemberFactory()
    connect(member, friend)
    api = Api(member)
    note = api.send("post", f"/contacts/{friend.pk}/notes", {"text": "Likes sailing"}, status=201)
    assert [n["text"] for n in api.get(f"/contacts/{friend.pk}/notes")] == ["Likes sailing"]
    api.send("post", f"/contacts/{stranger.pk}/notes", {"text": "Nope"}, status=404)
    api.get(f"/contacts/{stranger.pk}/notes", status=404)
    # The friend does not read what was written about them.
    assert Api(friend).get(f"/contacts/{member.pk}/notes") == []
    assert note["id"]


def test_tokens_are_listed_and_revoked_with_a_token_but_created_from_a_session() -> None:
    member = MemberFactory()
    api = Api(member)  # one token, "app"
    (listed,) = api.get("/tokens")
    assert listed["name"] == "app" and "secret" not in listed
    refused = api.send("post", "/tokens", {"name": "another"}, status=403)
    assert "session" in refused["detail"]
    browser = Client()
    browser.force_login(member.user)
    answer = browser.post(
        "/api/tokens",
        {"name": "laptop", "expires_in_days": 30},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    secret, token_id = answer.json()["secret"], answer.json()["id"]
    assert answer.json()["expires"]
    with_it = {"Authorization": f"Bearer {secret}"}
    assert Client().get("/api/members/me", headers=with_it).status_code == 200
    other_token = ApiToken.objects.get(digest__isnull=False, member__isnull=False, name="app")
    Api(MemberFactory()).send("delete", f"/tokens/{other_token.pk}", status=404)
    api.send("delete", f"/tokens/{token_id}", status=204)
    assert Client().get("/api/members/me", headers=with_it).status_code == 401
    assert [t["name"] for t in api.get("/tokens")] == ["app"]


def test_a_member_downloads_their_data_and_nobody_elses() -> None:
    member = MemberFactory(first_name="Camille")
    answer = Client().get(
        "/api/members/me/export",
        headers={"Authorization": f"Bearer {create_api_token(member, name='x')}"},
    )
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    assert answer.json()["profile"]["first_name"] == "Camille"
    assert Client().get("/api/members/me/export").status_code == 401


def test_an_ask_is_helped_closed_and_served_by_an_introduction_request() -> None:
    asker, friend, helper = MemberFactory(), MemberFactory(), MemberFactory()
    connect(asker, friend)
    connect(friend, helper)
    ask = create_ask(asker, kind="advice", topic="FinOps", audience="second_degree")
    mine, theirs = Api(asker), Api(friend)
    # "I can help": the asker is told; not on one's own ask, not on an ask one cannot see.
    theirs.send("post", f"/asks/{ask.pk}/help", status=204)
    assert asker.notifications.get().text.startswith(friend.full_name)
    mine.send("post", f"/asks/{ask.pk}/help", status=403)
    Api(MemberFactory()).send("post", f"/asks/{ask.pk}/help", status=404)
    # The asker asks their friend to introduce them to the helper.
    body = {"helper": helper.pk, "introducer": friend.pk}
    theirs.send("post", f"/asks/{ask.pk}/introduction-request", body, status=403)
    made = mine.send("post", f"/asks/{ask.pk}/introduction-request", body, status=201)
    assert made["state"] == "requested"
    again = mine.send("post", f"/asks/{ask.pk}/introduction-request", body, status=422)
    assert again["detail"]
    # Only the asker closes it; then helpers no longer see it.
    theirs.send("post", f"/asks/{ask.pk}/close", status=403)
    assert mine.send("post", f"/asks/{ask.pk}/close")["open"] is False
    assert ask.pk not in [a["id"] for a in theirs.get("/asks")]


def test_an_offer_is_withdrawn_by_its_member_only() -> None:
    member = MemberFactory()
    api = Api(member)
    offer = api.send("post", "/offers", {"kind": "advice", "title": "zero trust"}, status=201)
    Api(MemberFactory()).send("delete", f"/offers/{offer['id']}", status=404)
    api.send("delete", f"/offers/{offer['id']}", status=204)
    assert [o["active"] for o in api.get("/offers")] == [False]  # kept, off the list


def test_people_to_meet_wish_and_not_now() -> None:
    member, other = MemberFactory(), MemberFactory()
    api = Api(member)
    assert api.send("post", f"/members/{other.pk}/wish") == {"event": None}
    assert Wish.objects.filter(member=member, wanted=other, event=None).exists()
    api.send("post", f"/members/{other.pk}/not-now", status=204)
    assert HiddenRecommendation.objects.filter(member=member, hidden=other).exists()
    api.send("post", f"/members/{member.pk}/wish", status=403)
    api.send("post", f"/members/{member.pk}/not-now", status=403)


def test_nothing_yet_answers_ones_own_outcome_question_once() -> None:
    member, other = MemberFactory(), MemberFactory()
    asked = OutcomeQuestion.objects.create(member=member, other=other, asked_at=timezone.now())
    api = Api(member)
    assert [q["id"] for q in api.get("/outcome-questions")] == [asked.pk]
    Api(other).send("post", f"/outcome-questions/{asked.pk}/nothing-yet", status=404)
    answered = api.send("post", f"/outcome-questions/{asked.pk}/nothing-yet")
    assert answered["answer"] == "nothing"
    assert api.get("/outcome-questions") == []
