"""The outcome endpoints: record what came of an encounter, confirm or decline it, list mine.

A member lists the outcomes they are a party to; one outcome is readable by whoever may see
it (outcomes/access.py): the parties, organisers, and a sponsor for its own organisation's
confirmed outcomes. Amounts and notes are left out (null) for whoever may not see them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, TypeAlias

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import AfterValidator, StringConstraints

from serendip.api import schemas
from serendip.api.schemas import Id, Omittable, PersonOut, multi_line, single_line
from serendip.members.current import member_required
from serendip.members.models import Member
from serendip.network.models import Ask, Introduction
from serendip.outcomes import access
from serendip.outcomes.models import Outcome, OutcomeStatus
from serendip.outcomes.services import (
    NotAParty,
    OutcomeRefused,
    confirm_outcome,
    decline_outcome,
    edit_outcome,
    record_outcome,
    withdraw_outcome,
)
from serendip.programme.models import Meeting

router = Router(tags=["outcomes"])

# The outcome's own text fields: a code, an ISO currency and a private note, with their limits.
OutcomeKindCode: TypeAlias = Annotated[
    str,
    StringConstraints(max_length=12, pattern="^(deal|partnership|hire|investment|referral|help)$"),
    AfterValidator(single_line),
]
Currency: TypeAlias = Annotated[
    str, StringConstraints(max_length=3, pattern="^([A-Za-z]{3})?$"), AfterValidator(single_line)
]
Note: TypeAlias = Annotated[str, StringConstraints(max_length=4000), AfterValidator(multi_line)]
# An amount is written as text, as answers give it ("1500.50"): capped and exact, never a float.
Amount: TypeAlias = Annotated[
    str, StringConstraints(max_length=15, pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$")
]


class PartyOut(Schema):
    """Someone who lived the outcome, the organisation they were with, and their answer."""

    member: PersonOut
    organisation: str | None
    answer: str


class OutcomeOut(Schema):
    """An outcome; ``amount``, ``currency`` and ``note`` are null for whoever may not see them."""

    id: int
    kind: str
    happened_on: dt.date
    status: str
    amount: Decimal | None
    currency: str | None
    note: str | None
    recorded_by: PersonOut
    confirmed_on_organisers_word: bool
    parties: list[PartyOut]
    meeting: int | None
    introduction: int | None
    ask: int | None
    recorded_at: dt.datetime
    confirmed_at: dt.datetime | None


class OutcomeIn(Schema):
    """Record an outcome with one or more other members (ids)."""

    kind: OutcomeKindCode
    happened_on: dt.date
    parties: Annotated[list[Id], Field(min_length=1, max_length=20)]
    amount: Amount | None = None
    currency: Currency = ""
    note: Note = ""
    meeting: Id | None = None
    introduction: Id | None = None
    ask: Id | None = None


class OutcomePatch(Schema):
    """The fields to change; those left out stay as they are."""

    # Left out, a field stays as it is; null is refused except for the amount (which it clears).
    kind: Omittable[OutcomeKindCode] = None
    happened_on: Omittable[dt.date] = None
    amount: Amount | None = None
    currency: Omittable[Currency] = None
    note: Omittable[Note] = None


def _me(request: HttpRequest) -> Member:
    return member_required(request)


def _out(outcome: Outcome, request: HttpRequest, *, party: bool = False) -> dict[str, Any]:
    """The outcome as the requester may see it (``party``: known to be one of its parties)."""
    amounts = party or access.can_see_amounts(request.user, outcome)
    note = party or access.can_see_note(request.user, outcome)
    return {
        "id": outcome.pk,
        "kind": outcome.kind,
        "happened_on": outcome.happened_on,
        "status": outcome.status,
        "amount": outcome.amount if amounts else None,
        "currency": outcome.currency if amounts else None,
        "note": outcome.note if note else None,
        "recorded_by": {"id": outcome.recorded_by_id, "name": outcome.recorded_by.full_name},
        "confirmed_on_organisers_word": outcome.confirmed_on_word_of_id is not None,
        "parties": [
            {
                "member": {"id": p.member_id, "name": p.member.full_name},
                "organisation": p.organisation.name if p.organisation else None,
                "answer": p.answer,
            }
            for p in outcome.parties.all()
        ],
        "meeting": outcome.meeting_id,
        "introduction": outcome.introduction_id,
        "ask": outcome.ask_id,
        "recorded_at": outcome.recorded_at,
        "confirmed_at": outcome.confirmed_at,
    }


def _with_parties(queryset: Any) -> Any:
    return queryset.select_related("recorded_by").prefetch_related(
        "parties__member", "parties__organisation"
    )


def _visible(request: HttpRequest, outcome_id: int) -> Outcome:
    return get_object_or_404(_with_parties(access.visible_outcomes(request.user)), pk=outcome_id)


@router.get("/outcomes", response=schemas.answers(list[OutcomeOut]))
def list_outcomes(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    """The outcomes the member is a party to, newest first; ``?status=`` filters."""
    member = _me(request)
    found = Outcome.objects.filter(parties__member=member)
    if status:
        if status not in OutcomeStatus.values:
            raise HttpError(422, f"status: one of {', '.join(OutcomeStatus.values)}.")
        found = found.filter(status=status)
    # The member is a party to each: amounts and notes are theirs to see (no query per line).
    return [
        _out(o, request, party=True) for o in _with_parties(found.order_by("-happened_on", "-id"))
    ]


@router.get("/outcomes/{outcome_id}", response=schemas.answers(OutcomeOut))
def get_outcome(request: HttpRequest, outcome_id: int) -> dict[str, Any]:
    """One outcome the member may see."""
    return _out(_visible(request, outcome_id), request)


def _refused(refused: OutcomeRefused) -> HttpError:
    # Not one's to change: 403; otherwise the input or the outcome's state: 422.
    return HttpError(403 if isinstance(refused, NotAParty) else 422, str(refused))


@router.post("/outcomes", response=schemas.write_answers(OutcomeOut, status=201))
def post_outcome(request: HttpRequest, data: OutcomeIn) -> Status[dict[str, Any]]:
    """Record an outcome; the other parties are asked to confirm it. 422 with the reason."""
    member = _me(request)
    others = list(Member.objects.filter(pk__in=data.parties))
    if len(others) != len(set(data.parties)):
        raise HttpError(422, "parties: unknown member.")
    meeting = (
        get_object_or_404(Meeting.objects.select_related("round", "event"), pk=data.meeting)
        if data.meeting
        else None
    )
    introduction = (
        get_object_or_404(Introduction, pk=data.introduction) if data.introduction else None
    )
    ask = get_object_or_404(Ask, pk=data.ask) if data.ask else None
    amount = Decimal(data.amount) if data.amount else None
    try:
        outcome = record_outcome(
            by=member,
            kind=data.kind,
            happened_on=data.happened_on,
            parties=others,
            amount=amount,
            currency=data.currency,
            note=data.note,
            meeting=meeting,
            introduction=introduction,
            ask=ask,
            now=timezone.now(),
        )
    except OutcomeRefused as refused:
        raise _refused(refused) from refused
    return Status(201, _out(_visible(request, outcome.pk), request))


@router.post("/outcomes/{outcome_id}/confirm", response=schemas.write_answers(OutcomeOut))
def confirm(request: HttpRequest, outcome_id: int) -> dict[str, Any]:
    """A party confirms the outcome."""
    member = _me(request)
    outcome = _visible(request, outcome_id)
    try:
        confirm_outcome(outcome=outcome, by=member, now=timezone.now())
    except OutcomeRefused as refused:
        raise _refused(refused) from refused
    return _out(_visible(request, outcome_id), request)


@router.post("/outcomes/{outcome_id}/decline", response=schemas.write_answers(OutcomeOut))
def decline(request: HttpRequest, outcome_id: int) -> dict[str, Any]:
    """A party declines the outcome (it is kept, and never counts)."""
    member = _me(request)
    outcome = _visible(request, outcome_id)
    try:
        decline_outcome(outcome=outcome, by=member, now=timezone.now())
    except OutcomeRefused as refused:
        raise _refused(refused) from refused
    return _out(_visible(request, outcome_id), request)


@router.patch("/outcomes/{outcome_id}", response=schemas.write_answers(OutcomeOut))
def patch_outcome(request: HttpRequest, outcome_id: int, data: OutcomePatch) -> dict[str, Any]:
    """A party (or an organiser) changes the outcome; a confirmed one keeps what it was."""
    outcome = _visible(request, outcome_id)
    member = access.member_of(request.user)
    by = member if member is not None and access.is_party(request.user, outcome) else request.user
    changes = data.model_dump(exclude_unset=True)
    if changes.get("amount"):
        changes["amount"] = Decimal(changes["amount"])
    try:
        edit_outcome(outcome=outcome, by=by, now=timezone.now(), **changes)
    except OutcomeRefused as refused:
        raise _refused(refused) from refused
    return _out(_visible(request, outcome_id), request)


@router.post("/outcomes/{outcome_id}/withdraw", response=schemas.write_answers(OutcomeOut))
def withdraw(request: HttpRequest, outcome_id: int) -> dict[str, Any]:
    """A party (or an organiser) withdraws the outcome: it stops counting and stays in history."""
    outcome = _visible(request, outcome_id)
    member = access.member_of(request.user)
    by = member if member is not None and access.is_party(request.user, outcome) else request.user
    try:
        withdraw_outcome(outcome=outcome, by=by, now=timezone.now())
    except OutcomeRefused as refused:
        raise _refused(refused) from refused
    return _out(_visible(request, outcome_id), request)
