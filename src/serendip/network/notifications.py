"""In-app notifications, written in the member's own language."""

from __future__ import annotations

from django.utils import translation
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
