"""Who knows whom and how well: tie strengths from everything two members did together."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection

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
    return touches_of([member.pk])[member.pk]


def touches_of(ids: Collection[int]) -> dict[int, dict[int, list[Touch]]]:
    """``touches`` for several members at once, in a fixed number of queries (an ask's
    helpers weigh the ties of every connection and connection of a connection)."""
    now = timezone.now()
    wanted = set(ids)
    found: dict[int, dict[int, list[Touch]]] = {pk: defaultdict(list) for pk in wanted}

    def add(one: int, other: int, touch: Touch) -> None:
        if one in wanted:
            found[one][other].append(touch)
        if other in wanted:
            found[other][one].append(touch)

    pairs = Connection.objects.filter(Q(member_a__in=wanted) | Q(member_b__in=wanted))
    for a, b, since in pairs.values_list("member_a", "member_b", "since"):
        start = dt.datetime.combine(since, dt.time(12), dt.UTC) if since else now - UNKNOWN_START
        add(a, b, Touch("meeting", start))
    lines = Interaction.objects.filter(Q(member_a__in=wanted) | Q(member_b__in=wanted))
    for a, b, kind, at in lines.values_list("member_a", "member_b", "kind", "at"):
        add(a, b, Touch(kind, at))
    held = Meeting.objects.filter(
        Q(boss__in=wanted) | Q(sponsor__in=wanted), round__start__lt=now
    ).select_related("round", "event")
    attendance: dict[int, Attendance] = {}
    for m in held.prefetch_related("ratings"):
        if m.event_id not in attendance:
            attendance[m.event_id] = attendance_of(m.event)
        # A meeting with a no-show did not take place: no tie from it (the report's "held").
        if meeting_state(m, attendance[m.event_id], now) == MeetingState.NOT_HELD:
            continue
        add(m.boss_id, m.sponsor_id, Touch("meeting", m.round.start))
        colours = [r.colour for r in m.ratings.all()]
        if len(colours) == 2 and set(colours) == {Colour.GREEN}:
            add(m.boss_id, m.sponsor_id, Touch("green", m.round.start))
    return found


def ties_of(member: Member) -> dict[int, float]:
    """The strength of the member's tie with each connection (only connections have ties)."""
    return ties_among([member.pk])[member.pk]


def ties_among(ids: Collection[int]) -> dict[int, dict[int, float]]:
    """``ties_of`` for several members at once (a fixed number of queries)."""
    now = timezone.now()
    half_life = settings.SERENDIP_TIE_HALF_LIFE_DAYS
    connected: dict[int, set[int]] = defaultdict(set)
    pairs = Connection.objects.filter(Q(member_a__in=ids) | Q(member_b__in=ids))
    for a, b in pairs.values_list("member_a", "member_b"):
        connected[a].add(b)
        connected[b].add(a)
    return {
        pk: {
            other: strength(t, now=now, half_life_days=half_life)
            for other, t in their.items()
            if other in connected[pk]
        }
        for pk, their in touches_of(ids).items()
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
