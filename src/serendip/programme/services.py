"""Use cases of the one-to-one programme: wishes to meet."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.members.models import Member
from serendip.programme.models import Wish


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
