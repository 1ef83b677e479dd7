"""Importing members from CSV: all or nothing, with every error located."""

from __future__ import annotations

import pytest

from serendip.csvrows import ImportRefused
from serendip.members.imports import import_members
from serendip.members.models import Member, Organisation
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

HEADER = "email,first_name,last_name,language,organisation,seniority,side,keywords,offers,needs"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def refusal(data: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        import_members(data)
    return [str(e) for e in refused.value.errors]


def test_a_good_file_creates_members_and_their_organisations() -> None:
    result = import_members(
        csv(
            "ada@acme.fr,Ada,Lovelace,fr,Acme,c-level,boss,FinOps|zero trust,mentoring,SOC",
            "Bob@Vendor.io,Bob,Martin,en,Vendor,,sponsor,,pentest audit,",
            "carla@acme.fr,Carla,Diaz,en,ACME,intern,boss,,,",
        )
    )
    assert (result.created, result.updated) == (3, 0)
    ada = Member.objects.get(email="ada@acme.fr")
    assert ada.keywords == ["FinOps", "zero trust"]
    assert ada.language == "fr" and ada.seniority == "c-level"
    assert ada.user.username == "ada@acme.fr" and not ada.user.has_usable_password()
    assert Member.objects.get(email="bob@vendor.io").side == "sponsor"
    # "Acme" and "ACME" are the same organisation.
    assert Organisation.objects.count() == 2
    assert Member.objects.get(email="carla@acme.fr").organisation == ada.organisation


def test_a_known_email_updates_the_member_instead_of_duplicating() -> None:
    MemberFactory(email="ada@acme.fr", user__username="ada@acme.fr", headline="old")
    result = import_members(csv("ADA@acme.fr,Ada,King,en,Acme,,boss,,,"))
    assert (result.created, result.updated) == (0, 1)
    assert Member.objects.get(email="ada@acme.fr").last_name == "King"
    assert Member.objects.count() == 1


def test_semicolon_separated_files_from_french_spreadsheets_are_read() -> None:
    result = import_members("email;first_name;last_name\nzoe@x.fr;Zoé;Dupré\n".encode())
    assert result.created == 1
    assert Member.objects.get().first_name == "Zoé"


def test_tab_separated_files_from_a_spreadsheets_text_export_are_read() -> None:
    data = "email\tfirst_name\tlast_name\torganisation\nzoe@x.fr\tZoé\tDupré\tAcme, Inc\n"
    assert import_members(data.encode()).created == 1
    zoe = Member.objects.get()
    assert (zoe.last_name, zoe.organisation.name) == ("Dupré", "Acme, Inc")


def test_a_quote_never_closed_is_refused_on_its_own_line() -> None:
    data = csv(
        "ada@acme.fr,Ada,Lovelace,fr,Acme,,boss,,,",
        'bob@vendor.io,Bob,"Martin,en,Vendor,,sponsor,,,',
        "carla@acme.fr,Carla,Diaz,en,Acme,,boss,,,",
    )
    assert refusal(data) == [
        'line 3: a cell opens with a quote (") that is never closed; the rest of the file '
        "would be read as that one cell"
    ]
    assert not Member.objects.exists()
    # A quote inside a cell, or a quoted cell over two lines, is read as it is.
    kept = csv('dan@x.fr,Dan,"O""Brien",en,"Acme"" Inc",,boss,"a\nb",,')
    assert import_members(kept).created == 1
    dan = Member.objects.get()
    assert (dan.last_name, dan.organisation.name, dan.keywords) == (
        'O"Brien',
        'Acme" Inc',
        ["a\nb"],
    )


def test_an_unknown_column_is_refused_on_the_header_line() -> None:
    errors = refusal(csv("a@b.fr,A,B", header="email,first_name,last_name,shoe_size"))
    assert errors[0].startswith("line 1, column shoe_size: unknown column")


def test_a_missing_required_column_is_refused() -> None:
    assert refusal(csv("a@b.fr,A", header="email,first_name")) == [
        "line 1, column last_name: required column is missing"
    ]


def test_a_duplicate_email_in_the_file_names_both_lines() -> None:
    errors = refusal(csv("a@b.fr,A,B,en,,,,,,", "x@y.fr,X,Y,en,,,,,,", "A@B.fr,C,D,en,,,,,,"))
    assert errors == ["line 4, column email: a@b.fr already appears on line 2"]


def test_a_bad_language_code_is_refused() -> None:
    errors = refusal(csv("a@b.fr,A,B,de,,,,,,"))
    assert errors == ["line 2, column language: 'de' is not one of fr, en"]


def test_every_bad_row_is_reported_and_nothing_is_written() -> None:
    errors = refusal(
        csv(
            "good@b.fr,Good,Row,fr,Acme,,,,,",
            "not-an-email,A,B,en,,,,,,",
            "c@d.fr,,B,en,,senior,,,,",
            "e@f.fr,E,F,en,,ceo,,,,",
            "g@h.fr,G,H,en,,,vendor,,,",
        )
    )
    assert errors == [
        "line 3, column email: Enter a valid email address.",
        "line 4, column first_name: required, but empty",
        "line 5, column seniority: 'ceo' is not one of intern, junior, mid, senior, "
        "executive, c-level",
        "line 6, column side: 'vendor' is not one of boss, sponsor, guest, staff",
    ]
    assert not Member.objects.exists()
    assert not Organisation.objects.exists()


def test_an_empty_file_is_refused_with_the_expected_columns() -> None:
    errors = refusal(b"")
    assert errors[0].startswith("line 1: the file is empty; the first line must name the columns")
    assert refusal(b"\n\n")[0].startswith("line 1: the file is empty")


def test_bytes_that_are_not_utf8_name_their_line() -> None:
    data = b"email,first_name,last_name\na@b.fr,A,B\n" + "c@d.fr,Zo\xe9,D\n".encode("latin-1")
    assert refusal(data) == [
        "line 3: byte 0xe9 at position 10 is not UTF-8; save the file as CSV UTF-8"
    ]


def test_a_row_with_too_many_cells_is_refused() -> None:
    errors = refusal(csv("a@b.fr,A,B,en,,,,,,,extra"))
    assert errors == ["line 2: 11 cells but the header names 10 columns"]


def test_a_ten_thousand_row_file_is_imported_in_one_go() -> None:
    rows = [f"m{i}@club.fr,First{i},Last{i},fr,Org {i % 120},,boss,FinOps,," for i in range(10_000)]
    result = import_members(csv(*rows))
    assert result.created == 10_000
    assert Member.objects.count() == 10_000
    assert Organisation.objects.count() == 120


def test_a_ten_thousand_row_file_with_one_bad_row_writes_nothing() -> None:
    rows = [f"m{i}@club.fr,First{i},Last{i},fr,Org,,boss,,," for i in range(10_000)]
    rows[7_500] = "m7500@club.fr,First,Last,xx,Org,,boss,,,"
    assert refusal(csv(*rows)) == ["line 7502, column language: 'xx' is not one of fr, en"]
    assert not Member.objects.exists()
