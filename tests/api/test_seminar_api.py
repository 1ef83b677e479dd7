"""A whole seminar through the API with tokens only, set-up to bulletin, as an app would."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client

from serendip.events.models import ActivityLog, Registration
from serendip.members.models import Member
from serendip.members.services import are_connected, create_api_token
from serendip.programme.models import Meeting, PairRule
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

# 09:00 in Paris on a Tuesday far from any real date: rounds at 9:00, 9:10, 9:20, 9:30.
START = dt.datetime(2031, 3, 11, 8, 0, tzinfo=dt.UTC)
EVE = START - dt.timedelta(days=1)


class Api:
    """A client that sends a bearer token with every request and never holds a session."""

    def __init__(self, member: Member) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {create_api_token(member, name='app')}"}

    def get(self, path: str, status: int = 200, **query: Any) -> Any:
        answer = self.client.get(f"/api{path}", query, headers=self.headers)
        assert answer.status_code == status, (path, answer.status_code, answer.content[:500])
        assert not self.client.cookies.get("sessionid"), "a token never opens a session"
        return answer.json() if answer.content else None

    def send(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        answer = getattr(self.client, method)(
            f"/api{path}",
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )
        assert answer.status_code == status, (path, answer.status_code, answer.content[:500])
        return answer.json() if answer.content else None


def _at(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def test_a_seminar_from_set_up_to_bulletin_with_tokens_only() -> None:
    organiser = MemberFactory(user__is_staff=True)
    bosses = [MemberFactory(side="boss", keywords=["cloud"]) for _ in range(4)]
    sponsors = [MemberFactory(side="sponsor", offers=["cloud audit"]) for _ in range(2)]
    desk = Api(organiser)
    with _at(EVE - dt.timedelta(days=30)):
        # The organiser creates the event, registers the people, sets the programme up.
        desk.send(
            "post",
            "/events",
            {
                "slug": "spring",
                "name": "Spring seminar",
                "start": START.isoformat(),
                "end": (START + dt.timedelta(hours=8)).isoformat(),
            },
            status=201,
        )
        registrations = {}
        for boss in bosses:
            body = {"member_id": boss.pk, "side": "boss", "status": "confirmed"}
            made = desk.send("post", "/events/spring/registrations", body, status=201)
            registrations[boss.pk] = made["id"]
        # The sponsors come as a CSV file, as from the club's spreadsheet (all or nothing).
        rows = "".join(f"{sponsor.email},sponsor,confirmed,2\n" for sponsor in sponsors)
        csv = "email,side,status,guaranteed_meetings\n" + rows
        imported = desk.send("post", "/events/spring/registrations/import", {"csv": csv})
        assert imported == {"created": len(sponsors), "updated": 0}
        for made in desk.get("/events/spring/registrations")["items"]:
            registrations[made["member_id"]] = made["id"]
        assert set(registrations) == {m.pk for m in bosses + sponsors}
        setup = {
            "tables": 2,
            "boss_min_meetings": 1,
            "days": ["2031-03-11"],
            "session_starts": ["09:00"],
            "rounds_per_session": 4,
            "minutes": 7,
            "changeover": 3,
            "preferences_deadline": (EVE - dt.timedelta(days=2)).isoformat(),
        }
        rounds = desk.send("put", "/events/spring/setup", setup)["rounds"]
        assert [r["number"] for r in rounds] == [1, 2, 3, 4]
        assert rounds[0]["start"].startswith("2031-03-11T08:00")
        # The set-up's rules are the organiser's page's: a minimum above the rounds is refused.
        bad = desk.client.put(
            "/api/events/spring/setup",
            json.dumps({**setup, "boss_min_meetings": 9}),
            content_type="application/json",
            headers=desk.headers,
        )
        assert bad.status_code == 422 and "boss_min_meetings" in bad.json()["detail"]
        # Attendees mark whom they want to meet; members who are not attendees cannot.
        first_boss = Api(bosses[0])
        marks = first_boss.get("/events/spring/preferences")
        assert {p["member"]["id"] for p in marks["preferences"]} == {s.pk for s in sponsors}
        chosen = {"choices": [{"member_id": sponsors[0].pk, "choice": "must"}]}
        saved = first_boss.send("put", "/events/spring/preferences", chosen)
        assert {p["member"]["id"]: p["choice"] for p in saved["preferences"]}[
            sponsors[0].pk
        ] == "must"
        wrong = {"choices": [{"member_id": bosses[1].pk, "choice": "must"}]}
        first_boss.send("put", "/events/spring/preferences", wrong, status=422)
        Api(MemberFactory()).get("/events/spring/preferences", status=404)
        # A pair the organisers forbid.
        rule = {"boss_id": bosses[3].pk, "sponsor_id": sponsors[1].pk, "rule": "forbid"}
        assert desk.send("put", "/events/spring/pair-rules", rule)["rule"] == "forbid"
        assert len(desk.get("/events/spring/pair-rules")) == 1
        Api(bosses[1]).send("put", "/events/spring/pair-rules", rule, status=403)
    with _at(EVE - dt.timedelta(days=1)):
        # After the deadline, preferences are closed.
        first_boss.send("put", "/events/spring/preferences", chosen, status=409)
    with _at(EVE):
        # The eve: plan, poll the run, read the plan, publish.
        run = desk.send("post", "/events/spring/planning-runs", status=202)
        while not run["done"]:
            run = desk.get(f"/events/spring/planning-runs/{run['id']}")
        assert run["status"] == "done", run
        assert run["meetings"] and run["meetings"] > 0
        plan = desk.get("/events/spring/meetings")
        assert len(plan) == run["meetings"]
        assert not [
            m
            for m in plan
            if (m["boss"]["id"], m["sponsor"]["id"]) == (bosses[3].pk, sponsors[1].pk)
        ]
        assert any(
            (m["boss"]["id"], m["sponsor"]["id"]) == (bosses[0].pk, sponsors[0].pk) for m in plan
        )
        # Before publication attendees see an empty agenda that says so.
        unpublished = first_boss.get("/events/spring/agenda")
        assert unpublished == {"event": "spring", "published": False, "meetings": [], "meals": []}
        # A hand edit the planner refuses comes back as a structured refusal.
        taken = plan[0]
        clash = {
            "round": taken["round"],
            "table": taken["table"],
            "boss_id": taken["boss"]["id"],
            "sponsor_id": taken["sponsor"]["id"],
        }
        refusal = desk.send("post", "/events/spring/meetings", clash, status=409)
        assert refusal["rule"] and refusal["detail"]
        assert refusal["round"] == taken["round"] and refusal["table"] == taken["table"]
        assert set(refusal["people"]) & {taken["boss"]["id"], taken["sponsor"]["id"]}
        published = desk.send("post", "/events/spring/publish")
        assert published["meetings"] == len(plan)
        # The day-before letters, to everyone with a meeting.
        people = {m["boss"]["id"] for m in plan} | {m["sponsor"]["id"] for m in plan}
        assert desk.send("post", "/events/spring/letters") == {"queued": len(people)}
    boss = bosses[0]
    theirs = [m for m in plan if m["boss"]["id"] == boss.pk]
    first_round = min(m["round"] for m in theirs)
    with _at(START + dt.timedelta(minutes=10 * (first_round - 1) + 2)):
        # The day: the boss's agenda, now/next; the desk checks people in.
        agenda = first_boss.get("/events/spring/agenda")
        assert agenda["published"] and len(agenda["meetings"]) == len(theirs)
        now = first_boss.get("/events/spring/now")
        assert [m["round"] for m in now["now"]] == [first_round]
        for member_id, registration_id in registrations.items():
            status = "no_show" if member_id == bosses[2].pk else "checked_in"
            answer = desk.send(
                "post",
                f"/events/spring/registrations/{registration_id}/attendance",
                {"status": status},
            )
            assert answer["status"] == status
        # An attendee cannot record attendance.
        first_boss.send(
            "post",
            f"/events/spring/registrations/{registrations[bosses[1].pk]}/attendance",
            {"status": "no_show"},
            status=403,
        )
        # The no-show's meetings ahead are freed; re-plan from the next round: a planning run
        # (run at once here), read again as any run.
        replanned = desk.send("post", "/events/spring/replan", {}, status=202)
        assert replanned["status"] == "done" and replanned["done"], replanned["error"]
        assert replanned["from_round"] == first_round + 1
        assert replanned["moved"] is not None and replanned["people_told"] is not None
        read = desk.get(f"/events/spring/planning-runs/{replanned['id']}")
        assert read == replanned
        past = desk.send("post", "/events/spring/replan", {"from_round": first_round}, status=409)
        assert str(first_round) in past["detail"]
        # Too early to rate a meeting that has not started.
        meeting_id = now["now"][0]["meeting_id"]
        early = {"colour": "green", "follow_up": True}
        later = first_boss.get("/events/spring/agenda")["meetings"]
        for upcoming in [m["meeting_id"] for m in later if m["state"] == "upcoming"][:1]:
            first_boss.send("put", f"/events/spring/meetings/{upcoming}/rating", early, status=409)
    meeting = Meeting.objects.get(pk=meeting_id)
    with _at(START + dt.timedelta(minutes=10 * (first_round - 1) + 8)):
        # The round has ended: both rate it green, with a follow-up; two greens connect them.
        given = first_boss.send(
            "put",
            f"/events/spring/meetings/{meeting_id}/rating",
            {"colour": "green", "note": "Talk again in May", "follow_up": True},
        )
        assert given == {
            "meeting_id": meeting_id,
            "colour": "green",
            "note": "Talk again in May",
            "follow_up": True,
        }
        sponsor = Api(meeting.sponsor)
        sponsor.send(
            "put",
            f"/events/spring/meetings/{meeting_id}/rating",
            {"colour": "green", "follow_up": True},
        )
        assert are_connected(meeting.boss, meeting.sponsor)
        # Someone else's meeting is not found, whatever the token.
        Api(bosses[1]).send(
            "put", f"/events/spring/meetings/{meeting_id}/rating", early, status=404
        )
        follow_ups = first_boss.get("/events/spring/follow-ups")
        assert [f["meeting_id"] for f in follow_ups] == [meeting_id]
        assert follow_ups[0]["they_asked"] and follow_ups[0]["contact"]["email"]
    with _at(START + dt.timedelta(hours=2)):
        # Lunch: the organisers add it, seat it, and read the seating.
        lunch = {
            "name": "Lunch",
            "start": (START + dt.timedelta(hours=3)).isoformat(),
            "tables": [4, 4],
            "rotations": 2,
        }
        meal = desk.send("post", "/events/spring/meals", lunch, status=201)
        # Seated in the background (at once here): the run answers, then reads the same.
        run = desk.send("post", f"/events/spring/meals/{meal['id']}/seating", status=202)
        assert run["status"] == "done" and run["done"] and run["progress"] == 100
        assert 0 < run["new_pairs"] <= run["new_pairs_bound"] and run["broken_rules"] is not None
        read = desk.get(f"/events/spring/meals/{meal['id']}/seating-runs/{run['id']}")
        assert read == run
        Api(boss).get(f"/events/spring/meals/{meal['id']}/seating-runs/{run['id']}", status=403)
        seating = desk.get(f"/events/spring/meals/{meal['id']}/seating")
        assert seating["meal"]["seated"] and len(seating["rotations"]) == 2
        seated = {p["id"] for table in seating["rotations"][0] for p in table}
        assert boss.pk in seated
        tables = first_boss.get("/events/spring/agenda")["meals"]
        assert [t["meal"] for t in tables] == ["Lunch", "Lunch"]
        Api(boss).get(f"/events/spring/meals/{meal['id']}/seating", status=403)
    with _at(START + dt.timedelta(hours=9)):
        # After the event: the sponsor fetches their own bulletin, not another's.
        bulletin = sponsor.get(f"/events/spring/bulletins/{meeting.sponsor_id}")
        line = next(x for x in bulletin["lines"] if x["meeting_id"] == meeting_id)
        assert line["colour"] == "green" and line["boss_follow_up"] and line["sponsor_follow_up"]
        assert line["contact"]["email"] == meeting.boss.email
        assert bulletin["held"] >= 1 and bulletin["follow_ups"] >= 1
        other = next(s for s in sponsors if s.pk != meeting.sponsor_id)
        sponsor.get(f"/events/spring/bulletins/{other.pk}", status=404)
        assert desk.get(f"/events/spring/bulletins/{other.pk}")["sponsor"]["id"] == other.pk
    # Every write went through the services: the activity log tells the day's story.
    actions = set(ActivityLog.objects.values_list("action", flat=True))
    assert {
        "rounds",
        "setup",
        "pair rule",
        "plan requested",
        "publish",
        "attendance",
        "replan",
        "meal",
        "meal plan requested",
        "meal plan",
    } <= actions, actions
    assert PairRule.objects.get().rule == "forbid"
    assert Registration.objects.get(pk=registrations[bosses[2].pk]).status == "no_show"


def test_hand_edits_place_and_remove_a_meeting_until_its_round_starts() -> None:
    organiser = MemberFactory(user__is_staff=True)
    desk = Api(organiser)
    boss, sponsor = MemberFactory(side="boss"), MemberFactory(side="sponsor")
    with _at(EVE - dt.timedelta(days=3)):
        desk.send(
            "post",
            "/events",
            {
                "slug": "hands",
                "name": "By hand",
                "start": START.isoformat(),
                "end": (START + dt.timedelta(hours=2)).isoformat(),
            },
            status=201,
        )
        for member, side in ((boss, "boss"), (sponsor, "sponsor")):
            body = {"member_id": member.pk, "side": side, "status": "confirmed"}
            desk.send("post", "/events/hands/registrations", body, status=201)
        desk.send(
            "put",
            "/events/hands/setup",
            {
                "tables": 1,
                "days": ["2031-03-11"],
                "session_starts": ["09:00"],
                "rounds_per_session": 2,
                "minutes": 7,
                "changeover": 3,
            },
        )
        place = {"round": 1, "table": 1, "boss_id": boss.pk, "sponsor_id": sponsor.pk}
        placed = desk.send("post", "/events/hands/meetings", place, status=201)
        assert placed["pinned"] and placed["state"] == "upcoming"
        # The same pair again in round 2: they already meet.
        again = desk.send("post", "/events/hands/meetings", {**place, "round": 2}, status=409)
        assert again["rule"] == "pair once"
        # The sides swapped: refused before the engine is asked.
        swapped = {**place, "boss_id": sponsor.pk, "sponsor_id": boss.pk, "round": 2}
        assert desk.send("post", "/events/hands/meetings", swapped, status=409)["rule"] == "side"
        Api(boss).send("post", "/events/hands/meetings", {**place, "round": 2}, status=403)
    with _at(START + dt.timedelta(minutes=1)):
        frozen = desk.send("delete", f"/events/hands/meetings/{placed['id']}", status=409)
        assert frozen["rule"] == "started"
        late = desk.send("post", "/events/hands/meetings", {**place, "round": 1}, status=409)
        assert late["rule"] == "started"
    with _at(EVE):
        desk.send("delete", f"/events/hands/meetings/{placed['id']}", status=204)
        assert not Meeting.objects.exists()


def test_operation_ids_are_unique_and_read_as_verbs() -> None:
    schema = Client().get("/api/openapi.json").json()
    ids = [op["operationId"] for methods in schema["paths"].values() for op in methods.values()]
    assert len(ids) == len(set(ids))
    assert {"listMyAgenda", "rateMeeting", "startPlanning", "getBulletin", "placeMeeting"} <= set(
        ids
    )
    refusal = schema["paths"]["/api/events/{slug}/meetings"]["post"]["responses"]["409"]
    assert "RefusalOut" in json.dumps(refusal)
