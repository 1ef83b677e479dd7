"""Who knows whom and how well: tie strengths from everything two members did together."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from serendip.engines.network import Interaction as Touch
from serendip.engines.network import strength
from serendip.members.models import Connection, Member
from serendip.members.services import connections_of
from serendip.network.models import Interaction
from serendip.programme.models import Colour, Meeting
from serendip.programme.reports import Attendance, MeetingState, attendance_of, meeting_state

# A connection whose start is unknown counts as one meeting this long ago.
UNKNOWN_START = dt.timedelta(days=365)


def ordered(a: int, b: int) -> tuple[int, int]:
    """A pair of member ids, smaller first, as pairs are stored."""
    return (a, b) if a < b else (b, a)


def record(a: Member, b: Member, kind: str, *, at: dt.datetime | None = None) -> None:
    """Remember that two members did something together (an introduction, help, a follow-up)."""
    first, second = ordered(a.pk, b.pk)
    Interaction.objects.create(
        member_a_id=first, member_b_id=second, kind=kind, at=at or timezone.now()
    )


def touches(member: Member) -> dict[int, list[Touch]]:
    """Everything the member did with each connection: the connection itself, meetings held,
    green ratings, introductions, help and follow-ups."""
    now = timezone.now()
    found: dict[int, list[Touch]] = defaultdict(list)
    for c in connections_of(member):
        other = c.member_b_id if c.member_a_id == member.pk else c.member_a_id
        start = (
            dt.datetime.combine(c.since, dt.time(12), dt.UTC) if c.since else now - UNKNOWN_START
        )
        found[other].append(Touch("meeting", start))
    for i in Interaction.objects.filter(Q(member_a=member) | Q(member_b=member)):
        other = i.member_b_id if i.member_a_id == member.pk else i.member_a_id
        found[other].append(Touch(i.kind, i.at))
    held = Meeting.objects.filter(Q(boss=member) | Q(sponsor=member), round__start__lt=now)
    attendance: dict[int, Attendance] = {}
    for m in held.select_related("round", "event").prefetch_related("ratings"):
        if m.event_id not in attendance:
            attendance[m.event_id] = attendance_of(m.event)
        # A meeting with a no-show did not take place: no tie from it (the report's "held").
        if meeting_state(m, attendance[m.event_id], now) == MeetingState.NOT_HELD:
            continue
        other = m.sponsor_id if m.boss_id == member.pk else m.boss_id
        found[other].append(Touch("meeting", m.round.start))
        colours = [r.colour for r in m.ratings.all()]
        if len(colours) == 2 and set(colours) == {Colour.GREEN}:
            found[other].append(Touch("green", m.round.start))
    return found


def ties_of(member: Member) -> dict[int, float]:
    """The strength of the member's tie with each connection (only connections have ties)."""
    now = timezone.now()
    connected = set(connection_ids(member))
    return {
        other: strength(t, now=now, half_life_days=settings.SERENDIP_TIE_HALF_LIFE_DAYS)
        for other, t in touches(member).items()
        if other in connected
    }


def connection_ids(member: Member) -> list[int]:
    """The ids of the member's connections."""
    pairs = connections_of(member).values_list("member_a", "member_b")
    return [b if a == member.pk else a for a, b in pairs]


def second_degree_ids(member: Member) -> set[int]:
    """Connections of connections who are not connections (nor the member)."""
    direct = set(connection_ids(member))
    pairs = Connection.objects.filter(Q(member_a__in=direct) | Q(member_b__in=direct)).values_list(
        "member_a", "member_b"
    )
    found = {x for pair in pairs for x in pair}
    return found - direct - {member.pk}
