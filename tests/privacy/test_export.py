"""Download all my data: the member's own data, as JSON and as a readable archive."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from serendip.members.privacy import SECTIONS, export_member
from tests.factories import PASSWORD
from tests.privacy.history import build_history

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_members_own_data_and_not_what_others_think_of_them() -> None:
    history = build_history()
    data = export_member(history.boss)

    assert set(SECTIONS) <= set(data)
    assert data["profile"]["last_name"] == "Lovelace"
    assert data["profile"]["bio"] == "Analytical engines."
    assert data["organisation"]["name"] == history.boss.organisation.name
    assert [c["with"]["name"] for c in data["connections"]] == ["Grace Hopper"]
    assert {r["event"]["slug"] for r in data["registrations"]} == {
        history.event.slug,
        history.upcoming.slug,
    }
    assert len(data["meetings"]) == 2
    first = data["meetings"][0]
    assert (first["round"], first["table"], first["with"]["id"]) == (1, 1, history.sponsor.pk)
    assert [r["private_note"] for r in data["ratings_given"]] == ["Ada's private memo"]
    assert data["ledger"][0]["what"] == "an introduction"
    assert [t["thank_you"] for t in data["thank_yous_received"]] == ["Thank you Ada!"]
    assert [n["text"] for n in data["contact_notes"]] == ["Ada's note about Grace"]
    assert [k["every_days"] for k in data["keep_in_touch"]] == [30]
    assert data["asks"][0]["topic"] == "Ada's question"
    assert data["offers"][0]["title"] == "Ada's offer"
    assert data["introductions"][0]["my_role"] == "seeker"
    assert data["wishes"][0]["wanted"]["id"] == history.other_boss.pk
    assert data["api_tokens"] == [
        {"name": "my laptop", "created": data["api_tokens"][0]["created"], "last_used": None}
    ]
    text = json.dumps(data)
    # Others' private judgements and notes about Ada are theirs, and the token is never shown.
    assert "Sponsor's memo about Ada" not in text
    assert "orange" not in text
    assert "Grace's note about Ada" not in text
    assert history.token not in text


def _signed_in(history_member_email: str) -> Client:
    client = Client()
    assert client.login(username=history_member_email, password=PASSWORD)
    return client


def test_a_member_downloads_their_data_as_json_and_as_an_archive() -> None:
    history = build_history()
    client = _signed_in(history.boss.user.username)
    page = client.get("/profile/account/")
    assert page.status_code == 200
    assert b"/profile/account/export/" in page.content
    assert b"/profile/account/" in client.get("/profile/").content

    # Downloads are POSTs (a page cannot trigger them with an image tag), never cached.
    assert client.get("/profile/account/export/").status_code == 405
    response = client.post("/profile/account/export/", {"format": "json"})
    assert response["Content-Disposition"].startswith('attachment; filename="serendip-data-')
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["profile"]["email"] == history.boss.email

    response = client.post("/profile/account/export/", {"format": "zip"})
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"serendip-data.json", "index.html", "csv/meetings.csv", "csv/ledger.csv"} <= names
    assert {f"csv/{key}.csv" for key in SECTIONS} <= names
    html = archive.read("index.html").decode()
    assert "Lovelace" in html and "Ada&#x27;s private memo" in html
    meetings = archive.read("csv/meetings.csv").decode().splitlines()
    assert meetings[0].startswith("id,event,round,start,minutes,table,with")
    assert len(meetings) == 3


def test_the_export_page_needs_a_signed_in_member() -> None:
    response = Client().post("/profile/account/export/", {"format": "json"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_command_exports_to_json_and_zip(tmp_path: Path) -> None:
    history = build_history()
    call_command("member", "export", history.boss.email.upper(), "--out", str(tmp_path / "a.json"))
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["profile"]["id"] == history.boss.pk
    call_command("member", "export", history.boss.email, "--out", str(tmp_path / "a.zip"))
    assert "index.html" in zipfile.ZipFile(tmp_path / "a.zip").namelist()


def test_the_command_refuses_an_unknown_email_with_exit_code_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("member", "export", "nobody@example.org", "--out", str(tmp_path / "x.json"))
    assert refused.value.returncode == 2
    assert "nobody@example.org" in str(refused.value)
    assert not (tmp_path / "x.json").exists()
