"""The network endpoints: asks, offers, introductions, the ledger and thank-you notes.

Every endpoint answers for the signed-in member only: their visible asks, their own
offers, introductions they are part of, their own ledger.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from serendip.api import schemas
from serendip.api.schemas import Id
from serendip.members.current import member_required
from serendip.members.models import Member
from serendip.members.recommendations import not_now
from serendip.network.access import can_see_ask, is_asker
from serendip.network.asks import (
    OwnAsk,
    add_offer,
    close_ask,
    create_ask,
    helpers_for,
    offer_help,
    visible_asks,
    withdraw_offer,
)
from serendip.network.introductions import (
    IntroductionRefused,
    answer_introduction,
    contacts_shared,
    introductions_of,
    propose_introduction,
    request_introduction,
)
from serendip.network.ledger import ledger_of, record_help, thank_yous_for
from serendip.network.models import Ask, Introduction, Offer
from serendip.programme.services import want_to_meet

router = Router(tags=["network"])


def _me(request: HttpRequest) -> Member:
    return member_required(request)


def _person(member: Member | None) -> dict[str, Any] | None:
    return {"id": member.pk, "name": member.full_name} if member else None


def _ask(ask: Ask) -> dict[str, Any]:
    return {
        "id": ask.pk,
        "member": _person(ask.member),
        **{f: getattr(ask, f) for f in ("kind", "topic", "details", "urgency", "audience")},
        "open": ask.open,
        "created": ask.created,
    }


@router.get("/asks", response=schemas.answers(list[schemas.AskOut]))
def list_asks(request: HttpRequest) -> list[dict[str, Any]]:
    """The open asks the member may see."""
    return [_ask(a) for a in visible_asks(_me(request))]


@router.post(
    "/asks", response=schemas.write_answers(schemas.AskOut, status=201), operation_id="createAsk"
)
def post_ask(request: HttpRequest, data: schemas.AskIn) -> Status[dict[str, Any]]:
    """Ask the club; the matching connections are told."""
    return Status(201, _ask(create_ask(_me(request), **data.model_dump())))


def _visible_ask(request: HttpRequest, ask_id: int) -> tuple[Member, Ask]:
    member = _me(request)
    ask = get_object_or_404(Ask.objects.select_related("member"), pk=ask_id)
    if not can_see_ask(member, ask):
        raise HttpError(404, "Not found")
    return member, ask


@router.get("/asks/{ask_id}", response=schemas.answers(schemas.AskOut))
def get_ask(request: HttpRequest, ask_id: int) -> dict[str, Any]:
    """One ask, if its audience includes the member."""
    return _ask(_visible_ask(request, ask_id)[1])


@router.get(
    "/asks/{ask_id}/helpers",
    response=schemas.answers(list[schemas.HelperOut]),
    operation_id="listAskHelpers",
)
def ask_helpers(request: HttpRequest, ask_id: int) -> list[dict[str, Any]]:
    """Who can help with one's own ask, and through whom."""
    member, ask = _visible_ask(request, ask_id)
    if not is_asker(member, ask):
        raise HttpError(404, "Not found")
    return [
        {"helper": _person(h.helper), "offer": h.offer, "introducer": _person(h.introducer)}
        for h in helpers_for(ask)
    ]


@router.get("/offers", response=schemas.answers(list[schemas.OfferOut]))
def list_offers(request: HttpRequest) -> Any:
    """The member's own offers."""
    return Offer.objects.filter(member=_me(request))


@router.post(
    "/offers",
    response=schemas.write_answers(schemas.OfferOut, status=201),
    operation_id="createOffer",
)
def post_offer(request: HttpRequest, data: schemas.OfferIn) -> Status[Offer]:
    """List something the member can give."""
    return Status(201, add_offer(_me(request), **data.model_dump()))


def _introduction(introduction: Introduction, member: Member) -> dict[str, Any]:
    other = None
    if member.pk == introduction.seeker_id:
        other = introduction.helper
    elif member.pk == introduction.helper_id:
        other = introduction.seeker
    contact = None
    if other is not None and contacts_shared(introduction):
        contact = {"email": other.email, "phone": other.phone}
    return {
        "id": introduction.pk,
        "introducer": _person(introduction.introducer),
        "seeker": _person(introduction.seeker),
        "helper": _person(introduction.helper),
        "state": introduction.state,
        "note": introduction.note,
        "seeker_answer": introduction.seeker_answer,
        "helper_answer": introduction.helper_answer,
        "expires": introduction.expires,
        "contact": contact,
    }


@router.get("/introductions", response=schemas.answers(list[schemas.IntroductionOut]))
def list_introductions(request: HttpRequest) -> list[dict[str, Any]]:
    """Introductions the member is part of."""
    member = _me(request)
    return [_introduction(i, member) for i in introductions_of(member)]


def _mine(request: HttpRequest, introduction_id: int) -> tuple[Member, Introduction]:
    member = _me(request)
    introduction = get_object_or_404(
        introductions_of(member), pk=introduction_id
    )  # someone else's is simply not found
    return member, introduction


@router.get("/introductions/{introduction_id}", response=schemas.answers(schemas.IntroductionOut))
def get_introduction(request: HttpRequest, introduction_id: int) -> dict[str, Any]:
    """One of the member's introductions."""
    member, introduction = _mine(request, introduction_id)
    return _introduction(introduction, member)


@router.post(
    "/introductions",
    response=schemas.write_answers(schemas.IntroductionOut, status=201),
    operation_id="proposeIntroduction",
)
def post_introduction(request: HttpRequest, data: schemas.IntroductionIn) -> Status[dict[str, Any]]:
    """Introduce two of one's connections; 422 with the reason when it cannot be made."""
    member = _me(request)
    seeker = get_object_or_404(Member, pk=data.seeker)
    helper = get_object_or_404(Member, pk=data.helper)
    ask = None
    if data.ask is not None:
        # The ask's topic shows in the introduction: only one the requester may see (someone
        # else's restricted ask is simply not found), and only the seeker's own.
        ask = _visible_ask(request, data.ask)[1]
        if ask.member_id != seeker.pk:
            raise HttpError(422, "ask: an introduction can only serve the seeker's own ask.")
    try:
        introduction = propose_introduction(
            member, seeker=seeker, helper=helper, note=data.note, ask=ask
        )
    except IntroductionRefused as refused:
        raise HttpError(422, str(refused)) from refused
    return Status(201, _introduction(introduction, member))


@router.post(
    "/introductions/{introduction_id}/answer",
    response=schemas.write_answers(schemas.IntroductionOut),
    operation_id="answerIntroduction",
)
def answer(request: HttpRequest, introduction_id: int, data: schemas.AnswerIn) -> dict[str, Any]:
    """Accept or decline an introduction one is part of."""
    member, introduction = _mine(request, introduction_id)
    try:
        introduction = answer_introduction(introduction, member, yes=data.yes)
    except IntroductionRefused as refused:
        raise HttpError(422, str(refused)) from refused
    return _introduction(introduction, member)


def _entry(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "giver": _person(entry.giver),
        **{f: getattr(entry, f) for f in ("giver_name", "what", "when", "thank_you")},
    }


@router.get("/ledger", response=schemas.answers(list[schemas.GratitudeOut]))
def list_ledger(request: HttpRequest) -> list[dict[str, Any]]:
    """The member's own gratitude ledger."""
    return [_entry(e) for e in ledger_of(_me(request))]


@router.post(
    "/ledger",
    response=schemas.write_answers(schemas.GratitudeOut, status=201),
    operation_id="recordHelp",
)
def post_ledger(request: HttpRequest, data: schemas.GratitudeIn) -> Status[dict[str, Any]]:
    """Write down who helped; 422 when neither a member nor a name is given."""
    member = _me(request)
    fields = data.model_dump(exclude={"giver"})
    giver = get_object_or_404(Member, pk=data.giver) if data.giver is not None else None
    if giver is None and not data.giver_name:
        raise HttpError(422, "giver: say who helped you (a member id or a name).")
    if giver == member:
        raise HttpError(422, "giver: one does not thank oneself.")
    return Status(201, _entry(record_help(member, giver=giver, **fields)))


@router.get("/thanks", response=schemas.answers(list[schemas.ThankYouOut]))
def list_thanks(request: HttpRequest) -> list[dict[str, Any]]:
    """Thank-you notes the member received (no count of what they gave)."""
    return [
        {"receiver": _person(g.receiver), "thank_you": g.thank_you, "when": g.when}
        for g in thank_yous_for(_me(request))
    ]


# --- acting on asks and offers, and on "People to meet" ----------------------------------------


class IntroductionRequestIn(Schema):
    """Whom the asker wants to meet (a helper of ``listAskHelpers``) and through whom."""

    model_config = {"extra": "forbid"}

    helper: Id
    introducer: Id


class WishOut(Schema):
    """The event where the wish will weigh (its short name), or null: the next both attend."""

    event: str | None


@router.post(
    "/asks/{ask_id}/close", response=schemas.write_answers(schemas.AskOut), operation_id="closeAsk"
)
def post_close_ask(request: HttpRequest, ask_id: Id) -> dict[str, Any]:
    """Close my own ask: helpers stop seeing it (403 for someone else's)."""
    member, ask = _visible_ask(request, ask_id)
    if not close_ask(ask, member=member):
        raise HttpError(403, "Only the asker closes an ask.")
    return _ask(ask)


@router.post(
    "/asks/{ask_id}/help",
    response=schemas.write_answers(None, status=204),
    operation_id="offerHelp",
)
def post_offer_help(request: HttpRequest, ask_id: Id) -> Status[None]:
    """ "I can help": the asker is told who offers (403 for one's own ask)."""
    member, ask = _visible_ask(request, ask_id)
    try:
        offer_help(ask, helper=member)
    except OwnAsk as refused:
        raise HttpError(403, "This is your own ask.") from refused
    return Status(204, None)


@router.post(
    "/asks/{ask_id}/introduction-request",
    response=schemas.write_answers(schemas.IntroductionOut, status=201),
    operation_id="requestIntroduction",
)
def post_introduction_request(
    request: HttpRequest, ask_id: Id, data: IntroductionRequestIn
) -> Status[dict[str, Any]]:
    """Ask a shared connection to introduce me to a helper for my ask (403 for someone else's);
    422 with the reason when the introduction cannot be made."""
    member, ask = _visible_ask(request, ask_id)
    if not is_asker(member, ask):
        raise HttpError(403, "Only the asker asks for an introduction for this ask.")
    helper = get_object_or_404(Member, pk=data.helper)
    introducer = get_object_or_404(Member, pk=data.introducer)
    try:
        introduction = request_introduction(member, helper=helper, introducer=introducer, ask=ask)
    except IntroductionRefused as refused:
        raise HttpError(422, str(refused)) from refused
    return Status(201, _introduction(introduction, member))


@router.delete(
    "/offers/{offer_id}",
    response=schemas.write_answers(None, status=204),
    operation_id="withdrawOffer",
)
def delete_offer(request: HttpRequest, offer_id: Id) -> Status[None]:
    """Take one of my offers off the list (404 for someone else's)."""
    if not withdraw_offer(_me(request), offer_id=offer_id):
        raise HttpError(404, "No such offer of yours.")
    return Status(204, None)


def _someone_else(request: HttpRequest, member_id: int) -> tuple[Member, Member]:
    me = _me(request)
    other = get_object_or_404(Member, pk=member_id)
    if other.pk == me.pk:
        raise HttpError(403, "Not for oneself.")
    return me, other


@router.post(
    "/members/{member_id}/wish",
    response=schemas.write_answers(WishOut),
    operation_id="wishToMeet",
)
def post_wish(request: HttpRequest, member_id: Id) -> dict[str, Any]:
    """ "I'd like to meet": a wish for the next event we both attend (its name, or null)."""
    me, other = _someone_else(request, member_id)
    event = want_to_meet(me, other)
    return {"event": event.slug if event else None}


@router.post(
    "/members/{member_id}/not-now",
    response=schemas.write_answers(None, status=204),
    operation_id="notNow",
)
def post_not_now(request: HttpRequest, member_id: Id) -> Status[None]:
    """ "Not now": the person leaves my recommendations for 90 days."""
    me, other = _someone_else(request, member_id)
    not_now(me, other)
    return Status(204, None)
