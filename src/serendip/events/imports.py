"""Import an event's registrations from a CSV file, all or nothing.

Columns: ``email`` (required, a known member), ``side`` (boss/sponsor/guest/staff;
default the member's own side), ``status`` (default invited),
``guaranteed_meetings`` and ``representatives`` (sponsors only). A member
already registered has their registration updated.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from serendip.csvrows import (
    ImportRefused,
    RowError,
    check_choice,
    check_int,
    read_rows,
    refuse_if_any,
)
from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.events.services import User, lock, log, set_attendance
from serendip.members.choices import Side
from serendip.members.models import Member

REQUIRED = ["email"]
OPTIONAL = ["side", "status", "guaranteed_meetings", "representatives"]


@dataclass(frozen=True)
class RegistrationImportResult:
    """How many registrations the import created and updated."""

    created: int
    updated: int


def import_registrations(
    event_slug: str, data: bytes, *, actor: User = None
) -> RegistrationImportResult:
    """Register the members of a CSV file to an event; raises ImportRefused with every error.

    Written in one transaction under the event's lock and logged (``actor``: the organiser,
    or nobody for the command).
    """
    event = Event.objects.filter(slug=event_slug).first()
    if event is None:
        raise ImportRefused([RowError(None, None, f"no event with the short name {event_slug!r}")])
    rows = list(read_rows(data, required=REQUIRED, optional=OPTIONAL))
    members = {
        m.email: m for m in Member.objects.filter(email__in=[r.get("email").lower() for r in rows])
    }
    wanted: list[Registration] = []
    first_line_of: dict[str, int] = {}
    for row in rows:
        email = row.get("email").lower()
        member = members.get(email)
        if member is None:
            row.error(
                "email", f"no member with the email {email!r}" if email else "required, but empty"
            )
        elif email in first_line_of:
            row.error("email", f"{email} already appears on line {first_line_of[email]}")
        first_line_of.setdefault(email, row.line)
        side = check_choice(row, "side", Side.values, member.side if member else Side.BOSS)
        status = check_choice(row, "status", RegistrationStatus.values, RegistrationStatus.INVITED)
        guaranteed = check_int(row, "guaranteed_meetings", minimum=0)
        representatives = check_int(row, "representatives", minimum=1)
        if side != Side.SPONSOR:
            for column in ("guaranteed_meetings", "representatives"):
                if row.get(column) and not (column == "representatives" and representatives == 1):
                    row.error(column, "only sponsors have a package")
        if member is not None:
            wanted.append(
                Registration(
                    event=event,
                    member=member,
                    side=side,
                    status=status,
                    guaranteed_meetings=guaranteed,
                    representatives=representatives or 1,
                )
            )
    refuse_if_any(rows)
    return _write(event, wanted, actor=actor)


@transaction.atomic
def _write(event: Event, wanted: list[Registration], *, actor: User) -> RegistrationImportResult:
    lock(event, bump=False)  # a planning being saved finishes first; the meetings stay as they are
    existing = {r.member_id: r for r in Registration.objects.filter(event=event)}
    # The status of a registration already there changes only through set_attendance, as at
    # the desk and in the back office: a cancellation or a no-show frees the meetings that
    # have not started (an import must not leave a cancelled member in the programme).
    fields = ["side", "guaranteed_meetings", "representatives"]
    updates = []
    new_status: list[tuple[Registration, str]] = []
    for registration in wanted:
        if registration.member_id in existing:
            current = existing[registration.member_id]
            for name in fields:
                setattr(current, name, getattr(registration, name))
            updates.append(current)
            if registration.status != current.status:
                new_status.append((current, registration.status))
    Registration.objects.bulk_update(updates, fields, batch_size=500)
    new = [r for r in wanted if r.member_id not in existing]
    Registration.objects.bulk_create(new)
    for current, status in new_status:
        set_attendance(current, status, actor=actor)
    log(event, actor, "import", params={"created": len(new), "updated": len(updates)})
    return RegistrationImportResult(created=len(new), updated=len(updates))
