"""``serendip meetings plan|check|replan``: the one-to-one programme engine on JSON files."""

from __future__ import annotations

from argparse import ArgumentParser
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from serendip.engine_files import bad_input, read_json, write_json
from serendip.engines.checks import ProblemError
from serendip.engines.meetings.formats import (
    parse_changes,
    parse_meetings,
    parse_problem,
    plan_to_dict,
    problem_to_dict,
)
from serendip.engines.meetings.replan import replan
from serendip.engines.meetings.solve import pin_fixed, relax, solve
from serendip.engines.meetings.stats import plan_stats
from serendip.engines.meetings.timetable import Timetable
from serendip.engines.meetings.types import Plan, Problem, Stats
from serendip.engines.meetings.validate import validate


class Command(BaseCommand):
    help = "Plan, check or re-plan a one-to-one meetings programme (JSON files, docs/formats.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        plan = actions.add_parser("plan", help="plan the programme of PROBLEM into --out")
        plan.add_argument("problem", type=Path)
        plan.add_argument("--out", type=Path, required=True)
        check = actions.add_parser("check", help="check PLAN against every hard rule of PROBLEM")
        check.add_argument("problem", type=Path)
        check.add_argument("plan", type=Path)
        again = actions.add_parser("replan", help="re-plan from a round after CHANGES")
        again.add_argument("problem", type=Path)
        again.add_argument("plan", type=Path)
        again.add_argument("changes", type=Path)
        again.add_argument("--from-round", required=True, help="the first round that may change")
        again.add_argument("--out", type=Path, required=True)
        again.add_argument(
            "--problem-out", type=Path, help="also write the changed problem (to check NEW against)"
        )
        for sub in (plan, again):
            sub.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
            sub.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        problem = self._problem(options["problem"])
        if options["action"] == "plan":
            plan = solve(problem, time_limit=options["time_limit"], seed=options["seed"])
            self._write(problem, plan, options["out"])
        elif options["action"] == "check":
            self._check(problem, options["plan"])
        else:
            self._replan(problem, options)

    def _problem(self, path: Path) -> Problem:
        try:
            return parse_problem(read_json(path))
        except ProblemError as exc:
            raise bad_input(path, exc) from exc

    def _plan(self, problem: Problem, path: Path) -> Plan:
        try:
            meetings = parse_meetings(read_json(path), problem)
        except ProblemError as exc:
            raise bad_input(path, exc) from exc
        return Plan(meetings, plan_stats(problem, meetings, upper_bound=0, seconds=0.0))

    def _write(self, problem: Problem, plan: Plan, out: Path) -> None:
        broken = validate(problem, plan)
        if broken:  # never expected: the solver and the checker disagree
            raise CommandError(f"the plan breaks a rule, not written: {broken[0]}", returncode=1)
        write_json(out, plan_to_dict(plan))
        self._summary(plan.stats)
        self.stdout.write(f"Written to {out}.")

    def _summary(self, stats: Stats) -> None:
        share = 100.0 * stats.value / stats.upper_bound if stats.upper_bound else 100.0
        self.stdout.write(
            f"{stats.meetings} meetings, value {stats.value} of at most {stats.upper_bound} "
            f"({share:.2f}%), shortfall {stats.shortfall} "
            f"({len(stats.below_min)} people below their minimum), "
            f"{stats.idle_gaps} idle gaps, {stats.seconds:.2f} s"
            + (f", {stats.moved} meetings moved" if stats.moved is not None else "")
        )
        for short in stats.below_min[:20]:
            self.stdout.write(f"  {short.id}: {short.meetings} meetings, minimum {short.min}")

    def _check(self, problem: Problem, path: Path) -> None:
        plan = self._plan(problem, path)
        broken = validate(problem, plan)
        for violation in broken:
            self.stderr.write(str(violation))
        table = Timetable(problem)
        pin_fixed(table)
        _, bound = relax(table)
        stats = replace(plan.stats, upper_bound=bound.for_shortfall(plan.stats.shortfall))
        self._summary(stats)
        if broken:
            raise CommandError(f"{len(broken)} broken rule(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS("Every hard rule holds."))

    def _replan(self, problem: Problem, options: dict[str, Any]) -> None:
        plan = self._plan(problem, options["plan"])
        if validate(problem, plan):
            raise bad_input(
                options["plan"], "this plan breaks rules of the problem; check it first"
            )
        try:
            changes = parse_changes(read_json(options["changes"]), problem)
        except ProblemError as exc:
            raise bad_input(options["changes"], exc) from exc
        try:
            changed, new_plan = replan(
                problem,
                plan,
                changes,
                from_round=options["from_round"],
                time_limit=options["time_limit"],
                seed=options["seed"],
            )
        except ProblemError as exc:
            raise bad_input(options["changes"], exc) from exc
        if options["problem_out"]:
            write_json(options["problem_out"], problem_to_dict(changed))
        self._write(changed, new_plan, options["out"])
