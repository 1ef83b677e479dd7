"""`serendip backup` and `serendip restore` bring a club back exactly, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from serendip.members.models import Member
from tests.factories import MemberFactory
from tests.programme.seminar import build_seminar

pytestmark = pytest.mark.django_db(transaction=True)


def fingerprint() -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and a checksum of its rows (in any order)."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(tuple(str(value) for value in row)) for row in cursor.fetchall())
            tables[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return tables


def test_a_backup_restores_every_table_of_the_club(tmp_path: Path, capsys) -> None:
    seminar = build_seminar()
    before = fingerprint()
    assert before["members_member"][0] == Member.objects.count() > 0

    out = tmp_path / "club.backup"
    call_command("backup", out=out)
    assert capsys.readouterr().out.strip() == str(out)
    assert out.stat().st_size > 0
    # The members' data and password hashes: readable by the site's account only.
    assert out.stat().st_mode & 0o777 == 0o600

    # The club moves on after the backup: a member joins, another changes, an event is renamed.
    MemberFactory()
    Member.objects.filter(pk=seminar.bosses[0].pk).update(bio="written after the backup")
    seminar.event.__class__.objects.filter(pk=seminar.event.pk).update(name="Renamed")
    assert fingerprint() != before

    # A page the servers kept for the club after the backup: its version may come back.
    kept = Path(settings.DATA_DIR) / "cache" / "page.djcache"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(b"rendered after the backup")
    cache.set("live-part", "rendered after the backup")

    call_command("restore", out, interactive=False)
    after = fingerprint()
    assert after.keys() == before.keys()
    assert {t: v for t, v in after.items() if v != before[t]} == {}
    assert not kept.exists() and cache.get("live-part") is None


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    before = fingerprint()
    bogus = tmp_path / "not-a-backup"
    bogus.write_text("hello")
    with pytest.raises(CommandError):
        call_command("restore", bogus, interactive=False)
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", tmp_path / "missing", interactive=False)
    assert fingerprint() == before


def test_restore_says_when_the_backup_is_of_the_other_database(tmp_path: Path) -> None:
    before = fingerprint()
    # A file that starts as a backup of the other database does.
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
        said = "a backup of a PostgreSQL database"
    else:
        other.write_bytes(b"SQLite format 3\x00" + bytes(84))
        said = "a backup of an SQLite database"
    with pytest.raises(CommandError, match=said):
        call_command("restore", other, interactive=False)
    assert fingerprint() == before
