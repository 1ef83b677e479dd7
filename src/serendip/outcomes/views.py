"""The outcome pages: record one (from a meeting, a contact, an introduction or an ask), my
outcomes with what waits for my answer, an outcome with its chain of encounters, the
question "did anything come of it?". Amounts and notes follow outcomes/access.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from serendip.events.access import is_club_organiser
from serendip.members.current import member_required
from serendip.members.models import Member
from serendip.network.access import can_see_ask, is_asker
from serendip.network.graph import connection_ids
from serendip.network.models import Ask, Introduction, IntroductionState
from serendip.outcomes import access
from serendip.outcomes.asking import answer_nothing_yet, open_questions, put_questions
from serendip.outcomes.chains import chains_for
from serendip.outcomes.forms import EditForm, RecordForm
from serendip.outcomes.models import (
    Outcome,
    OutcomeParty,
    OutcomeQuestion,
    OutcomeStatus,
    PartyAnswer,
)
from serendip.outcomes.services import (
    OutcomeRefused,
    confirm_on_word_of,
    confirm_outcome,
    decline_outcome,
    edit_outcome,
    record_outcome,
    withdraw_outcome,
)
from serendip.programme.models import Meeting


def me(request: HttpRequest) -> Member:
    """The signed-in member; a 403 that says so for an account without a profile."""
    return member_required(request)


def _int(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise BadRequest("not a number") from None


def _met_ids(member: Member) -> set[int]:
    """The people the member was planned to meet in rounds already over (held is checked later)."""
    pairs = Meeting.objects.filter(
        Q(boss=member) | Q(sponsor=member), round__start__lt=timezone.now()
    ).values_list("boss_id", "sponsor_id")
    return {b if a == member.pk else a for a, b in pairs}


@login_required
def record(request: HttpRequest) -> HttpResponse:
    """Record an outcome; ``?meeting=``, ``?introduction=``, ``?ask=`` or ``?with=`` say whence.

    The form posts back to the same address, so where it came from stays in the query.
    """
    member = me(request)
    source = request.GET
    meeting = introduction = ask = None
    fixed: Member | None = None
    candidates: set[int] = set()
    if (pk := _int(source.get("meeting"))) is not None:
        meeting = get_object_or_404(
            Meeting.objects.select_related("round", "event", "boss", "sponsor").filter(
                Q(boss=member) | Q(sponsor=member)
            ),
            pk=pk,
        )
        fixed = meeting.other(member)
    elif (pk := _int(source.get("introduction"))) is not None:
        introduction = get_object_or_404(
            Introduction.objects.select_related("seeker", "helper", "introducer").filter(
                Q(seeker=member) | Q(helper=member), state=IntroductionState.ACCEPTED
            ),
            pk=pk,
        )
        fixed = introduction.helper if introduction.seeker_id == member.pk else introduction.seeker
    elif (pk := _int(source.get("ask"))) is not None:
        ask = get_object_or_404(Ask.objects.select_related("member"), pk=pk)
        if not can_see_ask(member, ask):
            raise Http404("not visible to you")
        if not is_asker(member, ask):
            fixed = ask.member
        else:
            candidates = set(
                ask.introductions.filter(state=IntroductionState.ACCEPTED).values_list(
                    "helper_id", flat=True
                )
            )
    if fixed is None:
        candidates |= set(connection_ids(member)) | _met_ids(member)
        candidates.discard(member.pk)
    else:
        candidates = {fixed.pk}
    initial: dict[str, Any] = {}
    if fixed is not None:
        initial["other"] = fixed.pk
    elif (pk := _int(source.get("with"))) is not None and pk in candidates:
        initial["other"] = pk
    form = RecordForm(candidates, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = record_outcome(
                by=member,
                kind=data["kind"],
                happened_on=data["happened_on"],
                parties=[data["other"]],
                amount=data["amount"],
                currency=data["currency"],
                note=data["note"],
                meeting=meeting,
                introduction=introduction,
                ask=ask,
                now=timezone.now(),
            )
        except OutcomeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Recorded. %(name)s is asked to confirm it.") % {"name": data["other"].full_name},
            )
            return redirect(outcome)
    return render(
        request,
        "outcomes/record.html",
        {
            "form": form,
            "fixed": fixed,
            "meeting": meeting,
            "introduction": introduction,
            "ask": ask,
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My outcomes, what waits for my answer, and the questions about my meetings."""
    member = me(request)
    now = timezone.now()
    put_questions(member, now=now)
    outcomes = list(
        Outcome.objects.filter(parties__member=member)
        .prefetch_related("parties__member")
        .order_by("-happened_on", "-id")
    )
    waiting_ids = set(
        OutcomeParty.objects.filter(
            member=member,
            answer=PartyAnswer.PENDING,
            outcome__status__in=[OutcomeStatus.PROPOSED, OutcomeStatus.CONFIRMED],
        ).values_list("outcome_id", flat=True)
    )
    for outcome in outcomes:
        outcome.others = [p.member for p in outcome.parties.all() if p.member_id != member.pk]  # type: ignore[attr-defined]
    # Organisers see what waits for a confirmation club-wide: they may confirm on someone's word.
    unconfirmed = (
        list(
            Outcome.objects.filter(status=OutcomeStatus.PROPOSED)
            .exclude(pk__in=[o.pk for o in outcomes])
            .select_related("recorded_by")
            .order_by("-recorded_at", "-id")[:50]
        )
        if is_club_organiser(request.user)
        else []
    )
    return render(
        request,
        "outcomes/mine.html",
        {
            "waiting": [o for o in outcomes if o.pk in waiting_ids],
            "outcomes": [o for o in outcomes if o.pk not in waiting_ids],
            "questions": open_questions(member, now=now),
            "unconfirmed": unconfirmed,
        },
    )


def _answer(request: HttpRequest, outcome: Outcome, member: Member | None) -> None:
    now = timezone.now()
    action = request.POST.get("action")
    if action == "confirm" and member is not None:
        confirm_outcome(outcome=outcome, by=member, now=now)
        messages.success(request, _("Confirmed. Thank you."))
    elif action == "decline" and member is not None:
        decline_outcome(outcome=outcome, by=member, now=now)
        messages.success(request, _("Declined: it will not count."))
    elif action == "withdraw":
        withdraw_outcome(outcome=outcome, by=member or request.user, now=now)
        messages.success(request, _("Withdrawn: it no longer counts, and stays in the history."))
    elif action == "word" and is_club_organiser(request.user):
        confirm_on_word_of(outcome=outcome, organiser=request.user, now=now)
        messages.success(request, _("Confirmed on their word; shown as such."))
    else:
        raise BadRequest("unknown action")


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An outcome: who, what, when, the chain of encounters before it, its history."""
    outcome = get_object_or_404(
        access.visible_outcomes(request.user).select_related(
            "recorded_by", "confirmed_on_word_of", "meeting__event", "introduction", "ask"
        ),
        pk=pk,
    )
    parties = list(outcome.parties.select_related("member", "organisation"))
    member = access.member_of(request.user)
    mine = next((p for p in parties if member is not None and p.member_id == member.pk), None)
    organiser = is_club_organiser(request.user)
    if request.method == "POST":
        if mine is None and not organiser:
            raise Http404("not yours")
        try:
            _answer(request, outcome, member if mine is not None else None)
        except OutcomeRefused as refused:
            messages.error(request, str(refused))
        return redirect(outcome)
    open_ = outcome.status in (OutcomeStatus.PROPOSED, OutcomeStatus.CONFIRMED)
    return render(
        request,
        "outcomes/detail.html",
        {
            "outcome": outcome,
            "parties": parties,
            "mine": mine,
            "organiser": organiser,
            "amounts": access.can_see_amounts(request.user, outcome),
            "note": access.can_see_note(request.user, outcome),
            "steps": chains_for([outcome])[outcome.pk],
            "changes": outcome.changes.select_related("actor") if mine or organiser else [],
            "can_answer": mine is not None and mine.answer == PartyAnswer.PENDING and open_,
            "can_decline": mine is not None
            and mine.answer == PartyAnswer.PENDING
            and outcome.status == OutcomeStatus.PROPOSED,
            "can_change": open_ and (mine is not None or organiser),
            "can_confirm_on_word": organiser and outcome.status == OutcomeStatus.PROPOSED,
        },
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an outcome (a party or an organiser); a confirmed one keeps what it was."""
    outcome = get_object_or_404(access.visible_outcomes(request.user), pk=pk)
    member = access.member_of(request.user)
    party = member is not None and outcome.parties.filter(member=member).exists()
    if not party and not is_club_organiser(request.user):
        raise Http404("not yours")
    form = EditForm.of(outcome, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edit_outcome(
                outcome=outcome,
                by=member if party else request.user,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except OutcomeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Saved."))
            return redirect(outcome)
    return render(request, "outcomes/edit.html", {"outcome": outcome, "form": form})


@login_required
def question(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Did anything come of your meeting with X?": nothing yet (one tap), or record it."""
    member = me(request)
    asked = get_object_or_404(
        OutcomeQuestion.objects.select_related("other", "meeting__event"), pk=pk, member=member
    )
    if request.method == "POST":
        answer_nothing_yet(asked, now=timezone.now())
        messages.success(request, _("Noted: we will not ask again."))
        return redirect("outcomes")
    return render(request, "outcomes/question.html", {"question": asked})
