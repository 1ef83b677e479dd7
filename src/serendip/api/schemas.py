"""Shapes of the API's requests and responses.

Every text a request carries is a ``Text`` or a ``Line``: capped at the length of the
model field it fills (as the web forms are) and refused with a 422 naming the field when
it holds NUL or another control character (PostgreSQL cannot store NUL in text, and no
name or note needs a control character). Every operation documents the error answers it
can give with the shared ``ErrorOut`` shape (see ``answers``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeAlias, TypeVar, get_args

from annotated_types import GroupedMetadata
from ninja import Field, Schema
from pydantic import AfterValidator, GetCoreSchemaHandler, StringConstraints
from pydantic_core import core_schema

T = TypeVar("T")

# Tab, line feed and carriage return are the only control characters a multi-line text may hold.
_MULTILINE_WHITESPACE = frozenset("\t\n\r")


def _refuse_control_characters(value: str, *, allowed: frozenset[str]) -> str:
    for char in value:
        # Cc: NUL and the other control characters; Cs: lone surrogates, which no database
        # can encode in UTF-8.
        if unicodedata.category(char) in {"Cc", "Cs"} and char not in allowed:
            raise ValueError(f"must not contain the control character U+{ord(char):04X}")
    return value


def single_line(value: str) -> str:
    """Refuse any control character (NUL, line breaks, escapes...) in a one-line text."""
    return _refuse_control_characters(value, allowed=frozenset())


def multi_line(value: str) -> str:
    """Refuse control characters other than tab and line breaks in a multi-line text."""
    return _refuse_control_characters(value, allowed=_MULTILINE_WHITESPACE)


@dataclass(frozen=True)
class Line(GroupedMetadata):
    """A one-line text of at most ``max_length`` characters, without control characters:
    ``name: Annotated[str, Line(200, min_length=1)]``."""

    max_length: int
    min_length: int = 0
    pattern: str | None = None

    def __iter__(self) -> Iterator[object]:
        # Pydantic unpacks one level of grouped metadata, so the constraints are unpacked here.
        yield from StringConstraints(
            min_length=self.min_length, max_length=self.max_length, pattern=self.pattern
        )
        yield AfterValidator(single_line)


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """A multi-line text of at most ``max_length`` characters, without control characters
    other than tab and line breaks: ``note: Annotated[str, Text(2000)]``."""

    max_length: int
    min_length: int = 0

    def __iter__(self) -> Iterator[object]:
        yield from StringConstraints(min_length=self.min_length, max_length=self.max_length)
        yield AfterValidator(multi_line)


class _ValueOnly:
    """Validate and document an ``X | None`` field as ``X`` alone, so that null is refused
    as any other wrong type is (same error, same OpenAPI schema) while the field, left out,
    reads as its default None."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        (value_type,) = (arg for arg in get_args(source) if arg is not type(None))
        return handler.generate_schema(value_type)


# A field a request may leave out but not set to null: left out it reads None (its default,
# which ``model_dump(exclude_unset=True)`` leaves out), sent as null it is refused with a 422.
Omittable: TypeAlias = Annotated[T | None, _ValueOnly()]


def _aware_and_plausible(value: dt.datetime) -> dt.datetime:
    # A naive time would be read in the server's zone, and years at the edges of the
    # calendar overflow when converted to UTC for storage.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must include a time zone offset, e.g. 2027-10-01T09:00:00+02:00")
    if not 1900 <= value.year <= 2999:
        raise ValueError("must be between the years 1900 and 2999")
    return value


Moment: TypeAlias = Annotated[dt.datetime, AfterValidator(_aware_and_plausible)]
Id: TypeAlias = Annotated[int, Field(ge=1, le=2**31 - 1)]
Search: TypeAlias = Annotated[str, Line(200)]
Slug: TypeAlias = Annotated[str, Line(80, min_length=1, pattern=r"^[-a-zA-Z0-9_]+$")]
Kind: TypeAlias = Annotated[str, Line(10, pattern="^(advice|contact|service|paid)$")]
ListItem: TypeAlias = Annotated[str, Line(200, min_length=1)]
Items: TypeAlias = Annotated[list[ListItem], Field(max_length=50)]


class FieldError(Schema):
    """One refused field: where it was (``body.name``, ``query.page``...) and why."""

    field: str
    message: str


class ErrorOut(Schema):
    """Every error answer: a readable reason, and for refused input each field and why."""

    detail: str
    errors: list[FieldError] | None = None


# What any operation may answer besides its success: malformed request (400), no or a
# bad token (401), not allowed (403), not found (404), refused input (422).
READ_ERRORS = (400, 401, 403, 404, 422)
# Writes may also conflict with existing data (409) or send a body over the size limit (413).
WRITE_ERRORS = (*READ_ERRORS, 409, 413)


def answers(ok: Any, *, status: int = 200, errors: tuple[int, ...] = READ_ERRORS) -> Any:
    """The ``response=`` of an operation: its success shape and the shared error shape."""
    return {status: ok, **dict.fromkeys(errors, ErrorOut)}


def write_answers(ok: Any, *, status: int = 200) -> Any:
    """``answers`` for an operation that writes."""
    return answers(ok, status=status, errors=WRITE_ERRORS)


class OrganisationOut(Schema):
    id: int
    name: str
    industry: str
    city: str
    website: str


class OrganisationIn(Schema):
    name: Annotated[str, Line(200, min_length=1)]
    industry: Annotated[str, Line(100)] = ""
    city: Annotated[str, Line(100)] = ""
    website: Annotated[str, Line(200)] = ""  # checked as a URL by the model


class MemberOut(Schema):
    """A member's public profile; contact fields are null unless the viewer may see them."""

    id: int
    first_name: str
    last_name: str
    headline: str
    job_title: str
    organisation: OrganisationOut | None
    industry: str
    side: str
    language: str
    keywords: list[str]
    offers: list[str]
    needs: list[str]
    bio: str
    email: str | None = None
    phone: str | None = None
    linkedin: str | None = None


class MyProfileOut(MemberOut):
    """One's own profile, with the fields only oneself and organisers see."""

    seniority: str
    contact_visibility: str


class ProfilePatch(Schema):
    """Fields a member may change on their own profile; absent fields stay as they are.

    Only the organisation may be null (no organisation); the LinkedIn page and organisation
    are checked by the model as the web form does. The sign-in email is not here: it changes
    only with the password and a link sent to the new address (the web's account page), so
    an unknown field such as ``email`` is refused rather than ignored.
    """

    model_config = {"extra": "forbid"}

    first_name: Omittable[Annotated[str, Line(100, min_length=1)]] = None
    last_name: Omittable[Annotated[str, Line(100, min_length=1)]] = None
    phone: Omittable[Annotated[str, Line(40)]] = None
    linkedin: Omittable[Annotated[str, Line(200)]] = None
    language: Omittable[Annotated[str, Line(2, pattern="^(fr|en)$")]] = None
    headline: Omittable[Annotated[str, Line(200)]] = None
    job_title: Omittable[Annotated[str, Line(200)]] = None
    seniority: Omittable[
        Annotated[str, Line(10, pattern="^(|intern|junior|mid|senior|executive|c-level)$")]
    ] = None
    industry: Omittable[Annotated[str, Line(100)]] = None
    keywords: Omittable[Items] = None
    offers: Omittable[Items] = None
    needs: Omittable[Items] = None
    bio: Omittable[Annotated[str, Text(2000)]] = None
    contact_visibility: Omittable[
        Annotated[str, Line(12, pattern="^(nobody|connections|members)$")]
    ] = None
    organisation_id: Id | None = None


class EventOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    venue: str
    city: str
    timezone: str
    start: dt.datetime
    end: dt.datetime
    description: str


class EventIn(Schema):
    slug: Slug
    name: Annotated[str, Line(200, min_length=1)]
    kind: Annotated[str, Line(20, pattern="^(seminar|dinner|conference|meetup)$")] = "seminar"
    venue: Annotated[str, Line(200)] = ""
    city: Annotated[str, Line(100)] = ""
    timezone: Annotated[str, Line(64)] = "Europe/Paris"
    start: Moment
    end: Moment
    description: Annotated[str, Text(10_000)] = ""


class EventPatch(Schema):
    """Fields of an event to change; absent fields stay as they are, none may be null."""

    name: Omittable[Annotated[str, Line(200, min_length=1)]] = None
    kind: Omittable[Annotated[str, Line(20, pattern="^(seminar|dinner|conference|meetup)$")]] = None
    venue: Omittable[Annotated[str, Line(200)]] = None
    city: Omittable[Annotated[str, Line(100)]] = None
    timezone: Omittable[Annotated[str, Line(64)]] = None
    start: Omittable[Moment] = None
    end: Omittable[Moment] = None
    description: Omittable[Annotated[str, Text(10_000)]] = None


class RegistrationOut(Schema):
    """A registration; the status and package are null for members who are not organisers."""

    id: int
    event: str = Field(alias="event.slug")
    member_id: int
    member_name: str = Field(alias="member.full_name")
    side: str
    status: str | None = None
    guaranteed_meetings: int | None = None
    representatives: int | None = None


class RegistrationIn(Schema):
    member_id: Id
    side: Annotated[str, Line(10, pattern="^(boss|sponsor|guest|staff)$")]
    status: Annotated[
        str, Line(12, pattern="^(invited|confirmed|checked_in|no_show|cancelled)$")
    ] = "invited"
    guaranteed_meetings: int | None = Field(None, ge=0, le=1000)
    representatives: int = Field(1, ge=1, le=100)


class RegistrationPatch(Schema):
    """Fields of a registration to change; only the guaranteed meetings may be null (none)."""

    side: Omittable[Annotated[str, Line(10, pattern="^(boss|sponsor|guest|staff)$")]] = None
    status: Omittable[
        Annotated[str, Line(12, pattern="^(invited|confirmed|checked_in|no_show|cancelled)$")]
    ] = None
    guaranteed_meetings: int | None = Field(None, ge=0, le=1000)
    representatives: Omittable[Annotated[int, Field(ge=1, le=100)]] = None


class RecommendationOut(Schema):
    """Someone to meet: who, why, how to open the conversation, who could introduce."""

    member: MemberOut
    score: float
    reason: str
    icebreakers: list[str]
    introducer_id: int | None = None


class PersonOut(Schema):
    """Someone named in the network endpoints: no contact details."""

    id: int
    name: str


class AskIn(Schema):
    kind: Kind
    topic: Annotated[str, Line(200, min_length=1)]
    details: Annotated[str, Text(4000)] = ""
    urgency: Annotated[str, Line(10, pattern="^(low|normal|high)$")] = "normal"
    audience: Annotated[str, Line(15, pattern="^(connections|second_degree|club)$")] = (
        "second_degree"
    )


class AskOut(Schema):
    id: int
    member: PersonOut
    kind: str
    topic: str
    details: str
    urgency: str
    audience: str
    open: bool
    created: dt.datetime


class HelperOut(Schema):
    helper: PersonOut
    offer: str
    introducer: PersonOut | None


class OfferIn(Schema):
    kind: Kind
    title: Annotated[str, Line(200, min_length=1)]
    details: Annotated[str, Text(2000)] = ""


class OfferOut(Schema):
    id: int
    kind: str
    title: str
    details: str
    active: bool


class IntroductionIn(Schema):
    seeker: Id
    helper: Id
    note: Annotated[str, Text(2000, min_length=1)]
    ask: Id | None = None


class AnswerIn(Schema):
    yes: bool


class ContactOut(Schema):
    email: str
    phone: str


class IntroductionOut(Schema):
    """An introduction; ``contact`` is the other side's, only once both said yes."""

    id: int
    introducer: PersonOut
    seeker: PersonOut
    helper: PersonOut
    state: str
    note: str
    seeker_answer: str
    helper_answer: str
    expires: dt.datetime | None
    contact: ContactOut | None


class GratitudeIn(Schema):
    """Who helped: a member (``giver``) or someone outside the club (``giver_name``)."""

    giver: Id | None = None
    giver_name: Annotated[str, Line(200)] = ""
    what: Annotated[str, Line(300, min_length=1)]
    when: dt.date = Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))
    thank_you: Annotated[str, Text(2000)] = ""


class GratitudeOut(Schema):
    id: int
    giver: PersonOut | None
    giver_name: str
    what: str
    when: dt.date
    thank_you: str


class ThankYouOut(Schema):
    """A thank-you note received: who wrote it and when, never what was given."""

    receiver: PersonOut
    thank_you: str
    when: dt.date
