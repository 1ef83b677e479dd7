"""Django's file cache, shared by the server's processes and the queue workers.

Three changes to Django's FileBasedCache, each found on a live round of 450 phones:

- ``add`` is atomic across processes. Django's checks then writes, so two workers could
  both take the same "one run at a time" mark and walk the room side by side.
- A full cache drops first what has expired, then what expires soonest. Django's drops a
  random quarter: the parts rendered for the coming gong, the explained pairs of the day,
  the marks of runs under way, so that the room's phones then rendered their own.
- A process looks at the folder's size on one write in ``CHECK_EVERY`` only: Django's
  lists the folder on every write, which with thousands of parts costs more than the write.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pickle
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class SharedFileCache(FileBasedCache):
    """Files in a folder every server process reads (``SERENDIP_CACHE_DIR``)."""

    CHECK_EVERY = 64
    ADD_LOCK = "add.lock"  # not a cache entry: its name does not end in ``cache_suffix``

    def __init__(self, dir: str, params: dict[str, Any]) -> None:  # Django's parameter names
        super().__init__(dir, params)
        self._folder = os.path.abspath(dir)  # Django's own ``_dir``, which its stubs leave out
        self._writes = itertools.count()
        self._cull_lock = threading.Lock()

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        """Set ``key`` only if no live entry holds it, as one step for every process."""
        os.makedirs(self._folder, exist_ok=True)  # the folder may be emptied at any time
        # One lock file for the folder: adds are few (a job asked, a run started, a part),
        # and every add holding it sees the others' writes. Plain ``set`` does not take it.
        with open(os.path.join(self._folder, self.ADD_LOCK), "ab") as lock:
            locks.lock(lock, locks.LOCK_EX)
            try:
                return super().add(key, value, timeout, version)
            finally:
                locks.unlock(lock)

    def _cull(self) -> None:
        """On one write in ``CHECK_EVERY``, make room if the folder holds MAX_ENTRIES or more."""
        if next(self._writes) % self.CHECK_EVERY:
            return
        with self._cull_lock:
            entries = [
                e.path for e in os.scandir(self._folder) if e.name.endswith(self.cache_suffix)
            ]
            if len(entries) < self._max_entries:
                return
            if self._cull_frequency == 0:
                self.clear()
                return
            # Down to MAX_ENTRIES less its CULL_FREQUENCY-th, expired and soonest to expire
            # first: what a page will still read (the parts of the coming gong) stays.
            goes = len(entries) - self._max_entries + self._max_entries // self._cull_frequency
            for path in sorted(entries, key=_expiry)[:goes]:
                with contextlib.suppress(FileNotFoundError):  # another process's cull
                    os.remove(path)


def _expiry(path: str) -> float:
    """When a cache file's entry expires (0 if unreadable, infinity if never)."""
    try:
        with open(path, "rb") as f:
            expiry = pickle.load(f)  # Django's file starts with the entry's expiry time
    except (OSError, EOFError, pickle.UnpicklingError):
        return 0.0
    return float("inf") if expiry is None else float(expiry)


def shared_cache_dir() -> Path:
    """The folder of the cache the server's processes share, emptied for a fresh start.

    ``SERENDIP_CACHE_DIR`` when set, else the data folder's ``cache``. Emptied because what it
    holds is keyed by versions that a restored or rebuilt database may count again, and was
    rendered by the code before this start. Its ``marks`` folder (the ``marks`` cache: which
    background run is under way) is left to the workers, which may have started first.
    """
    folder = Path(settings.SERENDIP_CACHE_DIR or Path(settings.DATA_DIR) / "cache")
    folder.mkdir(parents=True, exist_ok=True)
    for entry in folder.glob("*.djcache"):
        entry.unlink(missing_ok=True)
    return folder
