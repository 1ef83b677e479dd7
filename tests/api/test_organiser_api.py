"""The organisers' operations beyond planning: organisations, pair rules removed, clearing a plan,
the day-before letters, a registrations CSV, meals changed and deleted; each one as an app would
call it (tokens only), with its refusals and who may not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from serendip.events.models import ActivityLog, Registration
from serendip.meals.models import Meal
from serendip.meals.services import plan_meal
from serendip.members.models import Organisation
from serendip.programme.models import Meeting, PairRule
from tests.api.test_seminar_api import Api, _at
from tests.factories import MemberFactory
from tests.programme.seminar import Seminar, build_seminar

pytestmark = pytest.mark.django_db

# 09:00 in Paris on a Tuesday far from any real date; the organisers work the day before.
START = dt.datetime(2031, 3, 11, 8, 0, tzinfo=dt.UTC)
EVE = START - dt.timedelta(days=1)


@pytest.fixture
def seminar() -> Seminar:
    with _at(EVE):
        return build_seminar(bosses=3, sponsors=2, rounds=2, tables=2, start=START)


@pytest.fixture
def desk(seminar: Seminar) -> Api:
    """The event's organiser, with a token."""
    organiser = MemberFactory(user__is_staff=True)
    seminar.event.organisers.add(organiser.user)
    return Api(organiser)


def _logged(seminar: Seminar, action: str) -> list[ActivityLog]:
    return list(ActivityLog.objects.filter(event=seminar.event, action=action))


def _meeting(seminar: Seminar, number: int = 1, table: int = 1, pair: int = 0) -> Meeting:
    return Meeting.objects.create(
        event=seminar.event,
        round=seminar.event.rounds.get(number=number),
        table=table,
        boss=seminar.bosses[pair],
        sponsor=seminar.sponsors[pair],
    )


def test_an_organisation_is_added_by_organisers_once_whatever_its_case() -> None:
    desk = Api(MemberFactory(user__is_staff=True))
    made = desk.send("post", "/organisations", {"name": "Acme Cloud", "city": "Lyon"}, status=201)
    assert Organisation.objects.get(pk=made["id"]).city == "Lyon"
    again = desk.send("post", "/organisations", {"name": "ACME cloud"}, status=422)
    assert "name" in again["detail"].lower()
    bad = desk.send("post", "/organisations", {"name": "Web", "website": "not a url"}, status=422)
    assert "website" in bad["detail"]
    Api(MemberFactory()).send("post", "/organisations", {"name": "Mine"}, status=403)
    assert Organisation.objects.filter(name__in=["Web", "Mine"]).count() == 0


def test_a_pair_rule_is_removed_by_the_events_organisers_only(seminar: Seminar, desk: Api) -> None:
    slug = seminar.event.slug
    body = {"boss_id": seminar.bosses[0].pk, "sponsor_id": seminar.sponsors[0].pk, "rule": "forbid"}
    with _at(EVE):
        rule = desk.send("put", f"/events/{slug}/pair-rules", body)
        # Another organiser of the club (not of this event) and an attendee may not.
        Api(MemberFactory(user__is_staff=True)).send(
            "delete", f"/events/{slug}/pair-rules/{rule['id']}", status=403
        )
        Api(seminar.bosses[0]).send("delete", f"/events/{slug}/pair-rules/{rule['id']}", status=403)
        assert PairRule.objects.filter(pk=rule["id"]).exists()
        desk.send("delete", f"/events/{slug}/pair-rules/{rule['id']}", status=204)
        assert not PairRule.objects.filter(pk=rule["id"]).exists()
        assert desk.get(f"/events/{slug}/pair-rules") == []
        desk.send("delete", f"/events/{slug}/pair-rules/{rule['id']}", status=404)
    (line,) = _logged(seminar, "pair rule removed")
    assert line.params["rule"] == "forbid"


def test_a_plan_is_cleared_before_its_first_round_and_attendees_are_told(
    seminar: Seminar, desk: Api, django_capture_on_commit_callbacks: Any
) -> None:
    slug = seminar.event.slug
    with _at(EVE):
        _meeting(seminar, 1)
        _meeting(seminar, 2, table=2, pair=1)
        seminar.event.published = EVE
        seminar.event.save(update_fields=["published"])
        Api(seminar.bosses[0]).send("delete", f"/events/{slug}/meetings", status=403)
        assert seminar.event.meetings.count() == 2
        with django_capture_on_commit_callbacks(execute=True):
            answer = desk.send("delete", f"/events/{slug}/meetings")
        assert answer == {"cleared": 2}
        assert not seminar.event.meetings.exists()
        told = {address for message in mail.outbox for address in message.to}
        assert told == {m.email for m in seminar.bosses[:2] + seminar.sponsors[:2]}
    assert _logged(seminar, "clear plan")[0].params == {"meetings": 2}
    # Once the first round has started, the plan is history.
    with _at(START + dt.timedelta(minutes=1)):
        _meeting(seminar, 2)
        refused = desk.send("delete", f"/events/{slug}/meetings", status=409)
        assert "round 1" in refused["detail"]
        assert seminar.event.meetings.count() == 1


def test_day_before_letters_go_once_the_programme_is_published(seminar: Seminar, desk: Api) -> None:
    slug = seminar.event.slug
    with _at(EVE):
        _meeting(seminar, 1)
        refused = desk.send("post", f"/events/{slug}/letters", status=409)
        assert "Publish" in refused["detail"]
        assert not mail.outbox
        desk.send("post", f"/events/{slug}/publish")
        mail.outbox.clear()
        Api(seminar.sponsors[0]).send("post", f"/events/{slug}/letters", status=403)
        assert not mail.outbox
        assert desk.send("post", f"/events/{slug}/letters") == {"queued": 2}
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [seminar.bosses[0].email, seminar.sponsors[0].email]
    )
    assert _logged(seminar, "letters")[0].params == {"sent": 2}


def test_a_registrations_csv_is_imported_all_or_nothing(seminar: Seminar, desk: Api) -> None:
    slug = seminar.event.slug
    newcomer, sponsor = MemberFactory(side="boss"), seminar.sponsors[0]
    good = (
        "email,side,status,guaranteed_meetings\n"
        f"{newcomer.email},boss,confirmed,\n"
        f"{sponsor.email},sponsor,confirmed,1\n"
    )
    bad = good + "nobody@example.org,boss,,\n" + f"{newcomer.email},chef,,\n"
    with _at(EVE):
        refused = desk.send(
            "post", f"/events/{slug}/registrations/import", {"csv": bad}, status=422
        )
        fields = {(e["field"], e["message"]) for e in refused["errors"]}
        assert ("line 4, column email", "no member with the email 'nobody@example.org'") in fields
        assert any(f == "line 5, column side" for f, _m in fields)
        assert not Registration.objects.filter(member=newcomer).exists()
        Api(MemberFactory(user__is_staff=True)).send(
            "post", f"/events/{slug}/registrations/import", {"csv": good}, status=403
        )
        answer = desk.send("post", f"/events/{slug}/registrations/import", {"csv": good})
    assert answer == {"created": 1, "updated": 1}
    assert seminar.registration(newcomer).status == "confirmed"
    assert seminar.registration(sponsor).guaranteed_meetings == 1
    assert _logged(seminar, "import")[0].params == {"created": 1, "updated": 1}


def test_a_meal_is_changed_or_deleted_until_it_is_seated_and_under_way(
    seminar: Seminar, desk: Api
) -> None:
    slug = seminar.event.slug
    lunch_at = START + dt.timedelta(hours=4)
    with _at(EVE):
        lunch = Meal.objects.create(
            event=seminar.event, name="Lunch", start=lunch_at, tables=[3, 3]
        )
        body = {"name": "Long lunch", "start": lunch_at.isoformat(), "tables": [3, 3]}
        Api(seminar.bosses[0]).send("put", f"/events/{slug}/meals/{lunch.pk}", body, status=403)
        changed = desk.send("put", f"/events/{slug}/meals/{lunch.pk}", body)
        assert (changed["name"], changed["seating_cleared"]) == ("Long lunch", False)
        # Fewer seats than people expected: the organisers' form refuses it here too.
        too_small = {**body, "tables": [2]}
        desk.send("put", f"/events/{slug}/meals/{lunch.pk}", too_small, status=422)
        plan_meal(lunch, actor=None, time_limit=1.0)
        reseated = desk.send("put", f"/events/{slug}/meals/{lunch.pk}", {**body, "tables": [6]})
        assert reseated["seating_cleared"] and not reseated["seated"]
        assert Meal.objects.get(pk=lunch.pk).tables == [6]
        plan_meal(lunch, actor=None, time_limit=1.0)
    with _at(lunch_at + dt.timedelta(minutes=5)):
        desk.send("put", f"/events/{slug}/meals/{lunch.pk}", body, status=409)
        refused = desk.send("delete", f"/events/{slug}/meals/{lunch.pk}", status=409)
        assert "Long lunch" in refused["detail"]
    assert Meal.objects.filter(pk=lunch.pk).exists()
    with _at(EVE):
        dinner = Meal.objects.create(event=seminar.event, name="Dinner", start=lunch_at, tables=[6])
        Api(seminar.sponsors[0]).send("delete", f"/events/{slug}/meals/{dinner.pk}", status=403)
        desk.send("delete", f"/events/{slug}/meals/{dinner.pk}", status=204)
    assert not Meal.objects.filter(pk=dinner.pk).exists()
    assert [line.details for line in _logged(seminar, "meal removed")] == ["Dinner"]
