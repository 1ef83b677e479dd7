"""In-app notifications, written in the member's own language."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.functional import Promise

from serendip.members.models import Member
from serendip.network.models import Notification


def notify(member: Member, message: str | Promise, url: str = "", **values: object) -> Notification:
    """Leave a message for the member in the app (and in their next digest).

    ``message`` is a lazily translated text with ``%(name)s`` placeholders.
    """
    with translation.override(member.language):
        text = str(message) % values if values else str(message)
    return Notification.objects.create(member=member, text=text[:300], url=url)


def mark_all_read(member: Member) -> int:
    """Mark every unread notification of the member read now; returns how many."""
    return member.notifications.filter(read__isnull=True).update(read=timezone.now())


def notify_all(
    members: list[Member], message: str | Promise, url: str = "", **values: object
) -> list[Notification]:
    """``notify`` for several members in one insert, each in their own language."""
    found = []
    for member in members:
        with translation.override(member.language):
            text = str(message) % values if values else str(message)
        found.append(Notification(member=member, text=text[:300], url=url))
    return Notification.objects.bulk_create(found)
