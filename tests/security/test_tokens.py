"""Personal API tokens: they expire, their owner sees and revokes them, nobody else can."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from serendip.members.models import ApiToken
from serendip.members.services import create_api_token
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2027, 3, 10, 12, 0, tzinfo=dt.UTC)


def _api_me(token: str) -> int:
    return Client().get("/api/members/me", headers={"Authorization": f"Bearer {token}"}).status_code


def _signed_in(member: object) -> Client:
    client = Client()
    assert client.login(username=member.user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


def test_an_expired_token_authenticates_nobody() -> None:
    member = MemberFactory()
    with time_machine.travel(NOON, tick=False):
        token = create_api_token(member, name="laptop", expires_in_days=30)
        assert _api_me(token) == 200
    with time_machine.travel(NOON + dt.timedelta(days=30, seconds=-1), tick=False):
        assert _api_me(token) == 200
    with time_machine.travel(NOON + dt.timedelta(days=30), tick=False):
        assert _api_me(token) == 401
    with time_machine.travel(NOON + dt.timedelta(days=400), tick=False):
        assert _api_me(token) == 401


def test_a_used_token_records_when_and_a_revoked_one_gets_401() -> None:
    member = MemberFactory()
    with time_machine.travel(NOON, tick=False):
        token = create_api_token(member, name="laptop")
        assert ApiToken.objects.get().last_used is None
        assert _api_me(token) == 200
    stored = ApiToken.objects.get()
    assert stored.last_used == NOON and stored.expires is None
    client = _signed_in(member)
    answer = client.post(reverse("token-revoke", args=[stored.pk]))
    assert answer.status_code == 302
    assert not ApiToken.objects.exists()
    assert _api_me(token) == 401


def test_the_token_page_lists_mine_without_secrets_and_shows_a_new_secret_once() -> None:
    member = MemberFactory()
    old = create_api_token(member, name="old laptop")
    other = create_api_token(MemberFactory(), name="someone else's phone")
    client = _signed_in(member)
    page = client.get(reverse("tokens")).content.decode()
    assert "old laptop" in page and old not in page
    assert "someone else" not in page and other not in page
    created = client.post(reverse("tokens"), {"name": "ci", "expires_in_days": "90"})
    assert created.status_code == 200
    token = ApiToken.objects.get(member=member, name="ci")
    secret = created.content.decode().split('<code id="new-token">')[1].split("</code>")[0]
    assert secret.startswith("sdp_") and _api_me(secret) == 200
    assert token.expires is not None
    assert dt.timedelta(days=89) < token.expires - token.created <= dt.timedelta(days=90)
    again = client.get(reverse("tokens")).content.decode()
    assert "ci" in again and secret not in again


def test_a_member_cannot_revoke_another_members_token() -> None:
    owner, intruder = MemberFactory(), MemberFactory()
    token = create_api_token(owner, name="laptop")
    stored = ApiToken.objects.get()
    answer = _signed_in(intruder).post(reverse("token-revoke", args=[stored.pk]))
    assert answer.status_code == 404
    assert ApiToken.objects.filter(pk=stored.pk).exists() and _api_me(token) == 200
    # Revoking needs a POST, and a visitor who is not signed in is sent to sign in.
    assert _signed_in(owner).get(reverse("token-revoke", args=[stored.pk])).status_code == 405
    anonymous = Client().post(reverse("token-revoke", args=[stored.pk]))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert ApiToken.objects.filter(pk=stored.pk).exists()


def test_the_command_creates_expiring_tokens_lists_and_revokes_them() -> None:
    member = MemberFactory()
    out = io.StringIO()
    with time_machine.travel(NOON, tick=False):
        call_command(
            "apitoken", member.email, "--name", "cron", "--expires-in-days", "7", stdout=out
        )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get(member=member)
    assert token.name == "cron" and token.expires == NOON + dt.timedelta(days=7)
    listing = io.StringIO()
    call_command("apitoken", member.email, "--list", stdout=listing)
    assert "cron" in listing.getvalue() and secret not in listing.getvalue()
    assert "2027-03-17" in listing.getvalue()
    with pytest.raises(CommandError):
        call_command("apitoken", member.email, "--expires-in-days", "0")
    with pytest.raises(CommandError):
        call_command("apitoken", MemberFactory().email, "--revoke", str(token.pk))
    call_command("apitoken", member.email, "--revoke", str(token.pk), stdout=io.StringIO())
    assert not ApiToken.objects.exists()
