"""The ``serendip`` command: every Django management command, plus the club's own.

``serendip demo``, ``serendip import members FILE.csv`` and the others are
management commands of the serendip apps, so ``serendip help`` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command named on the command line; exits with its status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serendip.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["serendip", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
