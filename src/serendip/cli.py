"""The ``serendip`` command: every Django management command, plus the club's own.

``serendip demo``, ``serendip import members FILE.csv`` and the others are
management commands of the serendip apps, so ``serendip help`` lists them all.
The engine commands (``serendip meetings ...``, ``serendip mixer ...``) run before
Django is imported: they need no settings and no database (serendip.engine_commands).
"""

from __future__ import annotations

import os
import sys

# The commands that run the engines on JSON files, without Django.
ENGINE_COMMANDS = frozenset({"meetings", "mixer"})


def main(argv: list[str] | None = None) -> None:
    """Run a command named on the command line; exits with its status."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ENGINE_COMMANDS:
        from serendip.engine_commands import run

        sys.exit(run(args[0], args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serendip.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["serendip", *args])


if __name__ == "__main__":
    main()
