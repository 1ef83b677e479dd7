"""Backups of the club's database: SQLite through its online backup API, PostgreSQL through
pg_dump/pg_restore. Both run while the site is up; a restore replaces everything."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from glob import glob
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

SQLITE = "django.db.backends.sqlite3"


class BackupError(Exception):
    """A backup or restore that could not be done, in words for the operator."""


def _database(alias: str) -> dict[str, Any]:
    return connections[alias].settings_dict


def default_backup_path(alias: str = "default") -> Path:
    """``DATA_DIR/backups/serendip-YYYYmmdd-HHMMSS.<sqlite3|dump>`` for now."""
    suffix = "sqlite3" if _database(alias)["ENGINE"] == SQLITE else "dump"
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return settings.DATA_DIR / "backups" / f"serendip-{stamp}.{suffix}"


def postgres_tool(name: str) -> str:
    """The path of a PostgreSQL client program: on PATH, else Debian's newest version."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise BackupError(f"{name} not found: install PostgreSQL's client programs.")
    return candidates[-1]


def _postgres_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for the database (no password on the command line)."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()}")


def _sqlite_copy(source: str | Path, target: str | Path, *, timeout: float) -> None:
    """Copy one SQLite database into another page by page (consistent even while in use)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=timeout)
    try:
        dst = sqlite3.connect(target, timeout=timeout)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _check_sqlite_backup(path: Path) -> None:
    try:
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = probe.execute("PRAGMA quick_check").fetchone()
            migrations = probe.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'django_migrations'"
            ).fetchone()
        finally:
            probe.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite backup of serendip: {exc}") from exc
    if ok != ("ok",) or migrations != (1,):
        raise BackupError(f"{path} is not a sound SQLite backup of serendip.")


def backup(out: Path | None = None, *, alias: str = "default") -> Path:
    """Write a backup of the database to ``out`` (default: the data folder's backups/)."""
    db = _database(alias)
    out = Path(out or default_backup_path(alias)).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and moved into place: a backup file is never half written.
    fd, draft = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    os.close(fd)
    try:
        if db["ENGINE"] == SQLITE:
            os.unlink(draft)  # sqlite3 writes a fresh database
            # The online backup API reads a consistent snapshot, WAL pages included, while the
            # site keeps serving.
            _sqlite_copy(db["NAME"], draft, timeout=60)
        elif db["ENGINE"].startswith("django.db.backends.postgresql"):
            _run(
                [postgres_tool("pg_dump"), "-Fc", "--no-owner", "-f", draft, db["NAME"]],
                _postgres_env(db),
            )
        else:
            raise BackupError(f"No backup for the database engine {db['ENGINE']}.")
        # The club's members, their notes and password hashes: for the site's account only
        # (sqlite3 creates its file readable by every user of the machine).
        os.chmod(draft, 0o600)
        os.replace(draft, out)
    finally:
        if os.path.exists(draft):
            os.unlink(draft)
    return out


# The first bytes of each kind of backup: an SQLite database, and pg_dump's custom format.
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PG_DUMP_MAGIC = b"PGDMP"


def _refuse_the_other_kind(path: Path, *, postgres: bool) -> None:
    """Refuse, saying so, a backup of the other database (pg_restore would only say that it
    is "not a valid archive")."""
    with open(path, "rb") as file:
        start = file.read(len(_SQLITE_MAGIC))
    if postgres and start.startswith(_SQLITE_MAGIC):
        raise BackupError(
            f"{path} is a backup of an SQLite database; this site's database is PostgreSQL. "
            "Restore it on a site that uses SQLite (no SERENDIP_DATABASE_URL)."
        )
    if not postgres and start.startswith(_PG_DUMP_MAGIC):
        raise BackupError(
            f"{path} is a backup of a PostgreSQL database (pg_dump); this site's database is "
            "SQLite. Restore it on a PostgreSQL site (SERENDIP_DATABASE_URL)."
        )


def restore(path: Path, *, alias: str = "default") -> None:
    """Replace the database's contents with a backup made by ``backup``."""
    db = _database(alias)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    _refuse_the_other_kind(path, postgres=db["ENGINE"] != SQLITE)
    connections[alias].close()  # nothing of ours holds the database while it is replaced
    if db["ENGINE"] == SQLITE:
        _check_sqlite_backup(path)
        # Page by page into the live file, under SQLite's lock: other processes see the old
        # club or the restored one, never a mix, and the WAL journal stays consistent.
        _sqlite_copy(path, db["NAME"], timeout=60)
    elif db["ENGINE"].startswith("django.db.backends.postgresql"):
        _run(
            [
                postgres_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
                db["NAME"],
                str(path),
            ],
            _postgres_env(db),
        )
    else:
        raise BackupError(f"No restore for the database engine {db['ENGINE']}.")
