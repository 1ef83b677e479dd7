"""`serendip mixer plan|check` on JSON files: exit codes, messages, no stray output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

PROBLEM: dict[str, Any] = {
    "people": [{"id": f"p{i}", "organization": f"org{i % 6}"} for i in range(12)],
    "tables": [3, 3, 3, 3],
    "rounds": 2,
    "rules": {"separate_organizations": True},
}


def serendip(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("serendip")), "mixer", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_plan_then_check(tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(PROBLEM))
    out = tmp_path / "plan.json"
    planned = serendip("plan", problem, "--out", out, "--time-limit", "10")
    assert planned.returncode == 0, planned.stderr
    assert "0 repeated pairs" in planned.stdout and "0 colleagues together" in planned.stdout
    # 12 people at 4 tables of 3 for 2 rounds: 24 new pairs at most, reached, so it stops.
    assert "24 new pairs of at most 24 (100.00%) (the best possible)" in planned.stdout
    plan = json.loads(out.read_text())
    assert len(plan["rounds"]) == 2 and all(len(r) == 4 for r in plan["rounds"])
    checked = serendip("check", problem, out)
    assert checked.returncode == 0 and "Every hard rule holds." in checked.stdout


def test_check_exits_1_when_colleagues_sit_together(tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps({**PROBLEM, "rounds": 1}))
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {
                "rounds": [
                    [
                        ["p0", "p6", "p1"],
                        ["p2", "p3", "p5"],
                        ["p4", "p7", "p8"],
                        ["p9", "p10", "p11"],
                    ]
                ]
            }
        )
    )
    checked = serendip("check", problem, plan)
    assert checked.returncode == 1
    assert "colleagues: round 1, table 1: colleagues p0 and p6 sit together" in checked.stderr


def test_an_impossible_rule_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps({**PROBLEM, "tables": [12]}))
    out = tmp_path / "plan.json"
    refused = serendip("plan", problem, "--out", out)
    assert refused.returncode == 2
    assert "'org0' has 2 people but there are only 1 tables" in refused.stderr
    assert not out.exists()
    problem.write_text("{not json")
    refused = serendip("plan", problem, "--out", out)
    assert refused.returncode == 2 and "line 1, column 2" in refused.stderr
    assert not out.exists()


def test_plan_says_which_hard_rules_conflict_and_why(tmp_path: Path) -> None:
    problem = tmp_path / "problem.json"
    problem.write_text(
        json.dumps(
            {
                "people": [{"id": f"p{i}"} for i in range(6)],
                "tables": [3, 3],
                "rounds": 2,
                "hosts": {"p0": 1, "p1": 1},
            }
        )
    )
    out = tmp_path / "plan.json"
    planned = serendip("plan", problem, "--out", out, "--time-limit", "2")
    assert planned.returncode == 0
    assert "repeated pair: p0 and p1 sit together in 2 rounds (1, 2)" in planned.stderr
    assert "These hard rules cannot all hold:" in planned.stderr
    assert "p0 and p1 both host table 1, so they sit together in all 2 rounds" in planned.stderr
    assert json.loads(out.read_text())["conflicts"]
    checked = serendip("check", problem, out)  # the conflicts in the file are ignored
    assert checked.returncode == 1 and "new pairs of at most" in checked.stdout
