"""Telling attendees that their agenda changed, whichever path changed it."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from serendip import mail
from serendip.events.models import Event
from serendip.members.models import Member


def tell_agenda_changed(event: Event, member_ids: Iterable[int]) -> int:
    """Email each member whose meetings changed a link to their new agenda; returns mails sent.

    Nobody is told about a programme that is not published yet: they have not seen it.
    """
    if not event.published:
        return 0
    link = settings.SERENDIP_SITE_URL + reverse("agenda", args=[event.slug])
    return mail.send(
        mail.letter(
            "programme/email/agenda_changed",
            {"member": member, "event": event, "link": link},
            to=member.email,
            language=member.language,
        )
        for member in Member.objects.filter(pk__in=set(member_ids)).exclude(email="").order_by("pk")
    )


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
