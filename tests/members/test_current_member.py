"""The member behind a request is looked up once, whoever asks, and follows a change of user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from serendip.members.current import current_member, remember_member
from tests.factories import MemberFactory, UserFactory

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
