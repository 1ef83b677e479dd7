"""Django's file cache, shared by the server's processes, without listing the folder per write.

Django's FileBasedCache counts its files on every ``set`` to decide whether to cull; with
thousands of rendered pages that listing costs more than the write. Here a process culls on
one write in ``CHECK_EVERY`` only (the folder may then hold a few entries beyond MAX_ENTRIES).
"""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache


class SharedFileCache(FileBasedCache):
    """Files in a folder every server process reads (``SERENDIP_CACHE_DIR``)."""

    CHECK_EVERY = 64

    def __init__(self, dir: str, params: dict[str, object]) -> None:  # Django's parameter names
        super().__init__(dir, params)
        self._writes = itertools.count()
        self._cull_lock = threading.Lock()

    def _cull(self) -> None:
        """Cull as Django does, on one write in ``CHECK_EVERY``."""
        if next(self._writes) % self.CHECK_EVERY:
            return
        with self._cull_lock:
            super()._cull()  # type: ignore[misc]  # django-stubs leave out FileBasedCache._cull


def shared_cache_dir() -> Path:
    """The folder of the cache the server's processes share, emptied for a fresh start.

    ``SERENDIP_CACHE_DIR`` when set, else the data folder's ``cache``. Emptied because what it
    holds is keyed by versions that a restored or rebuilt database may count again.
    """
    folder = Path(settings.SERENDIP_CACHE_DIR or Path(settings.DATA_DIR) / "cache")
    folder.mkdir(parents=True, exist_ok=True)
    for entry in folder.glob("*.djcache"):
        entry.unlink(missing_ok=True)
    return folder
