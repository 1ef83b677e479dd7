"""Asking at the right time: once per contact, some weeks after a good meeting, never nagging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from serendip.network.digest import digest_message, sections_for
from serendip.network.models import DigestKind, Notification
from serendip.outcomes.asking import open_questions, put_questions
from serendip.outcomes.models import OutcomeQuestion
from serendip.outcomes.services import record_outcome
from tests.outcomes.club import Club, build_club

pytestmark = pytest.mark.django_db


@pytest.fixture
def club() -> Club:
    return build_club()


def test_asked_once_about_a_contact_met_weeks_ago_both_green(club: Club) -> None:
    now = timezone.now()
    # Spring (100 days ago, both green) is due; autumn (20 days ago) is not yet: one question.
    assert put_questions(club.ada, now=now) == 1
    question = OutcomeQuestion.objects.get(member=club.ada)
    assert question.other == club.sam and question.meeting == club.spring_meeting
    assert Notification.objects.filter(
        member=club.ada, url=reverse("outcome-question", args=[question.pk])
    ).exists()
    # At most one question per contact, however many meetings: asking again puts none.
    assert put_questions(club.ada, now=now + dt.timedelta(days=15)) == 0
    assert OutcomeQuestion.objects.filter(member=club.ada).count() == 1


def test_a_follow_up_asked_is_worth_a_question_too(club: Club) -> None:
    # 40 days on, the autumn meeting (Ada asked a follow-up, not both green) is due for Sam.
    OutcomeQuestion.objects.all().delete()
    later = timezone.now() + dt.timedelta(days=15)
    with override_settings(SERENDIP_OUTCOME_ASK_DAYS=(30, 60)):
        # Spring is now 115 days ago, beyond 60: never asked about; autumn is.
        assert put_questions(club.sam, now=later) == 1
    assert OutcomeQuestion.objects.get(member=club.sam).meeting == club.autumn_meeting


def test_nothing_yet_is_one_tap_and_never_asked_again(club: Club) -> None:
    now = timezone.now()
    put_questions(club.ada, now=now)
    question = OutcomeQuestion.objects.get(member=club.ada)
    client = Client()
    client.force_login(club.ada.user)
    page = client.get(reverse("outcomes")).content.decode()
    assert 'id="questions"' in page and "Sam Seller" in page
    answered = client.post(reverse("outcome-question", args=[question.pk]))
    assert answered.status_code == 302
    question.refresh_from_db()
    assert question.answer == "nothing" and question.answered_at is not None
    assert open_questions(club.ada, now=now) == []
    assert put_questions(club.ada, now=now) == 0
    # Someone else's question is not theirs to answer.
    other = Client()
    other.force_login(club.yves.user)
    assert other.post(reverse("outcome-question", args=[question.pk])).status_code == 404


def test_no_question_once_an_outcome_is_recorded_and_recording_answers_it(club: Club) -> None:
    now = timezone.now()
    put_questions(club.ada, now=now)
    record_outcome(
        by=club.sam, kind="deal", happened_on=timezone.localdate(), parties=[club.ada], now=now
    )
    assert OutcomeQuestion.objects.get(member=club.ada).answer == "recorded"
    assert put_questions(club.sam, now=now) == 0  # Sam recorded it: nothing to ask him


def test_the_digest_asks_once_and_can_be_unsubscribed(club: Club) -> None:
    now = timezone.now()
    message = digest_message(club.ada)
    assert message is not None
    assert "Did anything come of your meeting with Sam Seller?" in message.body
    # The next week's digest does not ask the same question again.
    later = sections_for(club.ada, now=now + dt.timedelta(days=8))
    assert later[DigestKind.OUTCOMES] == []
