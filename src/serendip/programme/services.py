"""Use cases of the one-to-one programme: wishes, preferences and ratings."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.events.services import User, lock, log
from serendip.members.choices import ConnectionOrigin, Side
from serendip.members.models import Member
from serendip.members.services import connect
from serendip.programme.models import Colour, Decline, Meeting, PairRule, Rating, Wish
from serendip.programme.reports import MeetingState, attendance_of, meeting_state
from serendip.programme.weights import MUST_MEET, WOULD_LIKE


def next_common_event(a: Member, b: Member) -> Event | None:
    """The next upcoming event both members are registered to and not cancelled."""
    attending = Registration.objects.exclude(status=RegistrationStatus.CANCELLED)
    mine = attending.filter(member=a).values("event")
    theirs = attending.filter(member=b).values("event")
    return (
        Event.objects.filter(pk__in=mine, end__gte=timezone.now())
        .filter(pk__in=theirs)
        .order_by("start")
        .first()
    )


@transaction.atomic
def want_to_meet(member: Member, other: Member) -> Event | None:
    """Record "I'd like to meet" as a wish for the next event both attend; returns that event."""
    event = next_common_event(member, other)
    Wish.objects.get_or_create(member=member, wanted=other, event=event)
    return event


class Preference(TextChoices):
    MUST = "must", _("Must meet")
    WOULD = "would", _("Would like")
    NO = "no", _("No thanks")
    NONE = "", _("No preference")


# A wish's weight for each kind of preference; "no thanks" is a decline, not a wish.
PREFERENCE_WEIGHTS = {Preference.MUST: MUST_MEET, Preference.WOULD: WOULD_LIKE}


class PreferencesClosed(Exception):
    """Preferences are asked for before the deadline only."""


def preferences_of(event: Event, member: Member) -> dict[int, str]:
    """The member's preference for each person they marked at the event."""
    found: dict[int, str] = {}
    for wish in Wish.objects.filter(event=event, member=member):
        weight = wish.weight
        found[wish.wanted_id] = Preference.MUST if weight >= MUST_MEET else Preference.WOULD
    for decline in Decline.objects.filter(event=event, member=member):
        found[decline.declined_id] = Preference.NO
    return found


@transaction.atomic
def set_preference(event: Event, member: Member, other: Member, choice: str) -> None:
    """Mark another attendee "must meet", "would like", "no thanks" or nothing.

    Raises PreferencesClosed after the event's preferences deadline.
    """
    if event.preferences_deadline and timezone.now() > event.preferences_deadline:
        raise PreferencesClosed
    Wish.objects.filter(event=event, member=member, wanted=other).delete()
    Decline.objects.filter(event=event, member=member, declined=other).delete()
    if choice == Preference.NO:
        Decline.objects.create(event=event, member=member, declined=other)
    elif choice in PREFERENCE_WEIGHTS:
        Wish.objects.create(
            event=event, member=member, wanted=other, weight=PREFERENCE_WEIGHTS[Preference(choice)]
        )


def preference_partners(event: Event, member: Member, side: str) -> list[Member]:
    """The people of the other side whom a member of ``side`` may mark (not cancelled)."""
    other_side = Side.SPONSOR if side == Side.BOSS else Side.BOSS
    return [
        r.member
        for r in event.registrations.filter(side=other_side)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("member__organisation")
        .order_by("member__last_name", "member_id")
    ]


class UnknownPartner(ValueError):
    """A preference about someone the member may not mark (not of the other side, cancelled)."""


@transaction.atomic
def set_preferences(
    *, event: Event, member: Member, side: str, choices: dict[int, str]
) -> dict[int, str]:
    """Mark several people of the other side at once; all or nothing; returns the new marks.

    Raises PreferencesClosed after the deadline, UnknownPartner for a member id the member may
    not mark, ValueError for an unknown choice.
    """
    partners = {m.pk: m for m in preference_partners(event, member, side)}
    unknown = sorted(set(choices) - set(partners))
    if unknown:
        raise UnknownPartner(unknown)
    if any(choice not in Preference.values for choice in choices.values()):
        raise ValueError("unknown preference")
    for pk, choice in choices.items():
        set_preference(event, member, partners[pk], choice)
    return preferences_of(event, member)


@transaction.atomic
def set_pair_rule(
    *, event: Event, boss: Member, sponsor: Member, rule: str, actor: User
) -> PairRule:
    """Force or forbid a boss-sponsor pair; it applies from the next planning. Logged."""
    lock(event, bump=False)  # a rule weighs on the next planning, not on the meetings planned
    found, _created = PairRule.objects.update_or_create(
        event=event, boss=boss, sponsor=sponsor, defaults={"rule": rule}
    )
    log(
        event,
        actor,
        "pair rule",
        f"{boss} / {sponsor}: {rule}",
        params={"boss": str(boss), "sponsor": str(sponsor), "rule": str(rule)},
    )
    return found


@transaction.atomic
def remove_pair_rule(rule: PairRule, *, actor: User) -> None:
    """Drop a forced or forbidden pair; the next planning weighs the pair as any other. Logged."""
    lock(rule.event, bump=False)  # as setting it: the meetings planned stay as they are
    log(
        rule.event,
        actor,
        "pair rule removed",
        f"{rule.boss} / {rule.sponsor}: {rule.rule}",
        params={"boss": str(rule.boss), "sponsor": str(rule.sponsor), "rule": str(rule.rule)},
    )
    rule.delete()


class CannotRate(Exception):
    """A rating refused: the meeting has not started, or it did not take place."""


@transaction.atomic
def rate(
    meeting: Meeting,
    rater: Member,
    *,
    colour: str,
    note: str,
    follow_up: bool,
    now: dt.datetime | None = None,
) -> Rating:
    """Record the rater's verdict on a meeting; two greens connect the pair.

    Raises ValueError when the rater did not take part in the meeting, CannotRate when its
    round has not started or when the rater or the other person was not there (the same
    "held" as the report's and the bulletins').
    """
    if rater.pk not in (meeting.boss_id, meeting.sponsor_id):
        raise ValueError("only the two people who met can rate a meeting")
    # The two people's registrations only: at the gong 450 ratings arrive within a minute.
    attendance = attendance_of(meeting.event_id, members=(meeting.boss_id, meeting.sponsor_id))
    state = meeting_state(meeting, attendance, now or timezone.now())
    if state == MeetingState.UPCOMING:
        raise CannotRate(_("This meeting has not started yet."))
    if not attendance.was_there(rater.pk, meeting.round.number):
        raise CannotRate(
            _("You are recorded as absent for this meeting; if that is wrong, tell the organisers.")
        )
    if state == MeetingState.NOT_HELD:
        raise CannotRate(
            _("%(other)s was not there: this meeting did not take place.")
            % {"other": meeting.other(rater)}
        )
    rating, _created = Rating.objects.update_or_create(
        meeting=meeting,
        rater=rater,
        defaults={"colour": colour, "note": note, "follow_up": follow_up},
    )
    colours = list(meeting.ratings.values_list("colour", flat=True))
    if colours == [Colour.GREEN, Colour.GREEN]:
        connect(meeting.boss, meeting.sponsor, how=ConnectionOrigin.MET_AT_EVENT)
    return rating


def green_pairs(event: Event, *, before: dt.datetime | None = None) -> list[tuple[int, int]]:
    """The (boss, sponsor) pairs who both rated their meeting green, held before ``before``."""
    meetings = Meeting.objects.filter(event=event, ratings__colour=Colour.GREEN)
    if before is not None:
        meetings = meetings.filter(round__start__lt=before)
    counted = meetings.annotate(greens=Count("ratings")).filter(greens=2)
    return [(m.boss_id, m.sponsor_id) for m in counted]
