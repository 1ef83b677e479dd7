"""Recording, confirming, declining, editing and withdrawing outcomes: every write goes here.

Each function runs in a transaction, writes a line of the outcome's history (OutcomeChange)
and the application log. Confirmed outcomes are history: an edit keeps what it was in the
history line, withdrawing keeps the row (status "withdrawn"), nothing is ever deleted.
Credits (OutcomeCredit) are written when an outcome becomes confirmed, rewritten when a
confirmed outcome is edited, and removed when it is withdrawn, so that the reports add them
up with SQL.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serendip.events.access import is_club_organiser
from serendip.members.models import Member
from serendip.network.models import Ask, Introduction, IntroductionState
from serendip.network.notifications import notify
from serendip.outcomes.attribution import RULES, credit
from serendip.outcomes.chains import touches_for
from serendip.outcomes.models import (
    Outcome,
    OutcomeChange,
    OutcomeCredit,
    OutcomeKind,
    OutcomeParty,
    OutcomeQuestion,
    OutcomeStatus,
    PartyAnswer,
)
from serendip.outcomes.signals import credits_written
from serendip.programme.models import Meeting
from serendip.programme.reports import MeetingState, attendance_of, meeting_state

logger = logging.getLogger(__name__)

EDITABLE = ("kind", "happened_on", "amount", "currency", "note")


class OutcomeRefused(Exception):
    """An outcome change that the rules do not allow; the message says why, for the member."""


class NotAParty(OutcomeRefused):
    """The change is for the people who lived the outcome (or an organiser), not this person."""


def _user(member: Member) -> AbstractBaseUser | None:
    return member.user if member.user_id else None  # type: ignore[return-value]


def _trace(
    outcome: Outcome, actor: Any, action: str, now: dt.datetime, **params: Any
) -> OutcomeChange:
    """Write a line of the outcome's history and of the application log."""
    logger.info("outcome %s %s by user %s", outcome.pk, action, getattr(actor, "pk", None))
    return OutcomeChange.objects.create(
        outcome=outcome, actor=actor, action=action, params=params, at=now
    )


def _as_json(value: object) -> object:
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    return value


def _check_fields(
    *, kind: str, happened_on: dt.date, amount: Decimal | None, currency: str, now: dt.datetime
) -> str:
    if kind not in OutcomeKind.values:
        raise OutcomeRefused(_("Choose what came of it."))
    # The club's calendar day, not UTC's: just after midnight a deal of "today" is no future.
    if happened_on > timezone.localdate(now):
        raise OutcomeRefused(_("An outcome is recorded once it has happened."))
    if amount is not None and amount < 0:
        raise OutcomeRefused(_("The amount cannot be negative."))
    currency = (currency or "").strip().upper()
    if currency and (len(currency) != 3 or not currency.isalpha()):
        raise OutcomeRefused(_("The currency is a three-letter code, such as EUR."))
    if amount is not None and not currency:
        raise OutcomeRefused(_("Give the amount's currency, such as EUR."))
    return currency


def _check_origin(
    by: Member,
    others: set[int],
    *,
    meeting: Meeting | None,
    introduction: Introduction | None,
    ask: Ask | None,
    now: dt.datetime,
) -> None:
    """Where it was recorded from must be the recorder's own story, with the other party in it."""
    if meeting is not None:
        pair = {meeting.boss_id, meeting.sponsor_id}
        if by.pk not in pair or not (pair - {by.pk}) <= others:
            raise OutcomeRefused(
                _("Record an outcome from one of your own meetings, with the person you met.")
            )
        if meeting_state(meeting, attendance_of(meeting.event), now) != MeetingState.HELD:
            raise OutcomeRefused(_("This meeting has not been held."))
    if introduction is not None:
        pair = {introduction.seeker_id, introduction.helper_id}
        if by.pk not in pair or not (pair - {by.pk}) <= others:
            raise OutcomeRefused(
                _("Record an outcome from your own introduction, with the other person.")
            )
        if introduction.state != IntroductionState.ACCEPTED:
            raise OutcomeRefused(_("This introduction was not accepted by both."))
    if ask is not None and by.pk != ask.member_id and ask.member_id not in others:
        raise OutcomeRefused(_("Record an outcome from an ask with the person who asked."))


def _write_credits(outcome: Outcome, now: dt.datetime) -> None:
    """The outcome's credits under every rule, from its chain of encounters."""
    OutcomeCredit.objects.filter(outcome=outcome).delete()
    touches = touches_for(outcome, now=now)
    OutcomeCredit.objects.bulk_create(
        OutcomeCredit(
            outcome=outcome,
            rule=rule,
            event_id=c.event_id,
            introducer_id=c.introducer_id,
            share=min(max(c.share, 0.0), 1.0),
        )
        for rule in RULES
        for c in credit(touches, rule)
    )
    credits_written.send(sender=Outcome, outcome=outcome)


def _answer_questions(outcome: Outcome, now: dt.datetime) -> None:
    """Questions about these parties are answered by the outcome itself."""
    ids = [p.member_id for p in outcome.parties.all()]
    OutcomeQuestion.objects.filter(
        member_id__in=ids, other_id__in=ids, answered_at__isnull=True
    ).update(answered_at=now, answer="recorded")


@transaction.atomic
def record_outcome(
    *,
    by: Member,
    kind: str,
    happened_on: dt.date,
    parties: Sequence[Member],
    amount: Decimal | None = None,
    currency: str = "",
    note: str = "",
    meeting: Meeting | None = None,
    introduction: Introduction | None = None,
    ask: Ask | None = None,
    now: dt.datetime,
) -> Outcome:
    """Record an outcome lived by ``by`` and the other parties, who are asked to confirm it.

    ``parties`` are the other members (``by`` may be listed too). Raises OutcomeRefused.
    """
    currency = _check_fields(
        kind=kind, happened_on=happened_on, amount=amount, currency=currency, now=now
    )
    others = {m.pk: m for m in parties if m.pk != by.pk}
    if not others:
        raise OutcomeRefused(_("An outcome is lived by at least two members: name the other."))
    _check_origin(by, set(others), meeting=meeting, introduction=introduction, ask=ask, now=now)
    outcome = Outcome.objects.create(
        kind=kind,
        happened_on=happened_on,
        amount=amount,
        currency=currency,
        note=note,
        recorded_by=by,
        status=OutcomeStatus.PROPOSED,
        recorded_at=now,
        updated_at=now,
        meeting=meeting,
        introduction=introduction,
        ask=ask,
    )
    OutcomeParty.objects.bulk_create(
        [
            OutcomeParty(
                outcome=outcome,
                member=by,
                organisation_id=by.organisation_id,
                answer=PartyAnswer.CONFIRMED,
                answered_at=now,
            ),
            *(
                OutcomeParty(outcome=outcome, member=m, organisation_id=m.organisation_id)
                for m in others.values()
            ),
        ]
    )
    _trace(outcome, _user(by), "recorded", now, kind=kind, parties=sorted([by.pk, *others]))
    _answer_questions(outcome, now)
    for member in others.values():
        notify(
            member,
            _("%(name)s recorded something that came of your encounters: please confirm it."),
            outcome.get_absolute_url(),
            name=by.full_name,
        )
    return outcome


def _locked(outcome: Outcome) -> Outcome:
    return Outcome.objects.select_for_update().get(pk=outcome.pk)


def _party(outcome: Outcome, member: Member) -> OutcomeParty:
    party = OutcomeParty.objects.select_for_update().filter(outcome=outcome, member=member).first()
    if party is None:
        raise NotAParty(_("Only the people who lived it answer for it."))
    return party


def _become_confirmed(outcome: Outcome, now: dt.datetime) -> None:
    outcome.status = OutcomeStatus.CONFIRMED
    outcome.confirmed_at = now
    outcome.updated_at = now
    outcome.save(update_fields=["status", "confirmed_at", "updated_at"])
    _write_credits(outcome, now)


@transaction.atomic
def confirm_outcome(*, outcome: Outcome, by: Member, now: dt.datetime) -> Outcome:
    """A party confirms; once every party has, the outcome is confirmed and credited."""
    outcome = _locked(outcome)
    party = _party(outcome, by)
    if outcome.status not in (OutcomeStatus.PROPOSED, OutcomeStatus.CONFIRMED):
        raise OutcomeRefused(_("This outcome is closed."))
    if party.answer == PartyAnswer.CONFIRMED:
        return outcome
    if party.answer == PartyAnswer.DECLINED:
        raise OutcomeRefused(_("You declined this outcome."))
    party.answer, party.answered_at = PartyAnswer.CONFIRMED, now
    party.save(update_fields=["answer", "answered_at"])
    _trace(outcome, _user(by), "confirmed", now, member=by.pk)
    waiting = outcome.parties.exclude(answer=PartyAnswer.CONFIRMED).exists()
    if outcome.status == OutcomeStatus.PROPOSED and not waiting:
        _become_confirmed(outcome, now)
        notify(
            outcome.recorded_by,
            _("%(name)s confirmed what came of your encounters."),
            outcome.get_absolute_url(),
            name=by.full_name,
        )
    return outcome


@transaction.atomic
def decline_outcome(*, outcome: Outcome, by: Member, now: dt.datetime) -> Outcome:
    """A party says it did not happen like that: the outcome is declined (and kept)."""
    outcome = _locked(outcome)
    party = _party(outcome, by)
    if outcome.status != OutcomeStatus.PROPOSED:
        raise OutcomeRefused(_("Only an outcome waiting for answers can be declined."))
    if party.answer != PartyAnswer.PENDING:
        raise OutcomeRefused(_("You have already answered."))
    party.answer, party.answered_at = PartyAnswer.DECLINED, now
    party.save(update_fields=["answer", "answered_at"])
    outcome.status, outcome.updated_at = OutcomeStatus.DECLINED, now
    outcome.save(update_fields=["status", "updated_at"])
    _trace(outcome, _user(by), "declined", now, member=by.pk)
    notify(
        outcome.recorded_by,
        _("%(name)s did not confirm what you recorded."),
        outcome.get_absolute_url(),
        name=by.full_name,
    )
    return outcome


@transaction.atomic
def confirm_on_word_of(*, outcome: Outcome, organiser: Any, now: dt.datetime) -> Outcome:
    """An organiser confirms on a party's word (shown as such); the others may still answer."""
    if not is_club_organiser(organiser):
        raise NotAParty(_("Only an organiser may confirm on someone's word."))
    outcome = _locked(outcome)
    if outcome.status != OutcomeStatus.PROPOSED:
        raise OutcomeRefused(_("Only an outcome waiting for answers can be confirmed."))
    outcome.confirmed_on_word_of = organiser
    outcome.save(update_fields=["confirmed_on_word_of"])
    _become_confirmed(outcome, now)
    _trace(outcome, organiser, "confirmed on word", now)
    return outcome


def _may_change(outcome: Outcome, by: Any) -> Any:
    """The acting user, if a party (a Member) or an organiser (a User) may change the outcome."""
    if isinstance(by, Member):
        if not outcome.parties.filter(member=by).exists():
            raise NotAParty(_("Only the people who lived it change it."))
        return _user(by)
    if is_club_organiser(by):
        return by
    raise NotAParty(_("Only the people who lived it change it."))


@transaction.atomic
def edit_outcome(
    *, outcome: Outcome, by: Member | Any, now: dt.datetime, **changes: Any
) -> Outcome:
    """Change what, when, how much or the note; a confirmed outcome keeps what it was.

    ``by`` is a party (Member) or an organiser (User). Raises OutcomeRefused.
    """
    outcome = _locked(outcome)
    actor = _may_change(outcome, by)
    if outcome.status in (OutcomeStatus.WITHDRAWN, OutcomeStatus.DECLINED):
        raise OutcomeRefused(_("This outcome is closed."))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = {name: getattr(outcome, name) for name in EDITABLE}
    after = {**before, **changes}
    after["currency"] = _check_fields(
        kind=after["kind"],
        happened_on=after["happened_on"],
        amount=after["amount"],
        currency=after["currency"],
        now=now,
    )
    changed = [name for name in EDITABLE if after[name] != before[name]]
    if not changed:
        return outcome
    for name in changed:
        setattr(outcome, name, after[name])
    outcome.updated_at = now
    outcome.save(update_fields=[*changed, "updated_at"])
    # The trace says what it was; the note's text stays private (only that it changed).
    was = {n: _as_json(before[n]) for n in changed if n != "note"}
    _trace(outcome, actor, "edited", now, changed=changed, was=was)
    if outcome.status == OutcomeStatus.CONFIRMED and "happened_on" in changed:
        _write_credits(outcome, now)
    return outcome


@transaction.atomic
def withdraw_outcome(*, outcome: Outcome, by: Member | Any, now: dt.datetime) -> Outcome:
    """Withdraw an outcome: it no longer counts, but it stays in the history."""
    outcome = _locked(outcome)
    actor = _may_change(outcome, by)
    if outcome.status == OutcomeStatus.WITHDRAWN:
        return outcome
    if outcome.status == OutcomeStatus.DECLINED:
        raise OutcomeRefused(_("This outcome is closed."))
    was = outcome.status
    outcome.status, outcome.updated_at = OutcomeStatus.WITHDRAWN, now
    outcome.save(update_fields=["status", "updated_at"])
    OutcomeCredit.objects.filter(outcome=outcome).delete()
    _trace(outcome, actor, "withdrawn", now, was=was)
    return outcome


def forget_member(member: Member, *, actor: Any, now: dt.datetime) -> None:
    """On erasure: confirmed outcomes stay (with the anonymous member), what was only pending
    with them is withdrawn, the notes they wrote and the questions about them go.

    Runs inside the erasure's transaction (members/privacy.py).
    """
    pending = Outcome.objects.filter(parties__member=member, status=OutcomeStatus.PROPOSED)
    for outcome in pending.distinct():
        outcome.status, outcome.updated_at = OutcomeStatus.WITHDRAWN, now
        outcome.save(update_fields=["status", "updated_at"])
        _trace(outcome, actor, "anonymised", now)
    # Their private note about an outcome goes; the outcome, its amount and credits stay.
    Outcome.objects.filter(recorded_by=member).exclude(note="").update(note="")
    OutcomeQuestion.objects.filter(Q(member=member) | Q(other=member)).delete()


def export_outcomes(member: Member) -> list[dict[str, Any]]:
    """The outcomes the member is a party to, for their data download."""
    found = (
        Outcome.objects.filter(parties__member=member)
        .prefetch_related("parties__member")
        .order_by("happened_on", "pk")
    )
    return [
        {
            "kind": o.kind,
            "happened_on": o.happened_on.isoformat(),
            "status": o.status,
            "amount": str(o.amount) if o.amount is not None else None,
            "currency": o.currency,
            "note": o.note,
            "with": [
                {"id": p.member_id, "name": p.member.full_name, "answer": p.answer}
                for p in o.parties.all()
                if p.member_id != member.pk
            ],
        }
        for o in found
    ]
