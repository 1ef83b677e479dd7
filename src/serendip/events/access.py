"""Who may organise which event: the one rule that every organiser page and API operation asks.

A superuser organises every event. A staff member organises the events that list them among
their organisers, and no other: an event with no organisers yet is organised by superusers
only. We chose this over "an event without organisers is open to all staff" so that access
never widens by accident (removing the last organiser closes the event instead of opening it
to every staff member) and so that the rule reads the same for every event. Whoever creates
an event (back office or API) is listed as its organiser, and the migration that introduced
organisers listed every staff member on the events that existed then, so nothing was lost.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from serendip.events.models import Event


def can_organise(user: Any, event: Event) -> bool:
    """Whether this user may run this event's organiser pages and API operations."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.is_staff) and event.organisers.filter(pk=user.pk).exists()


def is_club_organiser(user: Any) -> bool:
    """Whether this user may do club-wide organiser work (invitations, organisations)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def organised_by(user: Any) -> QuerySet[Event]:
    """The events this user organises, soonest first."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Event.objects.none()
    if user.is_superuser:
        return Event.objects.all()
    if not user.is_staff:
        return Event.objects.none()
    return Event.objects.filter(organisers=user)
