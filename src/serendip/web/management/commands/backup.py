"""``serendip backup [--out FILE]``: a consistent copy of the club's database, site running."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from serendip.web.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back the database up: SQLite with its online backup, PostgreSQL with pg_dump -Fc. "
        "Default file: DATA_DIR/backups/serendip-<date>-<time>.<sqlite3|dump>."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--out", type=Path, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = backup(options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(written))
