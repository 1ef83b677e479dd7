"""A small seminar ready to plan: bosses, sponsors, rounds and tables, built with factories."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import time_machine
from django.utils import timezone

from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.events.services import set_rounds
from serendip.members.models import Member
from serendip.programme.models import PlanningRun
from serendip.programme.tasks import start_planning
from tests.factories import EventFactory, MemberFactory, RegistrationFactory


@dataclass
class Seminar:
    event: Event
    bosses: list[Member]
    sponsors: list[Member]

    def registration(self, member: Member) -> Registration:
        return self.event.registrations.get(member=member)


def build_seminar(
    *,
    bosses: int = 6,
    sponsors: int = 3,
    rounds: int = 4,
    tables: int = 4,
    start: dt.datetime | None = None,
) -> Seminar:
    """A seminar whose rounds start at ``start`` (tomorrow 9:00 by default), one session."""
    start = start or (timezone.now() + dt.timedelta(days=1)).replace(hour=9, minute=0)
    start = start.replace(second=0, microsecond=0)  # rounds start on the minute
    event = EventFactory(
        start=start, end=start + dt.timedelta(hours=8), tables=tables, boss_min_meetings=2
    )
    venue = zoneinfo.ZoneInfo(event.timezone)
    set_rounds(
        event,
        days=[timezone.localtime(start, venue).date()],
        session_starts=[timezone.localtime(start, venue).time()],
        rounds_per_session=rounds,
        minutes=7,
        changeover=3,
        actor=None,
    )
    boss_members = [
        MemberFactory(side="boss", keywords=["cloud", "FinOps"], needs=["cloud security audit"])
        for _ in range(bosses)
    ]
    sponsor_members = [
        MemberFactory(side="sponsor", keywords=["cloud"], offers=["cloud security audit"])
        for _ in range(sponsors)
    ]
    for m in boss_members:
        RegistrationFactory(event=event, member=m, side="boss", status=RegistrationStatus.CONFIRMED)
    for m in sponsor_members:
        RegistrationFactory(
            event=event,
            member=m,
            side="sponsor",
            status=RegistrationStatus.CONFIRMED,
            guaranteed_meetings=3,
            representatives=2,
        )
    return Seminar(event, boss_members, sponsor_members)


def plan_beforehand(seminar: Seminar) -> PlanningRun:
    """Plan the seminar as its organiser did the day before its first round.

    Once a round has started, planning only re-plans what is ahead: a test of a seminar under
    way plans it on the eve, as a real club would have.
    """
    first = seminar.event.rounds.order_by("number").first()
    assert first is not None
    with time_machine.travel(first.start - dt.timedelta(days=1), tick=False):
        run = start_planning(seminar.event, actor=None)
    assert run.status == PlanningRun.Status.DONE, run.error
    return run
