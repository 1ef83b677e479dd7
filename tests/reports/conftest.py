"""Each test starts with an empty cache: reports keep figures under keys made of ids, which a
rolled-back test database hands out again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
