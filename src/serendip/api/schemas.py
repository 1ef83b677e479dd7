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
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints

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


def Line(max_length: int, *, min_length: int = 0, pattern: str | None = None) -> Any:
    """A one-line text of at most ``max_length`` characters, without control characters."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length, pattern=pattern),
        AfterValidator(single_line),
    ]


def Text(max_length: int, *, min_length: int = 0) -> Any:
    """A multi-line text of at most ``max_length`` characters, without control characters
    other than tab and line breaks."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(multi_line),
    ]


def _aware_and_plausible(value: dt.datetime) -> dt.datetime:
    # A naive time would be read in the server's zone, and years at the edges of the
    # calendar overflow when converted to UTC for storage.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must include a time zone offset, e.g. 2027-10-01T09:00:00+02:00")
    if not 1900 <= value.year <= 2999:
        raise ValueError("must be between the years 1900 and 2999")
    return value


Moment = Annotated[dt.datetime, AfterValidator(_aware_and_plausible)]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Search = Line(200)
Slug = Line(80, min_length=1, pattern=r"^[-a-zA-Z0-9_]+$")
Kind = Line(10, pattern="^(advice|contact|service|paid)$")
ListItem = Line(200, min_length=1)
Items = Annotated[list[ListItem], Field(max_length=50)]


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
    name: Line(200, min_length=1)
    industry: Line(100) = ""
    city: Line(100) = ""
    website: Line(200) = ""  # checked as a URL by the model


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

    # A default of None marks a field as optional without allowing null in a request.
    first_name: Line(100, min_length=1) = None
    last_name: Line(100, min_length=1) = None
    phone: Line(40) = None
    linkedin: Line(200) = None
    language: Line(2, pattern="^(fr|en)$") = None
    headline: Line(200) = None
    job_title: Line(200) = None
    seniority: Line(10, pattern="^(|intern|junior|mid|senior|executive|c-level)$") = None
    industry: Line(100) = None
    keywords: Items = None
    offers: Items = None
    needs: Items = None
    bio: Text(2000) = None
    contact_visibility: Line(12, pattern="^(nobody|connections|members)$") = None
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
    name: Line(200, min_length=1)
    kind: Line(20, pattern="^(seminar|dinner|conference|meetup)$") = "seminar"
    venue: Line(200) = ""
    city: Line(100) = ""
    timezone: Line(64) = "Europe/Paris"
    start: Moment
    end: Moment
    description: Text(10_000) = ""


class EventPatch(Schema):
    """Fields of an event to change; absent fields stay as they are, none may be null."""

    name: Line(200, min_length=1) = None
    kind: Line(20, pattern="^(seminar|dinner|conference|meetup)$") = None
    venue: Line(200) = None
    city: Line(100) = None
    timezone: Line(64) = None
    start: Moment = None
    end: Moment = None
    description: Text(10_000) = None


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
    side: Line(10, pattern="^(boss|sponsor|guest|staff)$")
    status: Line(12, pattern="^(invited|confirmed|checked_in|no_show|cancelled)$") = "invited"
    guaranteed_meetings: int | None = Field(None, ge=0, le=1000)
    representatives: int = Field(1, ge=1, le=100)


class RegistrationPatch(Schema):
    """Fields of a registration to change; only the guaranteed meetings may be null (none)."""

    side: Line(10, pattern="^(boss|sponsor|guest|staff)$") = None
    status: Line(12, pattern="^(invited|confirmed|checked_in|no_show|cancelled)$") = None
    guaranteed_meetings: int | None = Field(None, ge=0, le=1000)
    representatives: int = Field(None, ge=1, le=100)


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
    topic: Line(200, min_length=1)
    details: Text(4000) = ""
    urgency: Line(10, pattern="^(low|normal|high)$") = "normal"
    audience: Line(15, pattern="^(connections|second_degree|club)$") = "second_degree"


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
    title: Line(200, min_length=1)
    details: Text(2000) = ""


class OfferOut(Schema):
    id: int
    kind: str
    title: str
    details: str
    active: bool


class IntroductionIn(Schema):
    seeker: Id
    helper: Id
    note: Text(2000, min_length=1)
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
    giver_name: Line(200) = ""
    what: Line(300, min_length=1)
    when: dt.date = Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))
    thank_you: Text(2000) = ""


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
