"""Reading and writing the engines' JSON files for the ``serendip`` engine commands.

Shared by every engine command so that they all refuse bad files the same way
(exit code 2, the file, the place and the reason) and never leave a half-written
output behind. No Django: the engine commands run without settings.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

BAD_INPUT = 2
BROKEN_RULE = 1


class CommandFailed(Exception):
    """An engine command stops: the message for stderr and the exit code."""

    def __init__(self, message: str, *, returncode: int) -> None:
        super().__init__(message)
        self.returncode = returncode


def read_json(path: Path) -> Any:
    """The decoded JSON of ``path``; CommandFailed (exit 2) naming the line and column if not."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandFailed(f"{path}: {exc.strerror}", returncode=BAD_INPUT) from exc
    except UnicodeDecodeError as exc:
        raise CommandFailed(f"{path}: not UTF-8 ({exc.reason})", returncode=BAD_INPUT) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandFailed(
            f"{path}: line {exc.lineno}, column {exc.colno}: {exc.msg}", returncode=BAD_INPUT
        ) from exc


def bad_input(path: Path, reason: object) -> CommandFailed:
    """The error for a file whose content breaks the format: exit code 2."""
    return CommandFailed(f"{path}: {reason}", returncode=BAD_INPUT)


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` to ``path`` atomically: readers see the old file or the whole new one."""
    directory = path.resolve().parent
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=directory, suffix=".tmp", delete=False
    ) as out:
        json.dump(data, out, ensure_ascii=False, indent=1)
        out.write("\n")
    os.replace(out.name, path)
