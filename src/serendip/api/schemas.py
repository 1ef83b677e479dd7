"""Shapes of the API's requests and responses."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import HttpUrl


class OrganisationOut(Schema):
    id: int
    name: str
    industry: str
    city: str
    website: str


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    industry: str = Field("", max_length=100)
    city: str = Field("", max_length=100)
    website: HttpUrl | None = None


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
    """Fields a member may change on their own profile; absent fields stay as they are."""

    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    linkedin: HttpUrl | None = None
    language: str | None = Field(None, pattern="^(fr|en)$")
    headline: str | None = Field(None, max_length=200)
    job_title: str | None = Field(None, max_length=200)
    seniority: str | None = Field(None, pattern="^(|intern|junior|mid|senior|executive|c-level)$")
    industry: str | None = Field(None, max_length=100)
    keywords: list[str] | None = None
    offers: list[str] | None = None
    needs: list[str] | None = None
    bio: str | None = Field(None, max_length=2000)
    contact_visibility: str | None = Field(None, pattern="^(nobody|connections|members)$")
    organisation_id: int | None = None


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
    slug: str = Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=80)
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field("seminar", pattern="^(seminar|dinner|conference|meetup)$")
    venue: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    timezone: str = "Europe/Paris"
    start: dt.datetime
    end: dt.datetime
    description: str = ""


class EventPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = Field(None, pattern="^(seminar|dinner|conference|meetup)$")
    venue: str | None = Field(None, max_length=200)
    city: str | None = Field(None, max_length=100)
    timezone: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    description: str | None = None


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
    member_id: int
    side: str = Field(pattern="^(boss|sponsor|guest|staff)$")
    status: str = Field("invited", pattern="^(invited|confirmed|checked_in|no_show|cancelled)$")
    guaranteed_meetings: int | None = Field(None, ge=0)
    representatives: int = Field(1, ge=1)


class RegistrationPatch(Schema):
    side: str | None = Field(None, pattern="^(boss|sponsor|guest|staff)$")
    status: str | None = Field(None, pattern="^(invited|confirmed|checked_in|no_show|cancelled)$")
    guaranteed_meetings: int | None = Field(None, ge=0)
    representatives: int | None = Field(None, ge=1)


class ErrorOut(Schema):
    detail: str


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
    kind: str = Field(pattern="^(advice|contact|service|paid)$")
    topic: str = Field(min_length=1, max_length=200)
    details: str = Field("", max_length=4000)
    urgency: str = Field("normal", pattern="^(low|normal|high)$")
    audience: str = Field("second_degree", pattern="^(connections|second_degree|club)$")


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
    kind: str = Field(pattern="^(advice|contact|service|paid)$")
    title: str = Field(min_length=1, max_length=200)
    details: str = Field("", max_length=2000)


class OfferOut(Schema):
    id: int
    kind: str
    title: str
    details: str
    active: bool


class IntroductionIn(Schema):
    seeker: int
    helper: int
    note: str = Field(min_length=1, max_length=2000)
    ask: int | None = None


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
    giver: int | None = None
    giver_name: str = Field("", max_length=200)
    what: str = Field(min_length=1, max_length=300)
    when: dt.date
    thank_you: str = Field("", max_length=2000)


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
