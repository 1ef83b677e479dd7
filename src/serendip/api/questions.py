"""'Did anything come of your meeting with X?' in the API, as on ``/outcomes/``: the questions
waiting for my answer, and "nothing yet" in one call (outcomes.asking). Recording what came of
it is ``createOutcome``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from serendip.api import schemas
from serendip.api.schemas import Id
from serendip.members.current import current_member
from serendip.members.models import Member
from serendip.outcomes.asking import answer_nothing_yet, open_questions, put_questions
from serendip.outcomes.models import OutcomeQuestion

router: Router = Router(tags=["outcomes"])


class QuestionOut(Schema):
    """A question about someone met: whom, at which event's meeting, when it was asked."""

    id: int
    other: schemas.PersonOut
    meeting_id: int | None
    event: str | None
    asked_at: dt.datetime
    answer: str


def _me(request: HttpRequest) -> Member:
    member = current_member(request)
    if member is None:
        raise HttpError(403, "This account has no member profile.")
    return member


def _question(question: OutcomeQuestion) -> dict[str, Any]:
    meeting = question.meeting
    return {
        "id": question.pk,
        "other": {"id": question.other.pk, "name": question.other.full_name},
        "meeting_id": meeting.pk if meeting else None,
        "event": meeting.event.slug if meeting else None,
        "asked_at": question.asked_at,
        "answer": question.answer,
    }


@router.get(
    "/outcome-questions",
    response=schemas.answers(list[QuestionOut]),
    operation_id="listMyOutcomeQuestions",
)
def list_questions(request: HttpRequest) -> list[dict[str, Any]]:
    """The questions waiting for my answer, oldest first (the meetings now due are asked about
    first, as the outcomes page does)."""
    me, now = _me(request), timezone.now()
    put_questions(me, now=now)
    return [_question(q) for q in open_questions(me, now=now)]


@router.post(
    "/outcome-questions/{question_id}/nothing-yet",
    response=schemas.write_answers(QuestionOut),
    operation_id="answerNothingYet",
)
def post_nothing_yet(request: HttpRequest, question_id: Id) -> dict[str, Any]:
    """ "Nothing yet": the question is answered and never asked again (404 for another's)."""
    asked = get_object_or_404(
        OutcomeQuestion.objects.select_related("other", "meeting__event"),
        pk=question_id,
        member=_me(request),
    )
    return _question(answer_nothing_yet(asked, now=timezone.now()))
