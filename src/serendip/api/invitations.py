"""Invitations and notifications in the API: the network feeds itself.

A member invites someone with a note and sees what became of their invitations; the club's
organisers list those waiting and approve (the person gets an account and a link) or decline,
as on ``/organise/invitations/``. A member reads their in-app notifications and marks them
read, as on ``/network/``. Writes go through ``network.invitations`` and
``network.notifications``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import AfterValidator

from serendip.api import schemas
from serendip.api.routes import PageOf, Pages
from serendip.api.schemas import Id, Line, Text
from serendip.events.access import is_club_organiser
from serendip.members.current import member_required
from serendip.members.models import Member
from serendip.network.invitations import InvitationRefused, decide, invite
from serendip.network.models import Invitation
from serendip.network.notifications import mark_all_read

router: Router = Router(tags=["invitations and notifications"])


def _an_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError as refused:
        raise ValueError("must be an email address") from refused
    return value


class InvitationIn(Schema):
    """Whom to invite and a personal note for them (the organisers read it too)."""

    model_config = {"extra": "forbid"}

    name: Annotated[str, Line(200, min_length=1)]
    email: Annotated[str, Line(254, min_length=3), AfterValidator(_an_email)]
    note: Annotated[str, Text(2000, min_length=1)]


class InvitationOut(Schema):
    """An invitation: whom, the note, where it stands; ``member_id`` once approved.

    ``already_member`` is for the organisers only (null for the inviter): telling the inviter
    would reveal who is a member.
    """

    id: int
    inviter: schemas.PersonOut
    name: str
    email: str
    note: str
    status: str
    created: dt.datetime
    member_id: int | None
    already_member: bool | None = None


class DecisionIn(Schema):
    approve: bool


class NotificationOut(Schema):
    id: int
    text: str
    url: str
    created: dt.datetime
    read: dt.datetime | None


class MarkedOut(Schema):
    """How many notifications were marked read."""

    marked: int


def _me(request: HttpRequest) -> Member:
    return member_required(request)


def _invitation(invitation: Invitation, *, organiser: bool) -> dict[str, Any]:
    inviter = invitation.inviter
    return {
        "id": invitation.pk,
        "inviter": {"id": inviter.pk, "name": inviter.full_name},
        **{name: getattr(invitation, name) for name in ("name", "email", "note", "status")},
        "created": invitation.created,
        "member_id": invitation.member_id,
        "already_member": getattr(invitation, "already_member", None) if organiser else None,
    }


@router.get(
    "/invitations",
    response=schemas.answers(list[InvitationOut]),
    operation_id="listMyInvitations",
)
def list_my_invitations(request: HttpRequest) -> list[dict[str, Any]]:
    """The invitations I sent, newest first, and what became of each."""
    me = _me(request)
    return [_invitation(i, organiser=False) for i in me.invitations.select_related("inviter")[:200]]


@router.post(
    "/invitations",
    response=schemas.write_answers(InvitationOut, status=201),
    operation_id="inviteSomeone",
)
def post_invitation(request: HttpRequest, data: InvitationIn) -> Status[dict[str, Any]]:
    """Ask the organisers to invite someone; 409 when they are already invited."""
    me = _me(request)
    try:
        invitation = invite(me, **data.model_dump())
    except InvitationRefused as refused:
        raise HttpError(409, str(refused)) from refused
    return Status(201, _invitation(invitation, organiser=False))


def _require_club_organiser(request: HttpRequest) -> User:
    """The organiser deciding: staff of the club (403 otherwise, as on the web)."""
    user = request.user
    if not isinstance(user, User) or not is_club_organiser(user):
        raise HttpError(403, "Only organisers may decide invitations.")
    return user


def _for_organisers() -> Any:
    # An address that already belongs to a member is flagged for the organisers only.
    return Invitation.objects.select_related("inviter").annotate(
        already_member=Exists(Member.objects.filter(email__iexact=OuterRef("email")))
    )


@router.get(
    "/invitations/pending",
    response=schemas.answers(list[InvitationOut]),
    operation_id="listPendingInvitations",
)
@paginate(Pages)
def list_pending_invitations(request: HttpRequest) -> Any:
    """Invitations waiting for an organiser's decision, oldest first (organisers)."""
    _require_club_organiser(request)
    found = _for_organisers().filter(status=Invitation.Status.PENDING).order_by("created", "id")
    return PageOf(found, lambda page: [_invitation(i, organiser=True) for i in page])


@router.post(
    "/invitations/{invitation_id}/decision",
    response=schemas.write_answers(InvitationOut),
    operation_id="decideInvitation",
)
def post_decision(request: HttpRequest, invitation_id: Id, data: DecisionIn) -> dict[str, Any]:
    """Approve (the person gets an account and an email to choose a password) or decline
    (organisers). 409 when it was already decided or the person is already a member."""
    organiser = _require_club_organiser(request)
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    try:
        decided = decide(invitation, approve=data.approve, by=organiser)
    except InvitationRefused as refused:
        raise HttpError(409, str(refused)) from refused
    return _invitation(_for_organisers().get(pk=decided.pk), organiser=True)


@router.get(
    "/notifications",
    response=schemas.answers(list[NotificationOut]),
    operation_id="listMyNotifications",
)
@paginate(Pages)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    """My notifications, newest first; ``unread=true`` for those not read yet."""
    found = _me(request).notifications.all()
    return found.filter(read__isnull=True) if unread else found


@router.post(
    "/notifications/read",
    response=schemas.write_answers(MarkedOut),
    operation_id="markNotificationsRead",
)
def post_notifications_read(request: HttpRequest) -> dict[str, int]:
    """Mark every unread notification of mine read."""
    return {"marked": mark_all_read(_me(request))}
