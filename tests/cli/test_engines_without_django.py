"""The engine commands run without Django: no settings, and django never imported.

The engines and their commands could ship on their own (docs/architecture.md): the
``serendip`` entry point runs ``meetings`` and ``mixer`` before Django is imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

MEETINGS: dict[str, Any] = {
    "rounds": [{"id": "r1"}, {"id": "r2"}],
    "tables": 2,
    "people": [
        {"id": "b1", "side": "boss", "min_meetings": 1},
        {"id": "b2", "side": "boss"},
        {"id": "s1", "side": "sponsor", "capacity": 2},
    ],
    "wishes": [{"from": "s1", "to": "b1", "weight": 3}],
}
MIXER: dict[str, Any] = {
    "people": [{"id": f"p{i}", "organization": f"org{i % 3}"} for i in range(9)],
    "tables": [3, 3, 3],
    "rounds": 2,
    "rules": {"separate_organizations": True},
}


def imported_modules(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run the ``serendip`` entry point with no Django settings; its result and every import."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    script = Path(sys.executable).with_name("serendip")
    command = [sys.executable, "-X", "importtime", str(script), *map(str, args)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    # -X importtime writes "import time: self | cumulative | module" lines to stderr.
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return result, modules


@pytest.mark.parametrize(
    ("engine", "problem"),
    [("meetings", MEETINGS), ("mixer", MIXER)],
)
def test_plan_and_check_import_no_django(
    engine: str, problem: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(problem))
    out = tmp_path / "plan.json"
    planned, modules = imported_modules(engine, "plan", path, "--out", out, "--time-limit", "2")
    assert planned.returncode == 0, planned.stderr[-2000:]
    assert "serendip.engines" in modules  # the measurement sees the engine's imports
    assert not {m for m in modules if m == "django" or m.startswith("django.")}
    checked, modules = imported_modules(engine, "check", path, out)
    assert checked.returncode == 0 and "Every hard rule holds." in checked.stdout
    assert not {m for m in modules if m == "django" or m.startswith("django.")}


def test_a_bad_file_is_refused_without_django(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    path.write_text('{"rounds": [')
    refused, modules = imported_modules("meetings", "plan", path, "--out", tmp_path / "p.json")
    assert refused.returncode == 2
    assert "problem.json: line 1, column 13" in refused.stderr
    assert "django" not in modules


def test_a_bad_argument_exits_2_with_the_usage(tmp_path: Path) -> None:
    refused, _modules = imported_modules("mixer", "seat", tmp_path / "problem.json")
    assert refused.returncode == 2
    assert "serendip mixer: argument action: invalid choice: 'seat'" in refused.stderr


def test_django_commands_still_go_through_django() -> None:
    result, modules = imported_modules("help")
    assert result.returncode == 0
    assert "meetings" in result.stdout and "mixer" in result.stdout  # listed beside the others
    assert "django" in modules
