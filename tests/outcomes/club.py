"""A club with a past for the outcomes tests: two seminars held, a meal, an introduction.

- Spring seminar, 100 days ago: Ada (boss) met Sam (sponsor, SponsorCo), both rated green;
  Ada sat at Ben's table at the gala dinner.
- Camille introduced Ada to Ben 50 days ago; both accepted.
- Autumn seminar, 20 days ago: Ada met Sam again (Sam rated it green, Ada asked for a follow-up).
- Zoe is a sponsor of another organisation (RivalCo); Yves is a member with no part in any of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from serendip.events.models import Event, Round
from serendip.meals.models import Meal, Seat
from serendip.members.models import Member
from serendip.network.models import (
    Answer,
    Introduction,
    IntroductionState,
    IntroductionStep,
)
from serendip.programme.models import Colour, Meeting
from serendip.programme.services import rate
from tests.factories import MemberFactory, OrganisationFactory, RegistrationFactory, UserFactory
from tests.programme.seminar import build_seminar


@dataclass
class Club:
    spring: Event
    autumn: Event
    ada: Member
    sam: Member
    ben: Member
    camille: Member
    zoe: Member
    yves: Member
    spring_meeting: Meeting
    autumn_meeting: Meeting
    introduction: Introduction
    organiser: object


def _seminar_held(days_ago: int, boss: Member, sponsor: Member) -> tuple[Event, Meeting]:
    start = (timezone.now() - dt.timedelta(days=days_ago)).replace(hour=9, minute=0)
    seminar = build_seminar(bosses=1, sponsors=1, rounds=2, start=start)
    for member, side in ((boss, "boss"), (sponsor, "sponsor")):
        RegistrationFactory(event=seminar.event, member=member, side=side, status="confirmed")
    first = Round.objects.get(event=seminar.event, number=1)
    meeting = Meeting.objects.create(
        event=seminar.event, round=first, table=1, boss=boss, sponsor=sponsor
    )
    return seminar.event, meeting


def build_club() -> Club:
    """The story above, written as it happened."""
    sponsor_co = OrganisationFactory(name="SponsorCo")
    ada = MemberFactory(first_name="Ada", last_name="Lovelace", side="boss")
    sam = MemberFactory(
        first_name="Sam", last_name="Seller", side="sponsor", organisation=sponsor_co
    )
    ben = MemberFactory(first_name="Ben", last_name="Builder", side="boss")
    camille = MemberFactory(first_name="Camille", last_name="Connector", side="boss")
    zoe = MemberFactory(
        first_name="Zoe",
        last_name="Rival",
        side="sponsor",
        organisation=OrganisationFactory(name="RivalCo"),
    )
    yves = MemberFactory(first_name="Yves", last_name="Bystander", side="boss")

    spring, spring_meeting = _seminar_held(100, ada, sam)
    rate(spring_meeting, ada, colour=Colour.GREEN, note="", follow_up=False)
    rate(spring_meeting, sam, colour=Colour.GREEN, note="", follow_up=False)
    RegistrationFactory(event=spring, member=ben, side="boss", status="confirmed")
    dinner = Meal.objects.create(
        event=spring, name="Gala dinner", start=spring.start.replace(hour=20), tables=[4]
    )
    Seat.objects.create(meal=dinner, rotation=1, table=1, member=ada)
    Seat.objects.create(meal=dinner, rotation=1, table=1, member=ben)

    introduced = timezone.now() - dt.timedelta(days=50)
    introduction = Introduction.objects.create(
        introducer=camille,
        seeker=ada,
        helper=ben,
        state=IntroductionState.ACCEPTED,
        seeker_answer=Answer.YES,
        helper_answer=Answer.YES,
    )
    Introduction.objects.filter(pk=introduction.pk).update(created=introduced)
    step = IntroductionStep.objects.create(introduction=introduction, actor=ben, what="accepted")
    IntroductionStep.objects.filter(pk=step.pk).update(at=introduced)

    autumn, autumn_meeting = _seminar_held(20, ada, sam)
    rate(autumn_meeting, sam, colour=Colour.GREEN, note="", follow_up=False)
    rate(autumn_meeting, ada, colour=Colour.ORANGE, note="", follow_up=True)

    organiser = UserFactory(is_staff=True)
    assert get_user_model().objects.filter(pk=organiser.pk, is_staff=True).exists()
    return Club(
        spring,
        autumn,
        ada,
        sam,
        ben,
        camille,
        zoe,
        yves,
        spring_meeting,
        autumn_meeting,
        introduction,
        organiser,
    )
