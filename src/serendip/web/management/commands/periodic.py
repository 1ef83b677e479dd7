"""``serendip periodic``: queue the club's periodic jobs that are due (digest, expiries, letters).

Run it from a timer every few minutes (``--every SECONDS`` keeps it running instead): a job
already done for its period is skipped, so running it often, or on two machines, sends nothing
twice.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from serendip.web.periodic import run_periodic


class Command(BaseCommand):
    help = (
        "Queue the periodic jobs that are due: the weekly digest, introduction expiries and "
        "reminders, the day-before letters. Each runs once per period."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="keep running, checking every SECONDS (default: once, then exit)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            for line in run_periodic():
                self.stdout.write(line)
            if options["every"] <= 0:
                return
            close_old_connections()
            time.sleep(options["every"])
