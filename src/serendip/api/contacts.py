"""A member's contacts in the API: their connections with the tie's warmth, keep-in-touch
cadences and the follow-ups due, and marking a follow-up done (network.relationships)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from serendip.api import schemas
from serendip.members.current import member_required
from serendip.members.models import Member
from serendip.members.services import are_connected
from serendip.network.models import ContactNote, FollowUp
from serendip.network.relationships import (
    NotAContact,
    add_note,
    contacts_of,
    follow_up_done,
    follow_ups_due,
    set_cadence,
)

router: Router = Router(tags=["contacts"])


class ContactOut(Schema):
    """A connection: who, how warm the tie is (in words), the cadence and the next follow-up."""

    member: schemas.PersonOut
    tie: str
    every_days: int | None
    next_follow_up: dt.date | None


Days = Annotated[int, Field(ge=0, le=365)]


class CadenceIn(Schema):
    every_days: int = Field(ge=1, le=3650)


class FollowUpDueOut(Schema):
    id: int
    contact: schemas.PersonOut
    due: dt.date


class NoteIn(Schema):
    model_config = {"extra": "forbid"}

    text: Annotated[str, schemas.Text(4000, min_length=1)]


class NoteOut(Schema):
    """A private note about a connection: only its writer reads it."""

    id: int
    text: str
    created: dt.datetime


def _me(request: HttpRequest) -> Member:
    return member_required(request)


def _person(member: Member) -> dict[str, Any]:
    return {"id": member.pk, "name": member.full_name}


@router.get("/contacts", response=schemas.answers(list[ContactOut]), operation_id="listMyContacts")
def list_contacts(request: HttpRequest) -> list[dict[str, Any]]:
    """My connections, warmest tie first."""
    return [
        {
            "member": _person(c.member),
            "tie": c.tie,
            "every_days": c.every_days,
            "next_follow_up": c.due.due if c.due else None,
        }
        for c in contacts_of(_me(request))
    ]


@router.put(
    "/contacts/{member_id}/cadence",
    response=schemas.write_answers(FollowUpDueOut),
    operation_id="setKeepInTouch",
)
def put_cadence(request: HttpRequest, member_id: schemas.Id, data: CadenceIn) -> dict[str, Any]:
    """Keep in touch with a connection every N days; answers the next follow-up."""
    me = _me(request)
    contact = get_object_or_404(Member, pk=member_id)
    try:
        follow_up = set_cadence(me, contact, data.every_days)
    except NotAContact as refused:
        raise HttpError(404, "Not one of your connections.") from refused
    return {"id": follow_up.pk, "contact": _person(contact), "due": follow_up.due}


@router.get(
    "/follow-ups", response=schemas.answers(list[FollowUpDueOut]), operation_id="listMyFollowUpsDue"
)
def list_follow_ups(request: HttpRequest, within_days: Days = 0) -> list[dict[str, Any]]:
    """My keep-in-touch follow-ups due today or earlier (or within the coming days)."""
    return [
        {"id": f.pk, "contact": _person(f.rule.contact), "due": f.due}
        for f in follow_ups_due(_me(request), within_days=within_days)
    ]


@router.post(
    "/follow-ups/{follow_up_id}/done",
    response=schemas.write_answers(FollowUpDueOut),
    operation_id="markFollowUpDone",
)
def post_follow_up_done(request: HttpRequest, follow_up_id: schemas.Id) -> dict[str, Any]:
    """Mark a follow-up of mine done; answers the next one, scheduled by the cadence."""
    me = _me(request)
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("rule__contact", "rule__owner"),
        pk=follow_up_id,
        rule__owner=me,
        done__isnull=True,
    )
    following = follow_up_done(follow_up)
    return {"id": following.pk, "contact": _person(follow_up.rule.contact), "due": following.due}


def _connection(request: HttpRequest, member_id: int) -> tuple[Member, Member]:
    me = _me(request)
    contact = get_object_or_404(Member, pk=member_id)
    if not are_connected(me, contact):
        raise HttpError(404, "Not one of your connections.")
    return me, contact


def _note(note: ContactNote) -> dict[str, Any]:
    return {"id": note.pk, "text": note.text, "created": note.created}


@router.get(
    "/contacts/{member_id}/notes",
    response=schemas.answers(list[NoteOut]),
    operation_id="listContactNotes",
)
def list_notes(request: HttpRequest, member_id: schemas.Id) -> list[dict[str, Any]]:
    """My private notes about a connection, newest first."""
    me, contact = _connection(request, member_id)
    found = ContactNote.objects.filter(owner=me, contact=contact).order_by("-created", "-id")
    return [_note(n) for n in found[:200]]


@router.post(
    "/contacts/{member_id}/notes",
    response=schemas.write_answers(NoteOut, status=201),
    operation_id="addContactNote",
)
def post_note(request: HttpRequest, member_id: schemas.Id, data: NoteIn) -> Status[dict[str, Any]]:
    """Write a private note about a connection (nobody else reads it)."""
    me, contact = _connection(request, member_id)
    try:
        note = add_note(me, contact, data.text)
    except NotAContact as refused:
        raise HttpError(404, "Not one of your connections.") from refused
    return Status(201, _note(note))
