"""The cache the server processes and workers share: one taker per mark, and a full folder
drops what expires first, never what the coming gong's phones will read."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
import time_machine

from serendip.web.cache import SharedFileCache


def _folder_cache(folder: Path, **options: int) -> SharedFileCache:
    """A cache on ``folder`` as one process of ``serendip serve`` holds it."""
    return SharedFileCache(str(folder), {"OPTIONS": options})


def test_only_one_of_many_processes_takes_a_mark(tmp_path: Path) -> None:
    # Each thread holds its own cache object, as each server process and worker does; all
    # ask for the same "one run at a time" mark at the same moment, twenty times over.
    for attempt in range(20):
        start = threading.Barrier(8)
        took: list[bool] = []

        def ask(key: str, start: threading.Barrier = start, took: list[bool] = took) -> None:
            cache = _folder_cache(tmp_path)
            start.wait()
            took.append(cache.add(key, True, timeout=300))

        key = f"serendip:warming-now:{attempt}"
        askers = [threading.Thread(target=ask, args=(key,)) for _ in range(8)]
        for asker in askers:
            asker.start()
        for asker in askers:
            asker.join()
        assert sorted(took) == [False] * 7 + [True], f"attempt {attempt}"


def test_a_mark_whose_time_is_up_is_taken_again(tmp_path: Path) -> None:
    cache = _folder_cache(tmp_path)
    with time_machine.travel(dt.datetime(2027, 3, 9, 14, 0, tzinfo=dt.UTC), tick=False):
        assert cache.add("serendip:warming-now:1", True, timeout=300)
        assert not cache.add("serendip:warming-now:1", True, timeout=300)
    with time_machine.travel(dt.datetime(2027, 3, 9, 14, 6, tzinfo=dt.UTC), tick=False):
        assert cache.add("serendip:warming-now:1", True, timeout=300)


def test_a_full_folder_drops_the_expired_and_soonest_to_expire_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SharedFileCache, "CHECK_EVERY", 1)  # look at the size on every write
    cache = _folder_cache(tmp_path, MAX_ENTRIES=20, CULL_FREQUENCY=4)
    with time_machine.travel(dt.datetime(2027, 3, 9, 14, 0, tzinfo=dt.UTC), tick=False):
        for n in range(3):
            cache.set(f"past-gong-{n}", "old part", timeout=60)
        cache.set("briefs", "every pair explained", timeout=None)
    with time_machine.travel(dt.datetime(2027, 3, 9, 14, 2, tzinfo=dt.UTC), tick=False):
        assert cache.add("mark", True, timeout=300)
        for n in range(10):
            cache.set(f"coming-gong-{n}", "part", timeout=900)
        for n in range(5):
            cache.set(f"passing-{n}", "part", timeout=200 + n)
        assert len(list(tmp_path.glob("*.djcache"))) == 20
        # The next write finds the folder full: it drops 5 (a quarter), then writes its own.
        cache.set("coming-gong-10", "part", timeout=900)
        everything = ["briefs", "mark"] + [f"past-gong-{n}" for n in range(3)]
        everything += [f"coming-gong-{n}" for n in range(11)] + [f"passing-{n}" for n in range(5)]
        kept = {key for key in everything if cache.has_key(key)}
    # The three expired went, then the two soonest to expire; the coming gong's parts, the
    # run's mark and what expires last stayed.
    assert kept == {"briefs", "mark", "passing-2", "passing-3", "passing-4"} | {
        f"coming-gong-{n}" for n in range(11)
    }
    assert len(list(tmp_path.glob("*.djcache"))) == 16
