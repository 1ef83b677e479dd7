"""``serendip network digest|expire``: the weekly digest and the introductions' clock."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from serendip.network.digest import send_digests
from serendip.network.introductions import expire_and_remind


class Command(BaseCommand):
    help = "Send the weekly digest, or expire and remind pending introductions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["digest", "expire"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["job"] == "digest":
            result = send_digests.enqueue()
            self.stdout.write(f"Digest queued ({result.status}).")
        else:
            expired, reminded = expire_and_remind()
            self.stdout.write(f"{expired} introductions expired, {reminded} reminders sent.")
