"""Guessing passwords is throttled on the site's sign-in and on the admin's alike."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGN_INS = ["/accounts/login/", "/admin/login/"]


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", SIGN_INS)
def test_the_right_password_is_refused_after_too_many_wrong_ones(url: str) -> None:
    user = UserFactory(is_staff=True)  # staff, so that the admin would let them in
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": user.username, "password": "a-wrong-guess"})
    right = client.post(url, {"username": user.username, "password": PASSWORD})
    assert right.status_code == 429
    assert not signed_in(client)
    page = right.content.decode()
    assert "Too many attempts" in page and 'href="/accounts/password_reset/"' in page
    # Another case of the same email is the same count.
    shouted = client.post(url, {"username": user.username.upper(), "password": PASSWORD})
    assert shouted.status_code == 429


def test_the_lockout_page_speaks_the_visitors_language() -> None:
    user = UserFactory()
    client = Client(headers={"Accept-Language": "fr"})
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    page = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert page.status_code == 429 and '<html lang="fr">' in page.content.decode()


def test_a_successful_sign_in_clears_the_count() -> None:
    member = MemberFactory()
    client = Client()
    for _round in range(3):  # 3 x (limit - 1) failures in all, never locked out
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post("/accounts/login/", {"username": member.user.username, "password": "typo"})
        ok = client.post(
            "/accounts/login/", {"username": member.user.username, "password": PASSWORD}
        )
        assert ok.status_code == 302 and signed_in(client)
        client.post("/accounts/logout/")


def test_one_visitors_guesses_do_not_lock_the_member_out_elsewhere() -> None:
    member = MemberFactory()
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": member.user.username, "password": "x"})
    owner = Client(REMOTE_ADDR="198.51.100.7")
    ok = owner.post("/accounts/login/", {"username": member.user.username, "password": PASSWORD})
    assert ok.status_code == 302 and signed_in(owner)
