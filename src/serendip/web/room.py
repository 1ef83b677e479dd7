"""What the live parts of a whole room read, read once for a worker's walk of the room.

A worker renders 450 now parts and 450 agendas before a gong. Each part read its own
agenda, wishes, attendance and ratings: some 5,000 queries a walk, half its time on
PostgreSQL, whose backends do not share the worker's low priority. Read here, they are a
handful of queries; each part then takes its attendee's share. A page rendering its own
part reads a room of one, the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q

from serendip.events.models import Event
from serendip.programme.briefing import profiles_version
from serendip.programme.models import Meeting, Rating, Wish
from serendip.programme.reports import Attendance, attendance_of


@dataclass(frozen=True)
class Room:
    """The attendees' meetings, wishes and ratings, and who was away, at one moment."""

    agendas: dict[int, list[Meeting]]  # member id -> their meetings in round order
    wishes: dict[int, dict[int, float]]  # member id -> {wanted member id: weight}
    attendance: Attendance  # the whole event's: true of any attendee's meetings
    ratings: dict[int, dict[int, Rating]]  # rater id -> {meeting id: their rating}
    follow_ups: dict[int, list[Rating]]  # meeting id -> its ratings asking for a follow-up
    profiles: tuple[object, ...]  # the club's profiles_version(), which the briefs are under

    def agenda(self, member_id: int) -> list[Meeting]:
        """The member's meetings in round order."""
        return self.agendas.get(member_id, [])

    def wished(self, member_id: int) -> dict[int, float]:
        """Whom the member asked to meet, with the weight of each wish."""
        return self.wishes.get(member_id, {})


def room_of(event: Event, members: Collection[int]) -> Room:
    """Read what the live parts of these members show, in a few queries.

    Read after the parts' versions (``live.attending_of``): what a part is rendered from is
    then never older than the version it is kept under.
    """
    ids = list(members)
    agendas: dict[int, list[Meeting]] = defaultdict(list)
    mine = Q(boss_id__in=ids) | Q(sponsor_id__in=ids)
    chosen = set(ids)
    for meeting in (
        Meeting.objects.filter(mine, event=event)
        .select_related("round", "boss__organisation", "sponsor__organisation")
        .order_by("round__number", "pk")
    ):
        for side in (meeting.boss_id, meeting.sponsor_id):
            if side in chosen:
                agendas[side].append(meeting)
    wishes: dict[int, dict[int, float]] = defaultdict(dict)
    for member_id, wanted, weight in Wish.objects.filter(
        event=event, member_id__in=ids
    ).values_list("member_id", "wanted", "weight"):
        wishes[member_id][wanted] = weight
    ratings: dict[int, dict[int, Rating]] = defaultdict(dict)
    follow_ups: dict[int, list[Rating]] = defaultdict(list)
    on_theirs = Q(meeting__boss_id__in=ids) | Q(meeting__sponsor_id__in=ids)
    for rating in Rating.objects.filter(on_theirs, meeting__event=event):
        if rating.rater_id in chosen:
            ratings[rating.rater_id][rating.meeting_id] = rating
        if rating.follow_up:
            follow_ups[rating.meeting_id].append(rating)
    return Room(
        agendas=dict(agendas),
        wishes=dict(wishes),
        attendance=attendance_of(event),
        ratings=dict(ratings),
        follow_ups=dict(follow_ups),
        profiles=profiles_version(),
    )
