"""A held seminar with a boss who has a life in the club: meetings, ratings, notes, network."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from serendip.events.models import Event, Round
from serendip.members.models import Member
from serendip.members.services import connect, create_api_token
from serendip.network.ledger import record_help
from serendip.network.models import Ask, ContactNote, Gratitude, Introduction, Offer
from serendip.network.relationships import add_note, set_cadence
from serendip.programme.models import Colour, Meeting, Wish
from serendip.programme.services import rate
from tests.factories import EventFactory, MemberFactory, RegistrationFactory
from tests.programme.seminar import build_seminar


@dataclass
class History:
    event: Event
    boss: Member  # the person who will download their data or be erased
    other_boss: Member
    sponsor: Member
    friend: Member
    token: str
    upcoming: Event


def build_history() -> History:
    """A seminar that ended yesterday, where the boss met two sponsors and rated them."""
    start = (timezone.now() - dt.timedelta(days=2)).replace(hour=9, minute=0)
    seminar = build_seminar(bosses=2, sponsors=2, rounds=2, start=start)
    boss, other_boss = seminar.bosses
    sponsor, sponsor_b = seminar.sponsors
    boss.first_name, boss.last_name, boss.bio = "Ada", "Lovelace", "Analytical engines."
    boss.save()
    first, second = Round.objects.filter(event=seminar.event).order_by("number")
    met = Meeting.objects.create(
        event=seminar.event, round=first, table=1, boss=boss, sponsor=sponsor
    )
    Meeting.objects.create(event=seminar.event, round=second, table=1, boss=boss, sponsor=sponsor_b)
    other = Meeting.objects.create(
        event=seminar.event, round=second, table=2, boss=other_boss, sponsor=sponsor
    )
    rate(met, boss, colour=Colour.GREEN, note="Ada's private memo", follow_up=True)
    # What the sponsor thinks of Ada is the sponsor's: never in Ada's export.
    rate(met, sponsor, colour=Colour.ORANGE, note="Sponsor's memo about Ada", follow_up=False)
    rate(other, other_boss, colour=Colour.RED, note="", follow_up=False)

    friend = MemberFactory(first_name="Grace", last_name="Hopper")
    connect(boss, friend)
    add_note(boss, friend, "Ada's note about Grace")
    add_note(friend, boss, "Grace's note about Ada")
    set_cadence(boss, friend, 30)
    set_cadence(friend, boss, 60)
    record_help(receiver=boss, giver=friend, what="an introduction", when=timezone.localdate())
    record_help(
        receiver=friend,
        giver=boss,
        what="advice",
        when=timezone.localdate(),
        thank_you="Thank you Ada!",
    )
    Ask.objects.create(member=boss, kind="advice", topic="Ada's question", details="details")
    Offer.objects.create(member=boss, kind="advice", title="Ada's offer")
    Introduction.objects.create(introducer=friend, seeker=boss, helper=other_boss, note="Meet!")
    Wish.objects.create(member=boss, wanted=other_boss)
    upcoming = EventFactory()
    RegistrationFactory(event=upcoming, member=boss, side="boss", status="confirmed")
    token = create_api_token(boss, name="my laptop")
    return History(seminar.event, boss, other_boss, sponsor, friend, token, upcoming)


def contact_notes_about(member: Member) -> list[str]:
    """The notes others wrote about ``member``."""
    return list(ContactNote.objects.filter(contact=member).values_list("text", flat=True))


def thank_yous_from(member: Member) -> list[str]:
    """The thank-you notes others wrote to ``member``."""
    return list(Gratitude.objects.filter(giver=member).values_list("thank_you", flat=True))
