"""``serendip serve``: the production web server (gunicorn), for PostgreSQL and SQLite alike.

One documented command: it checks the deployment (database reachable, SQLite in WAL mode),
collects the static files that whitenoise serves, then replaces itself with gunicorn, so that
systemd, docker or the test suite signal the server itself.
"""

from __future__ import annotations

import hashlib
import os
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from serendip.web.cache import shared_cache_dir


def _env_int(name: str, default: int) -> int:
    """A whole number from the environment, with a clear error when it is not one."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"{name} must be a whole number, not {value!r}") from None


def _gunicorn_flags() -> set[str]:
    """The command-line flags this gunicorn knows (they vary between its versions)."""
    from gunicorn.config import KNOWN_SETTINGS

    return {flag for setting in KNOWN_SETTINGS for flag in (setting.cli or [])}


def gunicorn_argv(
    *, bind: str, workers: int, threads: int, timeout: int, max_requests: int
) -> list[str]:
    """The gunicorn command line serving serendip with these settings."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "serendip.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        str(min(timeout, 30)),
        # Phones poll every few seconds: a connection kept this long is reused by the next
        # poll instead of being closed under it (gunicorn's 2 s default resets them).
        "--keep-alive",
        "20",
        # The access log is serendip's own (one JSON line per request, with its id); gunicorn
        # reports its own life in the same format, on standard output.
        "--logger-class",
        "serendip.web.gunicorn_log.Logger",
        "--worker-tmp-dir",
        "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",
    ]
    if "--no-control-socket" in _gunicorn_flags():
        # Its control socket sits at one path per user: two servers on a machine would clash.
        argv.append("--no-control-socket")
    if max_requests:
        # Recycling workers now and then bounds the memory a long-running process can hoard.
        jitter = str(max_requests // 10)
        argv += ["--max-requests", str(max_requests), "--max-requests-jitter", jitter]
    return argv


def static_fingerprint() -> str:
    """A digest of every static file the apps ship (path, size, time): changes with any of them."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> bool:
    """Copy and compress the static files for whitenoise unless they are already up to date.

    Compressing them takes a while (the API docs' scripts are large), so a restart with the
    same files skips it; returns whether it ran.
    """
    root = Path(settings.STATIC_ROOT)
    stamp = root / ".serendip-collected"
    fingerprint = static_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return False
    root.mkdir(parents=True, exist_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True


class Command(BaseCommand):
    help = (
        "Serve the club with the production web server (gunicorn, static files by whitenoise). "
        "Options default to SERENDIP_BIND, SERENDIP_WORKERS, SERENDIP_THREADS, SERENDIP_TIMEOUT, "
        "SERENDIP_MAX_REQUESTS."
    )
    requires_system_checks: list[str] = []  # run below, with the database

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("SERENDIP_BIND", "127.0.0.1:8000"),
            help="address:port or unix:PATH to listen on (SERENDIP_BIND; default %(default)s)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=_env_int("SERENDIP_WORKERS", 2),
            help="server processes (SERENDIP_WORKERS; default %(default)s)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=_env_int("SERENDIP_THREADS", 4),
            help="threads per process (SERENDIP_THREADS; default %(default)s)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=_env_int("SERENDIP_TIMEOUT", 60),
            help="seconds before a stuck request's process is restarted (SERENDIP_TIMEOUT)",
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=_env_int("SERENDIP_MAX_REQUESTS", 2000),
            help="requests a process serves before it is replaced; 0 never (SERENDIP_MAX_REQUESTS)",
        )
        parser.add_argument(
            "--migrate", action="store_true", help="apply database migrations before serving"
        )
        parser.add_argument(
            "--collect-only",
            action="store_true",
            help="collect the static files and stop (for building an image: no database needed)",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="do not collect the static files into SERENDIP_STATIC_ROOT first (done at each "
            "start when they changed; whitenoise serves them from the apps meanwhile)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        if options["collect_only"]:
            collect_static()
            return
        if options["migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        # Fails here, with Django's words, when the database is unreachable or misconfigured;
        # warns when an SQLite club is not in WAL mode.
        self.check(databases=["default"], display_num_errors=False)
        if not options["no_collectstatic"]:
            collect_static()
        cache_dir = shared_cache_dir()
        argv = gunicorn_argv(
            bind=options["bind"],
            workers=options["workers"],
            threads=options["threads"],
            timeout=options["timeout"],
            max_requests=options["max_requests"],
        )
        self.stdout.write(
            f"Serving on {options['bind']} with {options['workers']} processes, "
            f"{options['threads']} threads ({settings.DATABASES['default']['ENGINE']}).",
        )
        self.stdout.flush()
        connections.close_all()  # the server's processes open their own
        os.environ["SERENDIP_CACHE_DIR"] = str(cache_dir)
        os.execv(argv[0], argv)
