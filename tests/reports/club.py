"""A hand-built club for the reports' tests: one past seminar, two sponsor organisations,
a no-show, an early leaver, ratings, a package price and two confirmed deals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from serendip.events.models import Event, RegistrationStatus, Round
from serendip.members.models import Member, Organisation
from serendip.outcomes.models import Outcome, OutcomeCredit, OutcomeParty, OutcomeStatus
from serendip.programme.models import Meeting, Rating
from tests.factories import EventFactory, MemberFactory, OrganisationFactory, RegistrationFactory


@dataclass
class ReportClub:
    event: Event
    bosses: list[Member]
    sponsor: Member  # of ``acme``, the sponsor whose report is checked
    other_sponsor: Member  # of ``globex``
    acme: Organisation
    globex: Organisation
    deal: Outcome  # bosses[0] with ``sponsor``: 60,000 EUR
    other_deal: Outcome  # bosses[1] with ``other_sponsor``: 9,999 EUR


def confirmed_outcome(
    kind: str, parties: list[Member], day: dt.date, amount: str | None, credits: dict[str, list]
) -> Outcome:
    """A confirmed outcome with its parties and credit rows, as the outcomes service writes."""
    now = timezone.now()
    outcome = Outcome.objects.create(
        kind=kind,
        happened_on=day,
        amount=Decimal(amount) if amount else None,
        currency="EUR" if amount else "",
        recorded_by=parties[0],
        status=OutcomeStatus.CONFIRMED,
        recorded_at=now,
        confirmed_at=now,
        updated_at=now,
    )
    for member in parties:
        OutcomeParty.objects.create(
            outcome=outcome, member=member, organisation=member.organisation, answer="confirmed"
        )
    for rule, shares in credits.items():
        for event, share in shares:
            OutcomeCredit.objects.create(outcome=outcome, rule=rule, event=event, share=share)
    return outcome


def build_report_club(tag: str = "") -> ReportClub:
    """The seminar 120 days ago: 4 bosses, 2 sponsors, 2 rounds, 6 meetings, 4 held."""
    start = (timezone.now() - dt.timedelta(days=120)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    event = EventFactory(start=start, end=start + dt.timedelta(hours=8), boss_min_meetings=2)
    rounds = [
        Round.objects.create(
            event=event, number=n, start=start + dt.timedelta(minutes=10 * n), minutes=7
        )
        for n in (1, 2)
    ]
    acme = OrganisationFactory(name=f"Acme Vendors{tag}")
    globex = OrganisationFactory(name=f"Globex{tag}")
    bosses = [MemberFactory(side="boss") for _ in range(4)]
    sponsor = MemberFactory(side="sponsor", organisation=acme)
    other = MemberFactory(side="sponsor", organisation=globex)
    statuses = [
        RegistrationStatus.CHECKED_IN,
        RegistrationStatus.CHECKED_IN,
        RegistrationStatus.NO_SHOW,
        RegistrationStatus.LEFT_EARLY,
    ]
    for boss, status in zip(bosses, statuses, strict=True):
        RegistrationFactory(
            event=event,
            member=boss,
            status=status,
            left_after=rounds[0] if status == RegistrationStatus.LEFT_EARLY else None,
        )
    RegistrationFactory(
        event=event,
        member=sponsor,
        side="sponsor",
        status=RegistrationStatus.CHECKED_IN,
        representatives=2,
        guaranteed_meetings=3,
        package_price=Decimal("3000.00"),
        package_currency="EUR",
    )
    RegistrationFactory(
        event=event, member=other, side="sponsor", status=RegistrationStatus.CHECKED_IN
    )
    b1, b2, b3, b4 = bosses
    plan = [
        (0, 1, b1, sponsor, 1),
        (0, 2, b2, other, 1),
        (0, 3, b3, sponsor, 2),  # b3 never came
        (1, 1, b2, sponsor, 1),
        (1, 2, b1, other, 1),
        (1, 3, b4, sponsor, 2),  # b4 left after round 1
    ]
    meetings = [
        Meeting.objects.create(event=event, round=rounds[r], table=t, boss=b, sponsor=s, seat=seat)
        for r, t, b, s, seat in plan
    ]
    Rating.objects.create(meeting=meetings[0], rater=b1, colour="green", follow_up=True)
    Rating.objects.create(meeting=meetings[3], rater=b2, colour="orange")
    Rating.objects.create(meeting=meetings[0], rater=sponsor, colour="green", follow_up=True)
    later = timezone.localdate(start) + dt.timedelta(days=95)
    deal = confirmed_outcome(
        "deal",
        [b1, sponsor],
        later,
        "60000",
        {"linear": [(event, 1.0)], "first": [(event, 1.0)], "last": [(None, 1.0)]},
    )
    other_deal = confirmed_outcome(
        "deal", [b2, other], later, "9999", {r: [(event, 1.0)] for r in ("linear", "first", "last")}
    )
    return ReportClub(event, bosses, sponsor, other, acme, globex, deal, other_deal)
