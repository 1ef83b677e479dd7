"""Registrations changed by hand in the back office: under the event's lock, logged, and a
change of status through the same use case as the organiser's desk (``set_attendance``)."""

from __future__ import annotations

from django.db import transaction

from serendip.events.models import Registration
from serendip.events.services import User, lock, log, set_attendance

# The status (and the round left after) change only through set_attendance.
THROUGH_ATTENDANCE = {"id", "status", "left_after"}


def _params(registration: Registration, change: str) -> dict[str, object]:
    return {
        "member": str(registration.member),
        "change": change,
        "side": registration.side,
        "guaranteed": registration.guaranteed_meetings,
        "representatives": registration.representatives,
    }


@transaction.atomic
def save_registration(registration: Registration, *, actor: User) -> Registration:
    """Add or change a registration as the organiser typed it.

    Takes the event's lock, so a back-office edit waits for a planning or a re-plan being
    written instead of slipping between its reads and writes. A new status goes through
    ``set_attendance``: a cancellation or a no-show frees the member's meetings that have not
    started, an undone one gives them back, exactly as from the organiser's day page.
    """
    lock(registration.event, bump=False)
    if registration.pk is None:
        registration.save()
        log(registration.event, actor, "registration", params=_params(registration, "added"))
        return registration
    stored = Registration.objects.get(pk=registration.pk)
    status = registration.status
    changed = [
        field.name
        for field in Registration._meta.concrete_fields
        if field.name not in THROUGH_ATTENDANCE
        and getattr(stored, field.attname) != getattr(registration, field.attname)
    ]
    if changed:
        registration.save(update_fields=changed)
        log(registration.event, actor, "registration", params=_params(registration, "changed"))
    if status != stored.status:
        registration.status = stored.status  # set_attendance compares with what is stored
        set_attendance(registration, status, actor=actor)
    return registration


@transaction.atomic
def remove_registration(registration: Registration, *, actor: User) -> None:
    """Delete a registration (a mistake typed in), under the event's lock, logged.

    Meetings belong to the members, not to the registration: the programme's history stays.
    """
    lock(registration.event, bump=False)
    log(registration.event, actor, "registration", params=_params(registration, "removed"))
    registration.delete()
