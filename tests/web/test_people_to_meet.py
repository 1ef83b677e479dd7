"""People to meet: the page, its actions, the API endpoint and the command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from serendip.members.models import HiddenRecommendation, Member
from serendip.members.services import connect
from serendip.programme.models import Wish
from tests.factories import PASSWORD, EventFactory, MemberFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def signed_in(member: Member) -> Client:
    client = Client()
    assert client.login(username=member.user.username, password=PASSWORD)
    return client


@pytest.fixture
def club() -> dict[str, Member]:
    return {
        "ana": MemberFactory(
            first_name="Ana", needs=["penetration testing partner"], offers=["data governance"],
            keywords=["cybersecurity"], language="en",
        ),
        "bob": MemberFactory(
            first_name="Bob", offers=["penetration testing audits"], needs=["data governance"],
            keywords=["cybersecurity"], seniority="intern", job_title="Intern",
        ),
        "cyd": MemberFactory(
            first_name="Cyd", offers=["catering"], needs=["wine"], keywords=["gastronomy"]
        ),
    }  # fmt: skip


def test_the_page_proposes_strangers_with_a_reason_and_icebreakers(club: dict[str, Member]) -> None:
    page = signed_in(club["ana"]).get("/people/").content.decode()
    assert club["bob"].full_name in page
    assert "is looking for “data governance”; you offer “data governance”." in page
    assert "How did you get started with cybersecurity?" in page
    assert club["cyd"].full_name not in page  # nothing in common
    connect(club["ana"], club["bob"])
    assert club["bob"].full_name not in signed_in(club["ana"]).get("/people/").content.decode()


def test_an_empty_profile_is_told_what_to_add() -> None:
    member = MemberFactory(keywords=[], offers=[], needs=[])
    page = signed_in(member).get("/people/").content.decode()
    assert "Complete your profile to get recommendations." in page
    assert "what you are looking for" in page


def test_i_would_like_to_meet_becomes_a_wish_for_the_next_common_event(
    club: dict[str, Member],
) -> None:
    soon = EventFactory(start=timezone.now() + dt.timedelta(days=10))
    later = EventFactory(start=timezone.now() + dt.timedelta(days=40))
    for event in (soon, later):
        RegistrationFactory(event=event, member=club["ana"])
        RegistrationFactory(event=event, member=club["bob"])
    client = signed_in(club["ana"])
    response = client.post(f"/people/{club['bob'].pk}/", {"action": "meet"}, follow=True)
    assert f"at {soon.name}" in response.content.decode()
    assert Wish.objects.get().event == soon


def test_not_now_hides_a_person_for_ninety_days(club: dict[str, Member]) -> None:
    client = signed_in(club["ana"])
    client.post(f"/people/{club['bob'].pk}/", {"action": "later"})
    hidden = HiddenRecommendation.objects.get()
    assert dt.timedelta(days=89) < hidden.until - timezone.now() <= dt.timedelta(days=90)
    card = f'<h2><a href="/members/{club["bob"].pk}/">'
    assert card not in client.get("/people/").content.decode()
    hidden.until = timezone.now() - dt.timedelta(seconds=1)
    hidden.save()
    assert card in client.get("/people/").content.decode()


def test_the_api_lists_recommendations_and_refuses_a_thin_profile(club: dict[str, Member]) -> None:
    found = signed_in(club["ana"]).get("/api/members/me/recommendations").json()
    assert found[0]["member"]["id"] == club["bob"].pk
    assert found[0]["reason"] and found[0]["icebreakers"]
    assert "seniority" not in found[0]["member"]
    thin = MemberFactory(keywords=[], offers=[], needs=[])
    refused = signed_in(thin).get("/api/members/me/recommendations")
    assert refused.status_code == 422
    assert "complete your profile" in refused.json()["detail"]


def test_the_command_prints_the_list_and_exits_2_for_an_unknown_member(
    club: dict[str, Member],
) -> None:
    out = StringIO()
    call_command("recommend", club["ana"].email, "--top", "3", stdout=out)
    assert f" 1. {club['bob'].full_name}" in out.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("recommend", "nobody@example.org", stdout=StringIO())
    assert refused.value.returncode == 2


def test_affinity_scores_pairs_for_the_planners_and_skips_colleagues(
    club: dict[str, Member],
) -> None:
    from serendip.members.recommendations import affinity

    scores = affinity([club["ana"]], [club["bob"], club["cyd"]])
    assert set(scores) == {(club["ana"].pk, club["bob"].pk)}
    assert 0 < scores[(club["ana"].pk, club["bob"].pk)] <= 1.5  # 1 + the shared-topic half
    club["bob"].organisation = club["ana"].organisation
    club["bob"].save()
    assert affinity([club["ana"]], [club["bob"]]) == {}
