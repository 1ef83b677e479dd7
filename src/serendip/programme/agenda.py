"""Telling attendees that their agenda changed, whichever path changed it."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from serendip.events.models import Event
from serendip.members.models import Member


def tell_agenda_changed(event: Event, member_ids: Iterable[int]) -> int:
    """Email each member whose meetings changed a link to their new agenda; returns mails sent.

    Nobody is told about a programme that is not published yet: they have not seen it.
    """
    if not event.published:
        return 0
    link = settings.SERENDIP_SITE_URL + reverse("agenda", args=[event.slug])
    messages = []
    for member in Member.objects.filter(pk__in=set(member_ids)).exclude(email="").order_by("pk"):
        with translation.override(member.language):
            body = render_to_string(
                "web/email/agenda_changed.txt", {"member": member, "event": event, "link": link}
            )
            subject = render_to_string("web/email/agenda_changed_subject.txt", {"event": event})
        messages.append(EmailMessage(subject.strip(), body, to=[member.email]))
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


@task()
def agenda_changed_letters(event_id: int, member_ids: list[int]) -> int:
    """The background job behind ``after_commit``: tell these members; returns mails sent."""
    event = Event.objects.filter(pk=event_id).first()
    return 0 if event is None else tell_agenda_changed(event, member_ids)


def after_commit(event: Event, member_ids: Iterable[int]) -> None:
    """Queue the letters once the current transaction has committed (never for a rollback).

    A worker sends them with the database queue, so a re-plan never waits for the mail server;
    the immediate backend (demo, tests) still sends them at once.
    """
    ids = sorted(set(member_ids))
    if ids:
        transaction.on_commit(lambda: agenda_changed_letters.enqueue(event.pk, ids))
