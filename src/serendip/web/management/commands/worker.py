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
import time
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from serendip.web.live import warm_gongs_under_way
from serendip.web.lost_jobs import give_up_lost_jobs

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
# How often a worker started before the migrations looks again.
MIGRATIONS_POLL_SECONDS = 2.0


def unapplied_migrations() -> list[str]:
    """The migrations the database still lacks ("app.name"), in the order they would run."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def wait_for_migrations(
    say: Callable[[str], object], *, sleep: Callable[[float], object] = time.sleep
) -> None:
    """Return once the database is migrated, saying once what it waits for.

    A worker started beside ``serendip serve --migrate`` (systemd starts both at once, after an
    upgrade too) would otherwise fail on a table not created yet, and be restarted until
    systemd gives up on it.
    """
    told = False
    while pending := unapplied_migrations():
        if not told:
            say(
                f"waiting for the database's migrations ({len(pending)} to apply, first "
                f"{pending[0]}): run `serendip migrate`, or start `serendip serve --migrate`"
            )
            told = True
        sleep(MIGRATIONS_POLL_SECONDS)


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
        # django-tasks-db's help states its own defaults: say serendip's, and where they come from.
        ours = {
            "queue_name": "The queues to process, separated by commas; '*' for all "
            "(default: SERENDIP_WORKER_QUEUES, else '*')",
            "interval": "Seconds to wait, when the queue is empty, before looking again "
            "(default: SERENDIP_WORKER_INTERVAL, else 1)",
            "reload": "Reload the worker on code changes: for development only (default: off)",
        }
        for action in parser._actions:
            action.help = ours.get(action.dest, action.help)

    def handle(self, *args: Any, **options: Any) -> None:
        """Wait for the database's migrations, sweep the jobs of dead workers, ask for the next
        gong's pages of a seminar under way, then work as django-tasks-db's worker does."""
        wait_for_migrations(self.stdout.write)
        swept = give_up_lost_jobs()
        if swept.requeued or swept.failed:
            self.stdout.write(f"lost jobs: {swept.requeued} queued again, {swept.failed} failed")
        warm_gongs_under_way()
        super().handle(*args, **options)
