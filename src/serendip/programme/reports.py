"""What an event produced: the sponsor bulletin and the organiser's figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from serendip.events.models import Event, RegistrationStatus
from serendip.members.choices import Side
from serendip.members.models import Member
from serendip.members.privacy import is_erased
from serendip.programme.models import Colour, Meeting, Rating


@dataclass
class BulletinLine:
    """One meeting of a sponsor's bulletin."""

    meeting: Meeting
    boss: Member
    held: bool
    rating: Rating | None  # the boss's rating of the sponsor
    follow_up: bool
    contact: dict[str, str] = field(default_factory=dict)


def bulletin_of(event: Event, sponsor: Member) -> list[BulletinLine]:
    """The sponsor's meetings, the bosses' ratings, who wants a follow-up.

    Contact details appear only for bosses who asked for a follow-up on that
    meeting: ticking it is their agreement to share them with this sponsor.
    """
    now = timezone.now()
    absent = set(
        event.registrations.filter(
            status__in=[RegistrationStatus.NO_SHOW, RegistrationStatus.CANCELLED]
        ).values_list("member_id", flat=True)
    )
    lines = []
    for meeting in (
        event.meetings.filter(sponsor=sponsor)
        .select_related("round", "boss__organisation")
        .prefetch_related("ratings")
        .order_by("round__number")
    ):
        rating = next((r for r in meeting.ratings.all() if r.rater_id == meeting.boss_id), None)
        follow_up = bool(rating and rating.follow_up)
        contact = {}
        # An erased boss left no address to follow up on (only an undeliverable placeholder).
        if follow_up and not is_erased(meeting.boss):
            contact = {"email": meeting.boss.email, "phone": meeting.boss.phone}
        lines.append(
            BulletinLine(
                meeting=meeting,
                boss=meeting.boss,
                held=meeting.round.end <= now and meeting.boss_id not in absent,
                rating=rating,
                follow_up=follow_up,
                contact={k: v for k, v in contact.items() if v},
            )
        )
    return lines


def event_figures(event: Event) -> dict[str, Any]:
    """Meetings planned and held, no-show rate, minimums met, ratings distribution."""
    now = timezone.now()
    registrations = event.registrations.filter(side__in=[Side.BOSS, Side.SPONSOR])
    statuses = Counter(registrations.values_list("status", flat=True))
    expected = sum(statuses.values()) - statuses[RegistrationStatus.CANCELLED]
    meetings = event.meetings.select_related("round")
    held = sum(1 for m in meetings if m.round.end <= now)
    per_member = Counter(meetings.values_list("boss", flat=True)) + Counter(
        meetings.values_list("sponsor", flat=True)
    )
    minimums_met = total_minimums = 0
    # Minimums are owed to the people who came (or are still expected), not to absentees.
    for r in registrations.exclude(
        status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.NO_SHOW]
    ):
        minimum = event.boss_min_meetings if r.side == Side.BOSS else (r.guaranteed_meetings or 0)
        if minimum:
            total_minimums += 1
            minimums_met += per_member[r.member_id] >= minimum
    colours = Counter(Rating.objects.filter(meeting__event=event).values_list("colour", flat=True))
    return {
        "planned": meetings.count(),
        "held": held,
        "no_show_rate": statuses[RegistrationStatus.NO_SHOW] / expected if expected else 0.0,
        "no_shows": statuses[RegistrationStatus.NO_SHOW],
        "expected": expected,
        "minimums_met": minimums_met,
        "minimums": total_minimums,
        "ratings": [(c.label, colours[c.value]) for c in Colour],
    }
