"""Hostile input answers a 4xx naming the field, never a 500 (issue 13, item 5).

Each case here is one the attackers' schemathesis run turned into a server error.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from pypdf import PdfReader

import serendip
from serendip.api.routes import api
from serendip.csvrows import safe_cell
from serendip.members.models import Member
from serendip.members.privacy import export_archive
from serendip.members.services import connect, create_api_token
from serendip.network.digest import digest_message
from serendip.network.introductions import propose_introduction
from serendip.network.models import Ask, Gratitude, Offer
from serendip.programme.agenda import tell_agenda_changed
from serendip.programme.pdf import bulletin_pdf
from serendip.web.forms import ProfileForm
from serendip.web.network_forms import AskForm
from tests.factories import EventFactory, MemberFactory

pytestmark = pytest.mark.django_db


class Api:
    """A client sending a member's bearer token; server errors come back as responses."""

    def __init__(self, member: Member) -> None:
        token = create_api_token(member, name="test")
        self.client = Client(
            headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False
        )

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(f"/api{path}", query)

    def send(self, method: str, path: str, body: Any) -> Any:
        payload = body if isinstance(body, str) else json.dumps(body)
        return getattr(self.client, method)(f"/api{path}", payload, content_type="application/json")


def refused(response: Any, field: str) -> str:
    """The 422's message after checking it names ``field`` in both its forms."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert field in [error["field"] for error in body["errors"]]
    assert field in body["detail"]
    return str(body["detail"])


ASK = {"kind": "advice", "topic": "FinOps", "details": "", "audience": "club"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("topic", "Fin\x00Ops"), ("details", "line\x00"), ("topic", "bell\x07"), ("topic", "\ud800")],
)
def test_nul_and_control_characters_in_text_are_refused_naming_the_field(
    field: str, value: str
) -> None:
    response = Api(MemberFactory()).send("post", "/asks", {**ASK, field: value})
    # A lone surrogate is already refused by the JSON parser as invalid unicode.
    assert "control character" in refused(response, f"body.{field}") or value == "\ud800"
    assert not Ask.objects.exists()


def test_line_breaks_stay_allowed_in_multi_line_text_but_not_in_a_one_line_one() -> None:
    api = Api(MemberFactory())
    assert api.send("post", "/asks", {**ASK, "details": "one\r\n\tand two"}).status_code == 201
    refused(api.send("post", "/asks", {**ASK, "topic": "one\ntwo"}), "body.topic")


def test_nul_in_a_search_or_a_path_is_refused() -> None:
    api = Api(MemberFactory())
    refused(api.get("/members", q="a\x00"), "query.q")
    refused(api.get("/organisations", q="a\x00"), "query.q")
    refused(api.client.get("/api/events/%00"), "path.slug")


@pytest.mark.parametrize(
    "field", ["first_name", "headline", "bio", "keywords", "language", "email", "linkedin"]
)
def test_null_in_a_profile_field_is_refused_naming_it(field: str) -> None:
    member = MemberFactory(headline="CIO")
    refused(Api(member).send("patch", "/members/me", {field: None}), f"body.{field}")
    member.refresh_from_db()
    assert member.headline == "CIO"


def test_a_member_may_still_leave_their_organisation_with_null() -> None:
    member = MemberFactory()
    assert Api(member).send("patch", "/members/me", {"organisation_id": None}).status_code == 200
    member.refresh_from_db()
    assert member.organisation is None


@pytest.mark.parametrize(
    ("field", "limit"), [("bio", 2000), ("headline", 200), ("first_name", 100), ("phone", 40)]
)
def test_texts_are_capped_as_the_model_fields(field: str, limit: int) -> None:
    api = Api(MemberFactory())
    assert api.send("patch", "/members/me", {field: "x" * limit}).status_code == 200
    assert str(limit) in refused(
        api.send("patch", "/members/me", {field: "x" * (limit + 1)}), f"body.{field}"
    )


def test_topics_are_capped_in_length_and_number() -> None:
    api = Api(MemberFactory())
    refused(api.send("patch", "/members/me", {"keywords": ["x" * 201]}), "body.keywords.0")
    refused(api.send("patch", "/members/me", {"keywords": ["x"] * 51}), "body.keywords")


def test_every_input_schema_caps_every_text() -> None:
    components = api.get_openapi_schema()["components"]["schemas"]
    uncapped = [
        f"{name}.{field}"
        for name, shape in components.items()
        if name.endswith(("In", "Patch"))
        for field, prop in shape["properties"].items()
        for kind in [prop, *prop.get("anyOf", []), prop.get("items", {})]
        if kind.get("type") == "string" and "maxLength" not in kind and "format" not in kind
    ]
    assert uncapped == []


@pytest.mark.parametrize("path", ["/members", "/organisations", "/events"])
def test_a_huge_page_number_is_an_empty_page(path: str) -> None:
    EventFactory()
    api = Api(MemberFactory())
    response = api.get(path, page=10**30)
    assert response.status_code == 200, response.content
    assert response.json()["items"] == [] and response.json()["count"] >= 1
    refused(api.get(path, page_size=101), "query.page_size")


def test_the_ledger_takes_a_giver_named_without_being_a_member() -> None:
    member = MemberFactory()
    entry = {"giver_name": "Jeanne Martin", "what": "an intro", "when": "2026-03-01"}
    response = Api(member).send("post", "/ledger", entry)
    assert response.status_code == 201, response.content
    assert response.json()["giver"] is None
    assert Gratitude.objects.get(receiver=member).giver_name == "Jeanne Martin"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_over_the_upload_limit_is_a_413() -> None:
    response = Api(MemberFactory()).send("post", "/asks", {**ASK, "details": "x" * 20_000})
    assert response.status_code == 413
    assert "10000 bytes" in response.json()["detail"]


def test_a_time_without_zone_or_from_the_edge_of_the_calendar_is_refused() -> None:
    organiser = MemberFactory()
    organiser.user.is_staff = organiser.user.is_superuser = True
    organiser.user.save()
    event = {"slug": "x", "name": "X", "start": "2027-10-01T09:00:00+02:00"}
    api = Api(organiser)
    naive = api.send("post", "/events", {**event, "end": "2027-10-02T09:00:00"})
    assert "time zone" in refused(naive, "body.end")
    edge = api.send("post", "/events", {**event, "end": "9999-12-31T23:59:59-14:00"})
    refused(edge, "body.end")


def test_a_malformed_body_is_refused_not_crashed() -> None:
    response = Api(MemberFactory()).send("post", "/asks", '{"kind": ')
    assert 400 <= response.status_code < 500
    assert isinstance(response.json()["detail"], str)


def test_every_operation_documents_its_error_answers_with_the_shared_shape() -> None:
    paths = api.get_openapi_schema()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = {str(code) for code in operation["responses"]}
            assert {"400", "401", "403", "404", "422"} <= codes, (method, path)
            if method in {"post", "patch"}:
                assert {"409", "413"} <= codes, (method, path)
            error = operation["responses"][422]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorOut"}


def test_the_web_forms_refuse_nul_in_text_and_in_lists() -> None:
    member = MemberFactory()
    data = {
        "first_name": "Ana",
        "last_name": "Silva",
        "language": "en",
        "contact_visibility": "members",
        "seniority": "",
    }
    assert ProfileForm(data, instance=member).is_valid()
    for field, value in [("first_name", "A\x00na"), ("keywords", "Fin\x00Ops"), ("bio", "\x00")]:
        form = ProfileForm({**data, field: value}, instance=member)
        assert not form.is_valid() and field in form.errors, field
    ask = AskForm({"kind": "advice", "topic": "a\x00", "urgency": "normal", "audience": "club"})
    assert not ask.is_valid() and "topic" in ask.errors


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ada = Lovelace", "Ada = Lovelace"),
        ("", ""),
        (-5, -5),
    ],
)
def test_a_csv_cell_that_would_run_as_a_formula_gets_a_leading_quote(
    cell: object, shown: object
) -> None:
    assert safe_cell(cell) == shown


def test_the_contacts_export_neutralises_formulas() -> None:
    member = MemberFactory()
    other = MemberFactory(
        first_name="=cmd|' /C calc'!A0", job_title="@SUM(1+1)", contact_visibility="members"
    )
    connect(member, other)
    client = Client()
    client.force_login(member.user)
    response = client.get("/network/contacts.csv")
    assert response.status_code == 200
    row = next(
        r for r in csv.reader(io.StringIO(response.content.decode())) if other.last_name in r
    )
    assert row[0] == "'=cmd|' /C calc'!A0" and row[3] == "'@SUM(1+1)"
    assert row[5] == "'" + other.phone  # "+33 ..." would be read as a formula too


def test_the_personal_data_archive_neutralises_formulas() -> None:
    member = MemberFactory(headline="=1+1")
    Offer.objects.create(member=member, kind="advice", title="-cmd")
    archive = zipfile.ZipFile(io.BytesIO(export_archive(member)))
    cells = [
        cell
        for name in archive.namelist()
        if name.endswith(".csv")
        for row in csv.reader(io.StringIO(archive.read(name).decode()))
        for cell in row
    ]
    assert "'-cmd" in cells or "'=1+1" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]


def test_every_plain_text_template_is_rendered_without_html_escaping() -> None:
    templates = Path(serendip.__file__).parent / "templates"
    for path in templates.rglob("*.txt"):
        assert "{% autoescape off %}" in path.read_text(), path


def test_a_plain_text_email_keeps_names_as_written(mailbox: Any) -> None:
    event = EventFactory(name="Dîner & <Débat>", published=timezone.now())
    member = MemberFactory(first_name="O'Brien & Co")
    assert tell_agenda_changed(event, [member.pk]) == 1
    (message,) = mailbox.messages
    assert message["Subject"].startswith("Dîner & <Débat>")
    body = message.get_content()
    assert "Hello O'Brien & Co," in body and "Dîner & <Débat>" in body
    assert "&amp;" not in body and "&#x27;" not in body


def test_the_digest_keeps_names_as_written(mailbox: Any) -> None:
    introducer, seeker, helper = (MemberFactory() for _ in range(3))
    introducer.first_name, introducer.last_name = "Seán", "O'Brien & Co"
    introducer.save()
    connect(introducer, seeker)
    connect(introducer, helper)
    propose_introduction(introducer, seeker=seeker, helper=helper, note="Meet!")
    message = digest_message(seeker)
    assert message is not None and message.send() == 1
    body = mailbox.messages[0].get_content()
    assert "Seán O'Brien & Co would like to introduce you" in body


def test_the_pdf_bulletin_prints_every_european_name() -> None:
    sponsor = MemberFactory(first_name="Łucja", last_name="Dvořák-Ștefănescu")
    event = EventFactory(name="Øresund & Zürich: Škoda Œuvres, Ĳsselmeer, Þór, żółć")
    pages = PdfReader(io.BytesIO(bulletin_pdf(event, sponsor, []))).pages
    # Line breaks and the extractor's spacing are not the name's business.
    text = " ".join("".join(page.extract_text() for page in pages).split())
    assert "Łucja Dvořák-Ștefănescu" in text
    assert "Øresund & Zürich: Škoda Œuvres, Ĳsselmeer, Þór, żółć" in text
    assert "?" not in text


def test_the_bulletin_font_and_its_licence_ship_with_the_package() -> None:
    fonts = Path(serendip.__file__).parent / "fonts"
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"} <= {
        path.name for path in fonts.iterdir()
    }
