"""The mixer's refusals, broken rules and conflicts in the organiser's words and language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from serendip.engine_ids import person
from serendip.engines.mixer import Conflict, ProblemError, Violation
from serendip.meals import tasks
from serendip.meals.models import Meal
from serendip.meals.refusals import conflict_in_words, names_of, refusal_in_words
from serendip.meals.services import plan_meal
from tests.factories import MemberFactory, OrganisationFactory
from tests.programme.seminar import build_seminar

pytestmark = pytest.mark.django_db


def test_a_meal_no_seating_can_keep_its_rules_is_seated_and_says_why_by_name() -> None:
    # Nine attendees at three tables of three over five rotations: 45 pairs seated, but only
    # 36 pairs exist, so at least 9 meet twice (counting proves it).
    seminar = build_seminar()
    meal = Meal.objects.create(
        event=seminar.event,
        name="Dinner",
        start=seminar.event.start + dt.timedelta(hours=3),
        tables=[3, 3, 3],
        rotations=5,
    )
    stats = plan_meal(meal, actor=None, time_limit=1)
    assert meal.seats.exists() and stats.broken >= 9
    assert "at least 9 pairs twice" in stats.warnings[0]
    assert "proved by counting" in stats.warnings[0]
    everyone = {str(m) for m in seminar.bosses + seminar.sponsors}
    assert any(name in stats.warnings[1] for name in everyone)  # a broken rule, by name
    assert stats.warnings[-1].startswith("And ")
    with translation.override("fr"):
        french = plan_meal(meal, actor=None, time_limit=1)
    assert "au moins 9 paires" in french.warnings[0]


def test_too_many_attendees_or_colleagues_are_refused_with_the_figures() -> None:
    people = ProblemError("people", "9 people but only 4 seats", numbers=(9, 4))
    assert "9 attendees for 4 seats" in refusal_in_words(people, "Dinner")
    acme = OrganisationFactory(name="Acme")
    member = MemberFactory(organisation=acme)
    colleagues = ProblemError(
        "rules.separate_organizations",
        "'3' has 5 people but there are only 4 tables to keep colleagues apart",
        person=person(member.pk),
        numbers=(5, 4),
    )
    words = refusal_in_words(colleagues, "Dinner")
    assert "5 attendees from Acme" in words and "4 tables" in words
    with translation.override("fr"):
        assert "Acme" in refusal_in_words(colleagues, "Dinner")


def test_an_open_problem_is_not_called_a_proof() -> None:
    open_question = Conflict(
        "latin squares",
        "...",
        rules=("repeated pair",),
        numbers=(100, 10, 5, 3),
        proved=False,
    )
    words = conflict_in_words(open_question, {})
    assert "No seating is known" in words and "open question" in words and "proved" not in words
    proved = Conflict("latin squares", "...", numbers=(36, 6, 4, 2))
    assert "this is proved" in conflict_in_words(proved, {})


def test_names_come_from_the_members_and_hand_written_ids_stay() -> None:
    member = MemberFactory(first_name="Łucja", last_name="Dvořák")
    names = names_of([person(member.pk), "guest-7"])
    assert names == {person(member.pk): str(member), "guest-7": "guest-7"}
    violation = Violation("colleagues", "...", (person(member.pk), "guest-7"), 2, 3)
    assert violation.round == 2


def test_the_api_says_why_in_words_and_lists_the_broken_rules(monkeypatch) -> None:
    from tests.api.test_organiser_api import EVE, START
    from tests.api.test_seminar_api import Api, _at

    with _at(EVE):
        seminar = build_seminar(bosses=3, sponsors=2, rounds=2, tables=2, start=START)
        organiser = MemberFactory(user__is_staff=True)
        seminar.event.organisers.add(organiser.user)
        desk = Api(organiser)
        slug, start = seminar.event.slug, START + dt.timedelta(hours=4)
        # Five attendees, two seats: refused, with the figures.
        small = Meal.objects.create(event=seminar.event, name="Tea", start=start, tables=[2])
        # The run (at once in the tests) fails, saying why.
        refused = desk.send("post", f"/events/{slug}/meals/{small.pk}/seating", status=202)
        assert refused["status"] == "failed" and refused["done"]
        assert "5 attendees for 2 seats" in refused["error"]
        # No seating keeps every rule below: the mixer uses all its time, a second will do.
        monkeypatch.setattr(tasks, "SEATING_SECONDS", 1.0)
        # Tables of two over six rotations: 12 pairs seated, 10 exist; seated all the same.
        long = Meal.objects.create(
            event=seminar.event, name="Long", start=start, tables=[2, 2, 2], rotations=6
        )
        stats = desk.send("post", f"/events/{slug}/meals/{long.pk}/seating", status=202)
        assert stats["status"] == "done" and stats["new_pairs"] <= stats["new_pairs_bound"]
        assert stats["broken_rules"] >= 2 and "proved by counting" in stats["warnings"][0]
        assert Meal.objects.get(pk=long.pk).seats.exists()


def test_the_meals_page_says_why_a_seating_breaks_rules(client, monkeypatch) -> None:
    from django.urls import reverse

    from tests.factories import PASSWORD, UserFactory

    seminar = build_seminar(bosses=3, sponsors=2)
    user = UserFactory(is_staff=True)
    MemberFactory(user=user, side="staff", language="en")
    seminar.event.organisers.add(user)
    client.login(username=user.username, password=PASSWORD)
    small = Meal.objects.create(
        event=seminar.event, name="Tea", start=seminar.event.start, tables=[2]
    )
    long = Meal.objects.create(
        event=seminar.event, name="Long", start=seminar.event.start, tables=[2, 2, 2], rotations=6
    )
    monkeypatch.setattr(tasks, "SEATING_SECONDS", 1.0)
    url = reverse("organise-meals", args=[seminar.event.slug])
    page = client.post(url, {"plan": small.pk}, follow=True).content.decode()
    assert "5 attendees for 2 seats" in page
    page = client.post(url, {"plan": long.pk}, follow=True).content.decode()
    assert "proved by counting" in page and "share a table again" in page
