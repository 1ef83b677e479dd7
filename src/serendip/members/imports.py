"""Import members from a CSV file, all or nothing.

Columns (header names, any order; ``email``, ``first_name`` and ``last_name`` required):
email, first_name, last_name, language (fr/en), organisation, industry, job_title,
seniority, side, headline, keywords, offers, needs, bio, phone, linkedin,
contact_visibility. ``industry`` is an industry of the club's vocabulary, written as
its French or English label or its code, in any case and with or without accents.
``keywords``, ``offers`` and ``needs`` hold
several items separated by ``|``. A member whose email is already known is
updated; a new email creates a member (who signs in after a password reset).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from serendip.csvrows import Row, check_choice, check_field, read_rows, refuse_if_any
from serendip.members import industries
from serendip.members.choices import ContactVisibility, Language, Seniority, Side
from serendip.members.models import Member, Organisation
from serendip.members.services import bulk_create_members

REQUIRED = ["email", "first_name", "last_name"]
TEXT_COLUMNS = ["job_title", "headline", "bio", "phone", "linkedin"]
LIST_COLUMNS = ["keywords", "offers", "needs"]
OPTIONAL = [
    "language",
    "organisation",
    "industry",
    *TEXT_COLUMNS,
    "seniority",
    "side",
    *LIST_COLUMNS,
    "contact_visibility",
]


@dataclass(frozen=True)
class MemberImportResult:
    """How many members the import created and updated."""

    created: int
    updated: int


def _split_cell(text: str) -> list[str]:
    return [item.strip() for item in text.split("|") if item.strip()]


def _industry(row: Row, vocabulary: list[industries.IndustryLabel], table: dict[str, str]) -> str:
    """The code of the row's industry, written as either language's label or as the code;
    an unknown one is refused with the accepted values."""
    text = row.get("industry")
    if not text:
        return ""
    code = industries.code_of(text, table)
    if code is None:
        row.error(
            "industry",
            f"{text!r} is not an industry of the club; accepted: "
            f"{industries.accepted(vocabulary)} (the organiser adds others in the admin)",
        )
        return ""
    return code


def _profile(
    row: Row, vocabulary: list[industries.IndustryLabel], table: dict[str, str]
) -> dict[str, object]:
    """The member fields of one row, each checked; errors are recorded on the row."""
    profile: dict[str, object] = {
        "email": check_field(row, Member, "email").lower(),
        "first_name": check_field(row, Member, "first_name"),
        "last_name": check_field(row, Member, "last_name"),
        "language": check_choice(row, "language", Language.values, Language.ENGLISH),
        "side": check_choice(row, "side", Side.values, Side.BOSS),
        "contact_visibility": check_choice(
            row, "contact_visibility", ContactVisibility.values, ContactVisibility.CONNECTIONS
        ),
        "seniority": check_choice(row, "seniority", Seniority.values, ""),
        "industry": _industry(row, vocabulary, table),
    }
    for column in TEXT_COLUMNS:
        profile[column] = check_field(row, Member, column)
    for column in LIST_COLUMNS:
        profile[column] = _split_cell(row.get(column))
    if row.get("organisation"):
        check_field(row, Organisation, "organisation", attribute="name")
    return profile


def import_members(data: bytes) -> MemberImportResult:
    """Create or update the members of a CSV file; raises ImportRefused with every error."""
    rows = list(read_rows(data, required=REQUIRED, optional=OPTIONAL))
    vocabulary = industries.vocabulary()  # read once for the whole file
    table = industries.lookup(vocabulary)
    profiles = [_profile(row, vocabulary, table) for row in rows]
    first_line_of: dict[str, int] = {}
    for row, profile in zip(rows, profiles, strict=True):
        email = str(profile["email"])
        if email in first_line_of:
            row.error("email", f"{email} already appears on line {first_line_of[email]}")
        first_line_of.setdefault(email, row.line)
    refuse_if_any(rows)
    return _write(rows, profiles)


@transaction.atomic
def _write(rows: list[Row], profiles: list[dict[str, object]]) -> MemberImportResult:
    organisations = _organisations({row.get("organisation") for row in rows} - {""})
    for row, profile in zip(rows, profiles, strict=True):
        name = row.get("organisation").casefold()
        profile["organisation"] = organisations.get(" ".join(name.split()))
    existing = {m.email: m for m in Member.objects.filter(email__in=[p["email"] for p in profiles])}
    new = [p for p in profiles if p["email"] not in existing]
    updated = [p for p in profiles if p["email"] in existing]
    _create(new)
    _update(existing, updated)
    return MemberImportResult(created=len(new), updated=len(updated))


def _organisations(names: set[str]) -> dict[str, Organisation]:
    """Organisations by case-folded name, creating the missing ones."""
    wanted = {" ".join(n.split()).casefold(): " ".join(n.split()) for n in names}
    found = {
        o.name.casefold(): o for o in Organisation.objects.all() if o.name.casefold() in wanted
    }
    missing = [Organisation(name=wanted[key]) for key in wanted if key not in found]
    for organisation in Organisation.objects.bulk_create(missing):
        found[organisation.name.casefold()] = organisation
    return found


def _create(profiles: list[dict[str, object]]) -> None:
    # New members get no usable password: they choose one through "forgot password". Each gets
    # their own random unusable one: the password field feeds the reset tokens, so a value
    # shared by many accounts (or a constant) would make one member's token easier to forge.
    unusable = make_password(None)
    members = bulk_create_members(profiles, password_hash=unusable)
    # An organiser's account the import made a member keeps its own password.
    users = [member.user for member in members if member.user.password == unusable]
    for user in users:
        user.set_unusable_password()
    get_user_model().objects.bulk_update(users, ["password"], batch_size=500)


def _update(existing: dict[str, Member], profiles: list[dict[str, object]]) -> None:
    fields = [name for name in OPTIONAL if name != "organisation"] + [
        "first_name",
        "last_name",
        "organisation",
    ]
    changed = []
    for profile in profiles:
        member = existing[str(profile["email"])]
        for name in fields:
            setattr(member, name, profile[name])
        changed.append(member)
    Member.objects.bulk_update(changed, fields, batch_size=500)
