"""`serendip member export EMAIL --out FILE` and `serendip member erase EMAIL`."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from serendip.members.models import Member
from serendip.members.privacy import erase_member, export_archive, export_member


class Command(BaseCommand):
    help = "A member's privacy rights: export everything about them, or erase their account."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write everything about a member to a file")
        export.add_argument("email")
        export.add_argument(
            "--out",
            required=True,
            type=Path,
            help="the file to write: .zip for the readable archive, anything else for JSON",
        )
        erase = actions.add_parser(
            "erase", help="erase a member's personal data and login, keeping others' history"
        )
        erase.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"]
        member = Member.objects.select_related("user").filter(email__iexact=email).first()
        if member is None:
            raise CommandError(f"no member with the email {email!r}", returncode=2)
        if options["action"] == "export":
            out: Path = options["out"]
            if out.suffix.lower() == ".zip":
                out.write_bytes(export_archive(member))
            else:
                out.write_text(
                    json.dumps(export_member(member), indent=2, ensure_ascii=False),
                    encoding="utf-8",
                )
            self.stdout.write(f"wrote {out}")
        else:
            erase_member(member, actor=None)
            self.stdout.write(f"erased member #{member.pk}; their history stays, anonymised")
