"""Start-up checks of the deployment: an SQLite club must run in WAL mode."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabase


def sqlite_journal_mode(alias: str = "default") -> str | None:
    """The journal mode of an SQLite database ("wal", "delete"...), None for other engines."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        row = cursor.fetchone()
    return str(row[0]).lower() if row else None


@register(Tags.database)
def check_sqlite_wal(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    """Warn when an SQLite database file is not in WAL mode (readers would block writers)."""
    found: list[CheckMessage] = []
    for alias in databases or []:
        connection = connections[alias]
        if not isinstance(connection, SQLiteDatabase) or connection.is_in_memory_db():
            continue
        try:
            mode = sqlite_journal_mode(alias)
        except DatabaseError as exc:
            found.append(
                Warning(f"Cannot read the journal mode of {alias!r}: {exc}", id="serendip.W002")
            )
            continue
        if mode != "wal":
            found.append(
                Warning(
                    f"The SQLite database {alias!r} runs in journal mode {mode!r}, not WAL: "
                    "readers and writers will block each other under load.",
                    hint="Keep the init_command 'PRAGMA journal_mode=WAL' in "
                    "DATABASES['default']['OPTIONS'] (serendip's settings do), and make sure the "
                    "data folder is on a local disk (WAL needs shared memory).",
                    id="serendip.W001",
                )
            )
    return found
