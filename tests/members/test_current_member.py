"""The member behind a request is looked up once, whoever asks, and follows a change of user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from serendip.members.current import (
    NoMemberProfile,
    current_member,
    member_required,
    remember_member,
)
from tests.factories import EventFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_member_is_read_once_per_request(django_assert_num_queries) -> None:
    member = MemberFactory()
    request = RequestFactory().get("/")
    request.user = member.user
    with django_assert_num_queries(1):
        assert current_member(request) == member
        assert current_member(request) is current_member(request)
        assert current_member(request).organisation == member.organisation  # read with it


def test_no_member_for_a_visitor_or_an_account_without_a_profile(
    django_assert_num_queries,
) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert current_member(request) is None
    request.user = UserFactory()
    with django_assert_num_queries(1):
        assert current_member(request) is None
        assert current_member(request) is None


def test_signing_in_within_the_request_looks_the_member_up_again() -> None:
    before, after = MemberFactory(), MemberFactory()
    request = RequestFactory().get("/")
    request.user = before.user
    assert current_member(request) == before
    request.user = after.user
    assert current_member(request) == after


def test_a_token_names_its_member_without_a_second_look_up(django_assert_num_queries) -> None:
    member = MemberFactory()
    request = RequestFactory().get("/")
    request.user = member.user
    remember_member(request, member)
    with django_assert_num_queries(0):
        assert current_member(request) is member


# An account without a member profile (an organiser's, say) on a member's page or operation:
# one answer everywhere, a 403 that says why, in the reader's language on the web.
MEMBER_PAGES = [
    "/profile/",
    "/profile/tokens/",
    "/profile/account/",
    "/people/",
    "/network/asks/",
    "/network/ledger/",
    "/outcomes/",
    "/events/{slug}/preferences/",
    "/events/{slug}/tomorrow/",
    "/events/{slug}/agenda/",
    "/events/{slug}/now/",
]
MEMBER_OPERATIONS = [
    "/api/members/me",
    "/api/members/me/recommendations",
    "/api/contacts",
    "/api/tokens",
    "/api/outcomes",
    "/api/asks",
    "/api/events/{slug}/agenda",
]


@pytest.mark.parametrize("path", MEMBER_PAGES)
def test_a_page_tells_an_account_without_a_profile_why_it_is_refused(path: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(UserFactory(is_staff=True))
    response = client.get(path.format(slug=EventFactory().slug))
    assert response.status_code == 403
    page = response.content.decode()
    # An organiser's account (made with createsuperuser) is told how to mend it.
    assert "Votre compte n\u2019a pas de profil de membre" in page
    assert "importez-vous avec les membres (serendip import members)" in page


@pytest.mark.parametrize("path", MEMBER_OPERATIONS)
def test_an_operation_refuses_an_account_without_a_profile_with_a_403(path: str) -> None:
    client = Client()
    client.force_login(UserFactory(is_staff=False))
    response = client.get(path.format(slug=EventFactory().slug))
    assert response.status_code == 403
    assert response.json() == {"detail": "Your account has no member profile; ask an organiser."}
    client.force_login(UserFactory(is_staff=True))
    response = client.get(path.format(slug=EventFactory().slug))
    assert response.status_code == 403
    assert response.json()["detail"].startswith(
        "Your account has no member profile. To be a member of the club too, add yourself in "
        "the back office under Members"
    )


def test_member_required_gives_the_member_or_refuses() -> None:
    member = MemberFactory()
    request = RequestFactory().get("/")
    request.user = member.user
    assert member_required(request) == member
    request = RequestFactory().get("/")
    request.user = UserFactory()
    with pytest.raises(NoMemberProfile):
        member_required(request)


def test_the_menu_offers_a_members_own_pages_only_to_a_member() -> None:
    client = Client()
    client.force_login(UserFactory(is_staff=True))  # an organiser's account, no profile
    menu = client.get("/").content.decode().split("</nav>")[0]
    assert 'href="/organise/"' in menu
    assert not any(f'href="{page}"' in menu for page in ("/people/", "/network/", "/profile/"))
    client.force_login(MemberFactory().user)
    menu = client.get("/").content.decode().split("</nav>")[0]
    assert all(f'href="{page}"' in menu for page in ("/people/", "/network/", "/profile/"))
