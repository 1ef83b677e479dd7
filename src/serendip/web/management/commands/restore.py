"""``serendip restore FILE``: replace the club's database with a backup."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError

from serendip.web.backup import BackupError, restore
from serendip.web.cache import shared_cache_dir


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup from `serendip backup` (stop the web "
        "server and the workers first)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interactive"]:
            answer = input(
                f"Everything in the database will be replaced by {options['file']}. "
                "Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Pages kept in the cache are keyed by versions the restored club may count again.
        caches["default"].clear()
        shared_cache_dir()
        self.stdout.write(f"Restored {options['file']}.")
