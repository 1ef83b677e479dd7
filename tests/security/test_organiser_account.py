"""An organiser made with ``createsuperuser`` (as docs/deploy.md says) signs in with their email
and becomes a member by being imported, without a second account."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from serendip.members.imports import import_members
from serendip.members.models import Member
from tests.members.test_import_members import csv

pytestmark = pytest.mark.django_db

PASSWORD = "a long organiser passphrase"


def organiser(username: str, email: str = "Org@Club.example.org") -> Any:
    """An organiser as ``serendip createsuperuser`` makes one: any username, an email."""
    call_command("createsuperuser", interactive=False, username=username, email=email)
    user = get_user_model().objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def signs_in(login: str, password: str = PASSWORD) -> bool:
    client = Client()
    client.post("/accounts/login/", {"username": login, "password": password})
    return "_auth_user_id" in client.session


def test_an_organiser_with_another_username_signs_in_with_their_email_in_any_case() -> None:
    organiser("org")
    assert signs_in("org@club.example.org")
    assert signs_in("  ORG@club.example.org ")
    assert signs_in("org")  # the username createsuperuser asked for works too
    assert not signs_in("org@club.example.org", "not the passphrase")
    assert not signs_in("someone@club.example.org")


def test_two_accounts_sharing_an_email_sign_in_only_by_the_right_password() -> None:
    first = organiser("org")
    get_user_model().objects.create_user(
        username="org-old", email="org@club.example.org", password="the other passphrase"
    )
    client = Client()
    client.post("/accounts/login/", {"username": "org@club.example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(first.pk)
    assert signs_in("org@club.example.org", "the other passphrase")


@pytest.mark.parametrize("username", ["org", "org@club.example.org"])
def test_importing_the_organiser_makes_their_account_a_member_not_a_second_one(
    username: str,
) -> None:
    user = organiser(username, email="org@club.example.org")
    result = import_members(
        csv(
            "org@club.example.org,Olga,Organa,fr,Club,,staff,,,",
            "ada@acme.fr,Ada,Lovelace,fr,Acme,c-level,boss,,,",
        )
    )
    assert (result.created, result.updated) == (2, 0)
    accounts = get_user_model().objects.filter(email__iexact="org@club.example.org")
    assert list(accounts) == [user]
    member = Member.objects.get(email="org@club.example.org")
    assert member.user == user
    user.refresh_from_db()
    # Still the organiser, with their password; the new member has none until they choose one.
    assert user.is_staff and user.is_superuser and user.check_password(PASSWORD)
    assert not Member.objects.get(email="ada@acme.fr").user.has_usable_password()
    assert signs_in("org@club.example.org")
    client = Client()
    client.force_login(user)
    assert client.get("/profile/").status_code == 200


def test_a_session_signed_in_before_the_email_sign_in_came_stays_signed_in() -> None:
    # A session remembers the backend that signed it in: those of the morning of an upgrade
    # named Django's ModelBackend, and must not all be signed out by it.
    user = organiser("org")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/organise/").status_code == 200
    # A sign-in now is this site's own, and a wrong password is still a failure.
    assert signs_in("org@club.example.org")
    assert not signs_in("org", "wrong")
