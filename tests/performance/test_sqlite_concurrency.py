"""Two writers and twenty readers at once on the configured database (on SQLite a file in WAL
mode): nobody sees "database is locked" and every reader finishes. Timings go to the benchmark
(docs/benchmarks.md), not into an assertion."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from serendip.events.models import Event
from serendip.members.models import Member
from serendip.members.services import update_profile
from tests.factories import EventFactory, MemberFactory


@pytest.mark.django_db(transaction=True)
def test_two_writers_and_twenty_readers_never_see_a_locked_database() -> None:
    members = MemberFactory.create_batch(2)
    event = EventFactory()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    errors: list[BaseException] = []
    finished: list[int] = []
    start = threading.Barrier(22)

    def writer(member: Member) -> None:
        try:
            start.wait()
            for n in range(15):
                update_profile(Member.objects.get(pk=member.pk), headline=f"CIO {n}")
                Event.objects.filter(pk=event.pk).update(description=f"round {n}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def reader(n: int) -> None:
        try:
            start.wait()
            for _ in range(15):
                list(Member.objects.values_list("headline", flat=True))
                Event.objects.get(pk=event.pk)
            finished.append(n)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(m,)) for m in members]
    threads += [threading.Thread(target=reader, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [e for e in errors if "locked" in str(e)]
    assert not errors
    assert sorted(finished) == list(range(20))
    assert Member.objects.get(pk=members[0].pk).headline == "CIO 14"
