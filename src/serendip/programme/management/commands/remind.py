"""``serendip remind EVENT``: send the day-before letter to everyone with meetings."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from serendip.events.models import Event
from serendip.programme.letters import send_day_before


class Command(BaseCommand):
    help = "Email each attendee their agenda, the three meetings that matter most and icebreakers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event", help="the event's short name (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            raise CommandError(f"no event with short name {options['event']!r}", returncode=2)
        if not event.published:
            raise CommandError("publish the programme before sending the letter", returncode=2)
        sent = send_day_before(event)
        self.stdout.write(f"{sent} letters sent for {event.name}.")
