"""`serendip meetings plan|check|replan` on JSON files: exit codes, messages, no stray output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

PROBLEM: dict[str, Any] = {
    "rounds": [{"id": "r1"}, {"id": "r2"}, {"id": "r3"}],
    "tables": 4,
    "people": [
        {"id": "b1", "side": "boss", "min_meetings": 2},
        {"id": "b2", "side": "boss", "min_meetings": 2},
        {"id": "s1", "side": "sponsor", "capacity": 2},
        {"id": "s2", "side": "sponsor"},
    ],
    "wishes": [{"from": "s1", "to": "b1", "weight": 3}],
}


def serendip(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("serendip")), "meetings", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_plan_then_check(tmp_path: Path) -> None:
    problem = write(tmp_path / "problem.json", PROBLEM)
    out = tmp_path / "plan.json"
    planned = serendip("plan", problem, "--out", out, "--seed", "4", "--time-limit", "5")
    assert planned.returncode == 0, planned.stderr
    assert "value 3 of at most 3 (100.00%), shortfall 0" in planned.stdout
    plan = json.loads(out.read_text())
    assert len(plan["meetings"]) == 4 and plan["stats"]["upper_bound"] == 3
    checked = serendip("check", problem, out)
    assert checked.returncode == 0 and "Every hard rule holds." in checked.stdout


def test_check_exits_1_on_a_broken_rule(tmp_path: Path) -> None:
    problem = write(tmp_path / "problem.json", PROBLEM)
    plan = write(
        tmp_path / "plan.json",
        {
            "meetings": [
                {"a": "b1", "b": "s1", "round": "r1", "table": 1},
                {"a": "b1", "b": "s1", "round": "r2", "table": 1},
                {"a": "b2", "b": "s2", "round": "r2", "table": 1},
            ]
        },
    )
    checked = serendip("check", problem, plan)
    assert checked.returncode == 1
    assert "pair once: b1 and s1 meet 2 times" in checked.stderr
    assert "table: b2 with s2 in r2: table 1 is already used by b1 with s1" in checked.stderr


def test_bad_json_exits_2_with_the_line_and_writes_nothing(tmp_path: Path) -> None:
    problem = write(tmp_path / "problem.json", '{"rounds": [\n  {"id": "r1"},\n]}')
    out = tmp_path / "plan.json"
    refused = serendip("plan", problem, "--out", out)
    assert refused.returncode == 2
    assert "problem.json: line 3, column 1: Expecting value" in refused.stderr
    assert not out.exists()


def test_a_bad_field_exits_2_naming_it_and_writes_nothing(tmp_path: Path) -> None:
    bad = {**PROBLEM, "people": [*PROBLEM["people"], {"id": "s1", "side": "sponsor"}]}
    out = tmp_path / "plan.json"
    refused = serendip("plan", write(tmp_path / "problem.json", bad), "--out", out)
    assert refused.returncode == 2
    assert "people: duplicate id 's1'" in refused.stderr
    assert not out.exists()


def test_replan_keeps_the_past_and_writes_the_changed_problem(tmp_path: Path) -> None:
    problem = write(tmp_path / "problem.json", PROBLEM)
    plan = tmp_path / "plan.json"
    assert serendip("plan", problem, "--out", plan).returncode == 0
    changes = write(tmp_path / "changes.json", {"absent": ["b2"]})
    new, changed = tmp_path / "new.json", tmp_path / "changed.json"
    result = serendip(
        "replan",
        problem,
        plan,
        changes,
        "--from-round",
        "r2",
        "--out",
        new,
        "--problem-out",
        changed,
    )
    assert result.returncode == 0, result.stderr
    assert "meetings moved" in result.stdout
    before = [m for m in json.loads(plan.read_text())["meetings"] if m["round"] == "r1"]
    after = [m for m in json.loads(new.read_text())["meetings"] if m["round"] == "r1"]
    assert before == after
    assert serendip("check", changed, new).returncode == 0
    wrong = serendip(
        "replan", problem, plan, changes, "--from-round", "r9", "--out", tmp_path / "x.json"
    )
    assert wrong.returncode == 2 and "from_round: unknown round id 'r9'" in wrong.stderr
    assert not (tmp_path / "x.json").exists()
