"""The database's planner statistics after a demo club is written in one go."""

from __future__ import annotations

from django.db import connection


def refresh_planner_statistics() -> None:
    """Let PostgreSQL see the tables it was just given (a no-op on SQLite).

    Right after a bulk load, and inside the loading transaction where autovacuum cannot
    look, PostgreSQL plans as if every table were nearly empty: a member's introductions
    (three joins to members) then took minutes. ANALYZE counts the rows the current
    transaction wrote too.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
