"""``serendip import members FILE.csv`` and ``serendip import registrations EVENT FILE.csv``."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from serendip.csvrows import ImportRefused
from serendip.events.imports import RegistrationImportResult, import_registrations
from serendip.members.imports import MemberImportResult, import_members


class Command(BaseCommand):
    help = "Import members, or an event's registrations, from a CSV file (all or nothing)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        members = kinds.add_parser("members", help="create or update members")
        members.add_argument("file", type=Path)
        registrations = kinds.add_parser("registrations", help="register members to an event")
        registrations.add_argument("event", help="the event's short name (slug)")
        registrations.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}", returncode=2) from exc
        result: MemberImportResult | RegistrationImportResult
        try:
            if options["kind"] == "members":
                result = import_members(data)
                noun = "members"
            else:
                result = import_registrations(options["event"], data)
                noun = "registrations"
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(f"{path}: {error}")
            raise CommandError(
                f"{len(refused.errors)} error(s); nothing was imported.", returncode=2
            ) from refused
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created + result.updated} {noun} "
                f"({result.created} new, {result.updated} updated)."
            )
        )
