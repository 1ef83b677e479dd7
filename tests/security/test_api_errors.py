"""An unexpected error in the API answers a bare JSON 500, never a debug page or traceback."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings

from serendip.api import network
from serendip.members.services import create_api_token
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def api_client() -> Client:
    token = create_api_token(MemberFactory(), name="t")
    return Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False)


@override_settings(DEBUG=True)
def test_an_unexpected_error_is_a_bare_json_500_even_with_debug_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(member: object) -> list[object]:
        raise RuntimeError("row of another member: eve@example.org, +33 6 12 34 56 78")

    monkeypatch.setattr(network, "visible_asks", broken)
    with caplog.at_level(logging.ERROR, logger="serendip"):
        response = api_client().get("/api/asks")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Server error"}
    assert b"eve@example.org" not in response.content
    # The organisers' log keeps the whole story.
    assert "eve@example.org" in caplog.text and "Traceback" in caplog.text


@override_settings(DEBUG=True)
def test_a_refusal_raised_by_django_keeps_its_status(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(member: object) -> list[object]:
        raise PermissionDenied("no")

    monkeypatch.setattr(network, "visible_asks", refused)
    response = api_client().get("/api/asks")
    assert (response.status_code, response.json()) == (403, {"detail": "Forbidden"})
