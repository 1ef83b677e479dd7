"""``serendip worker``: run jobs from the database queue (django-tasks-db's ``db_worker``).

The same worker with production defaults: every queue, no autoreload, polling every second
(``SERENDIP_WORKER_INTERVAL``). Several workers, on one machine or several, share one
PostgreSQL without running a job twice: each takes the next job with
``SELECT ... FOR UPDATE SKIP LOCKED`` and marks it running in the same transaction (on SQLite,
an exclusive transaction does the same). A job left running by a dead worker goes back to the
queue after ``SERENDIP_JOB_TIMEOUT_SECONDS`` (serendip.web.lost_jobs): swept as a worker starts
and by ``serendip periodic``.
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from serendip.web.live import warm_gongs_under_way
from serendip.web.lost_jobs import give_up_lost_jobs

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


class Command(DbWorker):
    help = (
        "Run background jobs (planning, letters, digests) from the database queue. "
        f"Needs SERENDIP_TASKS_BACKEND={DATABASE_BACKEND}."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        """Refuse at once, in plain words, when jobs are not queued in the database."""
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError(
                "Jobs run inside the web process with this configuration: set "
                f"SERENDIP_TASKS_BACKEND={DATABASE_BACKEND} for the web server and the worker."
            )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def run_from_argv(self, argv: list[str]) -> None:
        """As Django's, with the refusal above reported as a command error."""
        try:
            super().run_from_argv(argv)
        except CommandError as refused:
            self.stderr.write(f"CommandError: {refused}")
            raise SystemExit(2) from refused

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(
            queue_name=os.environ.get("SERENDIP_WORKER_QUEUES", "*"),
            interval=float(os.environ.get("SERENDIP_WORKER_INTERVAL", "1")),
            reload=False,
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Sweep the jobs of dead workers, ask for the next gong's pages of a seminar under
        way, then work as django-tasks-db's worker does."""
        swept = give_up_lost_jobs()
        if swept.requeued or swept.failed:
            self.stdout.write(f"lost jobs: {swept.requeued} queued again, {swept.failed} failed")
        warm_gongs_under_way()
        super().handle(*args, **options)
