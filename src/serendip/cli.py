"""The ``serendip`` command: every Django management command, plus the club's own.

``serendip demo``, ``serendip import members FILE.csv`` and the others are
management commands of the serendip apps, so ``serendip help`` lists them all.
The engine commands (``serendip meetings ...``, ``serendip mixer ...``) run before
Django is imported: they need no settings and no database (serendip.engine_commands).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The commands that run the engines on JSON files, without Django.
ENGINE_COMMANDS = frozenset({"meetings", "mixer"})
# The commands whose jobs fill the cache the web servers read (the why and how of each pair,
# the phones' live parts rendered ahead of the gong): they share ``serendip serve``'s folder.
SHARING_THE_SERVERS_CACHE = frozenset({"worker", "periodic"})


def _share_the_servers_cache() -> None:
    """Point this process's cache at the folder ``serendip serve`` uses (before settings load).

    Without it a worker would keep what it renders in its own memory, where no server reads it.
    The folder is the data folder's ``cache`` unless ``SERENDIP_CACHE_DIR`` names one.
    """
    if os.environ.get("SERENDIP_CACHE_DIR", "").strip():
        return
    data = Path(os.environ.get("SERENDIP_DATA_DIR", Path.cwd() / "data")).resolve()
    folder = data / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SERENDIP_CACHE_DIR"] = str(folder)


def main(argv: list[str] | None = None) -> None:
    """Run a command named on the command line; exits with its status."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ENGINE_COMMANDS:
        from serendip.engine_commands import run

        sys.exit(run(args[0], args[1:]))
    if args and args[0] in SHARING_THE_SERVERS_CACHE:
        _share_the_servers_cache()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serendip.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["serendip", *args])


if __name__ == "__main__":
    main()
