"""What an event produced: the sponsor bulletin and the organiser's figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.members.choices import Side
from serendip.members.models import Member
from serendip.members.privacy import is_erased
from serendip.programme.models import Colour, Meeting, Rating


class MeetingState(TextChoices):
    """Where a planned meeting stands, by the clock and by who came."""

    UPCOMING = "upcoming", _("upcoming")
    UNDER_WAY = "under_way", _("under way")
    HELD = "held", _("held")
    NOT_HELD = "not_held", _("not held")


@dataclass(frozen=True)
class Attendance:
    """Who was away at an event: no-shows and cancellations, and early leavers' last round."""

    absent: frozenset[int]
    left_after: dict[int, int]

    def was_there(self, member_id: int, round_number: int) -> bool:
        """Whether the member was at the event for that round."""
        if member_id in self.absent:
            return False
        last = self.left_after.get(member_id)
        return last is None or round_number <= last


def attendance_of(event: Event | int, *, members: Collection[int] | None = None) -> Attendance:
    """The event's absentees and early leavers, read once for a whole report.

    ``members``: only these members' registrations (a rating needs two of them, not 450).
    """
    event_id = event if isinstance(event, int) else event.pk
    registrations = Registration.objects.filter(
        event_id=event_id,
        status__in=[
            RegistrationStatus.NO_SHOW,
            RegistrationStatus.CANCELLED,
            RegistrationStatus.LEFT_EARLY,
        ],
    )
    if members is not None:
        registrations = registrations.filter(member_id__in=list(members))
    absent: set[int] = set()
    left: dict[int, int] = {}
    # One query: the away and the early leavers with the number of their last round.
    for member_id, status, last in registrations.values_list(
        "member_id", "status", "left_after__number"
    ):
        if status == RegistrationStatus.LEFT_EARLY:
            if last is not None:
                left[member_id] = last
        else:
            absent.add(member_id)
    return Attendance(frozenset(absent), left)


def meeting_state(meeting: Meeting, attendance: Attendance, now: dt.datetime) -> MeetingState:
    """The one definition of "held" that the report, the bulletins and the ratings share.

    A meeting is held once its round has ended with both people there; before its round
    starts it is upcoming, never "not held".
    """
    if meeting.round.start > now:
        return MeetingState.UPCOMING
    number = meeting.round.number
    both = attendance.was_there(meeting.boss_id, number) and attendance.was_there(
        meeting.sponsor_id, number
    )
    if not both:
        return MeetingState.NOT_HELD
    return MeetingState.HELD if meeting.round.end <= now else MeetingState.UNDER_WAY


@dataclass
class BulletinLine:
    """One meeting of a sponsor's bulletin."""

    meeting: Meeting
    boss: Member
    state: MeetingState
    rating: Rating | None  # the boss's rating of the sponsor
    boss_follow_up: bool
    sponsor_follow_up: bool
    contact: dict[str, str] = field(default_factory=dict)

    @property
    def held(self) -> bool:
        """Whether the meeting took place (its round ended, both there)."""
        return self.state == MeetingState.HELD

    @property
    def follow_up(self) -> bool:
        """Whether either side asked for a follow-up."""
        return self.boss_follow_up or self.sponsor_follow_up


def follow_up_contact(member: Member, *, asked: bool) -> dict[str, str]:
    """The contact details a member shares by asking for a follow-up (none otherwise).

    Ticking "I'd like a follow-up" is the member's agreement to share them with the other
    person of that meeting; an erased member left no address to follow up on.
    """
    if not asked or is_erased(member):
        return {}
    return {k: v for k, v in {"email": member.email, "phone": member.phone}.items() if v}


def bulletin_of(
    event: Event, sponsor: Member, *, now: dt.datetime | None = None
) -> list[BulletinLine]:
    """The sponsor's meetings, where each stands, the bosses' ratings, follow-ups either way.

    Contact details appear only for bosses who asked for a follow-up on that meeting.
    """
    now = now or timezone.now()
    attendance = attendance_of(event)
    lines = []
    for meeting in (
        event.meetings.filter(sponsor=sponsor)
        .select_related("round", "boss__organisation")
        .prefetch_related("ratings")
        .order_by("round__number")
    ):
        ratings = {r.rater_id: r for r in meeting.ratings.all()}
        rating = ratings.get(meeting.boss_id)
        mine = ratings.get(meeting.sponsor_id)
        boss_asked = bool(rating and rating.follow_up)
        lines.append(
            BulletinLine(
                meeting=meeting,
                boss=meeting.boss,
                state=meeting_state(meeting, attendance, now),
                rating=rating,
                boss_follow_up=boss_asked,
                sponsor_follow_up=bool(mine and mine.follow_up),
                contact=follow_up_contact(meeting.boss, asked=boss_asked),
            )
        )
    return lines


def event_figures(event: Event, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Meetings planned and held, no-show rate, minimums met, ratings and follow-ups."""
    now = now or timezone.now()
    attendance = attendance_of(event)
    registrations = event.registrations.filter(side__in=[Side.BOSS, Side.SPONSOR])
    statuses = Counter(registrations.values_list("status", flat=True))
    expected = sum(statuses.values()) - statuses[RegistrationStatus.CANCELLED]
    meetings = list(event.meetings.select_related("round"))
    states = Counter(meeting_state(m, attendance, now) for m in meetings)
    per_member = Counter(m.boss_id for m in meetings) + Counter(m.sponsor_id for m in meetings)
    minimums_met = total_minimums = 0
    # Minimums are owed to the people who came (or are still expected), not to absentees.
    for r in registrations.exclude(
        status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.NO_SHOW]
    ):
        minimum = event.boss_min_meetings if r.side == Side.BOSS else (r.guaranteed_meetings or 0)
        if minimum:
            total_minimums += 1
            minimums_met += per_member[r.member_id] >= minimum
    ratings = Rating.objects.filter(meeting__event=event)
    colours = Counter(ratings.values_list("colour", flat=True))
    return {
        "planned": len(meetings),
        "held": states[MeetingState.HELD],
        "not_held": states[MeetingState.NOT_HELD],
        "upcoming": states[MeetingState.UPCOMING] + states[MeetingState.UNDER_WAY],
        "no_show_rate": statuses[RegistrationStatus.NO_SHOW] / expected if expected else 0.0,
        "no_shows": statuses[RegistrationStatus.NO_SHOW],
        "expected": expected,
        "minimums_met": minimums_met,
        "minimums": total_minimums,
        "ratings": [(c.label, colours[c.value]) for c in Colour],
        "follow_ups": ratings.filter(follow_up=True).count(),
    }
