"""A server process imports its views and compiles the live pages before its first request."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from serendip.web.warmup import LIVE_TEMPLATES

# What a fresh interpreter holds after loading the application as gunicorn does, read
# without a request and without a database (the data folder is empty).
PROBE = """
import json, sys
import serendip.wsgi
from django.template import engines
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "modules": sorted(m for m in sys.modules if m.startswith("serendip.")),
    "templates": sorted(key.split("-")[0] for key in loader.get_template_cache),
}))
"""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "serendip.settings",
        "SERENDIP_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "SERENDIP_SECRET_KEY": "warm-up-test-" + "x" * 40,
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_loading_the_application_imports_every_view_and_the_api(loaded) -> None:
    # The URL modules pull in the API (its operations' models) and the reports (matplotlib):
    # seconds a first request would have spent while the process's other threads waited.
    for module in ("serendip.urls", "serendip.api.routes", "serendip.reports.views"):
        assert module in loaded["modules"], module


def test_loading_the_application_compiles_the_live_pages(loaded) -> None:
    assert set(LIVE_TEMPLATES) <= set(loaded["templates"])
