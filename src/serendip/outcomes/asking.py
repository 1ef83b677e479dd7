"""Asking at the right time: "did anything come of your meeting with X?"

A member is asked about a contact some weeks after a meeting held between them that both
rated green, or after which either asked for a follow-up. The delays come from
SERENDIP_OUTCOME_ASK_DAYS (first, last): asked from the first delay on; a meeting older than
the last delay is never asked about, and an unanswered question lapses (never nagging).
At most one question per member and contact, ever; none once an outcome between them is
recorded. Questions are put when the member's digest is written or their outcomes page is
opened, with an in-app notification; "nothing yet" is one tap.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from serendip.members.models import Member
from serendip.network.notifications import notify
from serendip.outcomes.chains import attendance_among
from serendip.outcomes.models import OutcomeParty, OutcomeQuestion
from serendip.programme.models import Colour, Meeting
from serendip.programme.reports import MeetingState, meeting_state

logger = logging.getLogger(__name__)


def delays() -> tuple[dt.timedelta, dt.timedelta]:
    """When to ask (first) and when it is too late to (last)."""
    days = list(settings.SERENDIP_OUTCOME_ASK_DAYS) or [30]
    first, last = days[0], days[-1]
    return dt.timedelta(days=first), dt.timedelta(days=max(first, last))


def lapse() -> dt.timedelta:
    """How long an unanswered question stays open: the time between the two delays (14 days at
    least), so that it is gone about when the last delay has passed."""
    first, last = delays()
    return max(last - first, dt.timedelta(days=14))


def _worth_asking(meeting: Meeting) -> bool:
    ratings = list(meeting.ratings.all())
    both_green = len(ratings) == 2 and all(r.colour == Colour.GREEN for r in ratings)
    return both_green or any(r.follow_up for r in ratings)


def put_questions(member: Member, *, now: dt.datetime) -> int:
    """Ask the member about the meetings now due for a question; returns how many were put."""
    first, last = delays()
    meetings = list(
        Meeting.objects.filter(Q(boss=member) | Q(sponsor=member))
        .filter(round__start__lte=now - first, round__start__gt=now - last)
        .select_related("round", "boss", "sponsor")
        .prefetch_related("ratings")
        .order_by("round__start")
    )
    if not meetings:
        return 0
    others = {m.other(member).pk for m in meetings}
    asked = set(
        OutcomeQuestion.objects.filter(member=member, other_id__in=others).values_list(
            "other_id", flat=True
        )
    )
    recorded = set(
        OutcomeParty.objects.filter(
            member_id__in=others, outcome__parties__member=member
        ).values_list("member_id", flat=True)
    )
    away = attendance_among({m.event_id for m in meetings}, {member.pk, *others})
    put = 0
    for meeting in meetings:
        other = meeting.other(member)
        if other.pk in asked or other.pk in recorded:
            continue
        if meeting_state(meeting, away[meeting.event_id], now) != MeetingState.HELD:
            continue
        if not _worth_asking(meeting):
            continue
        try:
            with transaction.atomic():
                question = OutcomeQuestion.objects.create(
                    member=member, other=other, meeting=meeting, asked_at=now
                )
        except IntegrityError:  # asked by a concurrent request: once is enough
            continue
        asked.add(other.pk)
        notify(
            member,
            _("Did anything come of your meeting with %(name)s?"),
            reverse("outcome-question", args=[question.pk]),
            name=other.full_name,
        )
        put += 1
    return put


def open_questions(member: Member, *, now: dt.datetime) -> list[OutcomeQuestion]:
    """The member's questions still waiting for an answer and not lapsed, oldest first."""
    return list(
        OutcomeQuestion.objects.filter(
            member=member, answered_at__isnull=True, asked_at__gt=now - lapse()
        )
        .select_related("other", "meeting__event")
        .order_by("asked_at", "id")
    )


def fresh_questions(member: Member, *, now: dt.datetime) -> list[OutcomeQuestion]:
    """The open questions put this past week: a weekly digest asks each question once."""
    return [q for q in open_questions(member, now=now) if q.asked_at > now - dt.timedelta(days=7)]


@transaction.atomic
def answer_nothing_yet(question: OutcomeQuestion, *, now: dt.datetime) -> OutcomeQuestion:
    """ "Nothing yet": the question is answered and never asked again."""
    updated = OutcomeQuestion.objects.filter(pk=question.pk, answered_at__isnull=True).update(
        answered_at=now, answer="nothing"
    )
    question.refresh_from_db()
    if updated:
        logger.info("outcome question %s: nothing yet", question.pk)
    return question
