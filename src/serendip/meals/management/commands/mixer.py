"""``serendip mixer plan|check``: listed in ``serendip help``; runs without Django.

The command itself lives in serendip.engine_commands (``serendip mixer`` goes there
directly, before Django starts); this stub lets ``manage.py``-style callers reach it too.
"""

from __future__ import annotations

import sys
from argparse import REMAINDER, ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from serendip.engine_commands import run


class Command(BaseCommand):
    help = "Seat people at tables over several rounds, strangers first (JSON, docs/formats.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Everything after the command's name goes to the Django-free command as it is."""
        parser.add_argument("args", nargs=REMAINDER)

    def run_from_argv(self, argv: list[str]) -> None:
        """Hand the arguments after ``mixer`` to the Django-free command."""
        sys.exit(run("mixer", argv[2:]))

    def handle(self, *args: Any, **options: Any) -> None:
        """Run with arguments given as strings (``call_command("mixer", "check", ...)``)."""
        code = run("mixer", [str(a) for a in args], stdout=self.stdout, stderr=self.stderr)
        if code:
            sys.exit(code)
