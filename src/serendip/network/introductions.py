"""Warm, double opt-in introductions: requested, proposed, accepted by both or declined,
expired if nobody answers; contact details are shared only when both said yes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serendip.members.choices import ConnectionOrigin
from serendip.members.models import Member
from serendip.members.services import are_connected, connect
from serendip.network.graph import record
from serendip.network.models import (
    Answer,
    Ask,
    Introduction,
    IntroductionState,
    IntroductionStep,
)
from serendip.network.notifications import notify

OPEN = (IntroductionState.REQUESTED, IntroductionState.PROPOSED)


class IntroductionRefused(Exception):
    """An introduction that cannot be made; the message says why."""


def _step(introduction: Introduction, actor: Member | None, what: str) -> None:
    IntroductionStep.objects.create(introduction=introduction, actor=actor, what=what)


def introductions_of(member: Member) -> QuerySet[Introduction]:
    """Every introduction the member is part of."""
    return Introduction.objects.filter(
        Q(introducer=member) | Q(seeker=member) | Q(helper=member)
    ).select_related("introducer", "seeker", "helper", "ask")


def _check(introducer: Member, seeker: Member, helper: Member) -> None:
    if len({introducer.pk, seeker.pk, helper.pk}) < 3:
        raise IntroductionRefused(_("An introduction needs three different people."))
    if are_connected(seeker, helper):
        raise IntroductionRefused(_("They are already connected."))
    if not (are_connected(introducer, seeker) and are_connected(introducer, helper)):
        raise IntroductionRefused(_("The introducer must know both people."))
    if Introduction.objects.filter(
        Q(seeker=seeker, helper=helper) | Q(seeker=helper, helper=seeker), state__in=OPEN
    ).exists():
        raise IntroductionRefused(_("An introduction between them is already under way."))


@transaction.atomic
def request_introduction(
    seeker: Member, *, helper: Member, introducer: Member, ask: Ask | None = None
) -> Introduction:
    """The seeker asks a shared connection to introduce them to the helper."""
    _check(introducer, seeker, helper)
    introduction = Introduction.objects.create(
        introducer=introducer,
        seeker=seeker,
        helper=helper,
        ask=ask,
        state=IntroductionState.REQUESTED,
    )
    _step(introduction, seeker, "requested")
    notify(
        introducer,
        _("%(seeker)s asks you to introduce them to %(helper)s."),
        introduction.get_absolute_url(),
        seeker=seeker.full_name,
        helper=helper.full_name,
    )
    return introduction


@transaction.atomic
def propose_introduction(
    introducer: Member,
    *,
    seeker: Member,
    helper: Member,
    note: str,
    ask: Ask | None = None,
    requested: Introduction | None = None,
) -> Introduction:
    """The introducer proposes; both sides are asked, each in their own language.

    Raises IntroductionRefused when the introducer does not know both, or they already
    know each other.
    """
    if requested is not None:
        if (
            requested.introducer_id != introducer.pk
            or requested.state != IntroductionState.REQUESTED
        ):
            raise IntroductionRefused(_("This request is not yours to answer."))
        introduction = requested
    else:
        _check(introducer, seeker, helper)
        introduction = Introduction(introducer=introducer, seeker=seeker, helper=helper, ask=ask)
    introduction.note = note
    introduction.state = IntroductionState.PROPOSED
    introduction.expires = timezone.now() + dt.timedelta(days=settings.SERENDIP_INTRODUCTION_DAYS)
    introduction.save()
    _step(introduction, introducer, "proposed")
    for member, other in (
        (introduction.seeker, introduction.helper),
        (introduction.helper, introduction.seeker),
    ):
        notify(
            member,
            _("%(introducer)s would like to introduce you to %(other)s."),
            introduction.get_absolute_url(),
            introducer=introducer.full_name,
            other=other.full_name,
        )
    return introduction


@transaction.atomic
def answer_introduction(introduction: Introduction, member: Member, *, yes: bool) -> Introduction:
    """One side accepts or declines; both yes connects them and shares their contact details.

    Raises IntroductionRefused when the member is not asked or the introduction is closed.
    """
    introduction = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if introduction.state != IntroductionState.PROPOSED:
        raise IntroductionRefused(_("This introduction is closed."))
    answer = Answer.YES if yes else Answer.NO
    if member.pk == introduction.seeker_id:
        introduction.seeker_answer = answer
    elif member.pk == introduction.helper_id:
        introduction.helper_answer = answer
    else:
        raise IntroductionRefused(_("Only the two people introduced answer."))
    _step(introduction, member, "accepted" if yes else "declined")
    if not yes:
        introduction.state = IntroductionState.DECLINED
    elif introduction.seeker_answer == introduction.helper_answer == Answer.YES:
        introduction.state = IntroductionState.ACCEPTED
        connect(introduction.seeker, introduction.helper, how=ConnectionOrigin.INTRODUCED)
        record(introduction.seeker, introduction.helper, "introduction")
        record(introduction.introducer, introduction.seeker, "introduction")
        record(introduction.introducer, introduction.helper, "introduction")
        for person in (introduction.seeker, introduction.helper, introduction.introducer):
            notify(
                person,
                _("%(seeker)s and %(helper)s are now connected."),
                introduction.get_absolute_url(),
                seeker=introduction.seeker.full_name,
                helper=introduction.helper.full_name,
            )
    introduction.save()
    return introduction


def contacts_shared(introduction: Introduction) -> bool:
    """Contact details appear only when both sides said yes."""
    return introduction.state == IntroductionState.ACCEPTED


@transaction.atomic
def expire_and_remind(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Expire proposals past their date; remind whoever has not answered at half-time.

    Returns (expired, reminded).
    """
    now = now or timezone.now()
    expired = 0
    for introduction in Introduction.objects.filter(
        state=IntroductionState.PROPOSED, expires__lt=now
    ):
        introduction.state = IntroductionState.EXPIRED
        introduction.save(update_fields=["state"])
        _step(introduction, None, "expired")
        expired += 1
    half = dt.timedelta(days=settings.SERENDIP_INTRODUCTION_DAYS / 2)
    reminded = 0
    for introduction in Introduction.objects.filter(
        state=IntroductionState.PROPOSED, reminded__isnull=True, expires__lt=now + half
    ).select_related("seeker", "helper"):
        for member, answer in (
            (introduction.seeker, introduction.seeker_answer),
            (introduction.helper, introduction.helper_answer),
        ):
            if answer == Answer.PENDING:
                notify(
                    member,
                    _("An introduction is waiting for your answer."),
                    introduction.get_absolute_url(),
                )
        introduction.reminded = now
        introduction.save(update_fields=["reminded"])
        _step(introduction, None, "reminded")
        reminded += 1
    return expired, reminded
