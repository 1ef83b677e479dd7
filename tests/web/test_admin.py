"""The organisers' back office: every list, search and add form works."""

from __future__ import annotations

import pytest
from django.test import Client

from serendip.members.models import Connection, Member
from tests.factories import PASSWORD, MemberFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser() -> Client:
    staff = MemberFactory(user__is_staff=True, user__is_superuser=True)
    client = Client()
    client.login(username=staff.user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "members/member",
        "members/organisation",
        "members/connection",
        "events/event",
        "events/registration",
        "members/apitoken",
    ],
)
def test_every_list_and_its_search_work(organiser: Client, model: str) -> None:
    RegistrationFactory(side="sponsor", guaranteed_meetings=20)
    assert organiser.get(f"/admin/{model}/").status_code == 200
    assert organiser.get(f"/admin/{model}/", {"q": "First"}).status_code == 200


def test_an_organiser_adds_a_member_and_their_account_is_created(organiser: Client) -> None:
    response = organiser.post(
        "/admin/members/member/add/",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "Ada@Example.org",
            "language": "fr",
            "side": "boss",
            "keywords": "[]",
            "offers": "[]",
            "needs": "[]",
            "contact_visibility": "connections",
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ada = Member.objects.get(email="ada@example.org")
    assert ada.user.username == "ada@example.org" and not ada.user.has_usable_password()


def test_a_connection_typed_in_either_order_is_stored_once(organiser: Client) -> None:
    a, b = sorted([MemberFactory(), MemberFactory()], key=lambda m: m.pk)
    form = {"member_a": b.pk, "member_b": a.pk, "how": "met_at_event"}
    assert organiser.post("/admin/members/connection/add/", form).status_code == 302
    stored = Connection.objects.get()
    assert (stored.member_a, stored.member_b) == (a, b)


def test_members_are_kept_out_of_the_back_office() -> None:
    member = MemberFactory()
    client = Client()
    client.login(username=member.user.username, password=PASSWORD)
    assert client.get("/admin/members/member/").status_code == 302
