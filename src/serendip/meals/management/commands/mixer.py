"""``serendip mixer plan|check``: the table-rotation mixer on JSON files."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from serendip.engine_files import bad_input, read_json, write_json
from serendip.engines.checks import ProblemError
from serendip.engines.mixer.formats import parse_plan, parse_problem, plan_to_dict
from serendip.engines.mixer.measure import seating_stats
from serendip.engines.mixer.solve import solve
from serendip.engines.mixer.types import Problem, Stats
from serendip.engines.mixer.validate import validate


class Command(BaseCommand):
    help = "Seat people at tables over several rounds, strangers first (JSON, docs/formats.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        plan = actions.add_parser("plan", help="seat the people of PROBLEM into --out")
        plan.add_argument("problem", type=Path)
        plan.add_argument("--out", type=Path, required=True)
        plan.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
        plan.add_argument("--seed", type=int, default=0)
        check = actions.add_parser("check", help="check PLAN against every hard rule of PROBLEM")
        check.add_argument("problem", type=Path)
        check.add_argument("plan", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["problem"]
        try:
            problem = parse_problem(read_json(path))
        except ProblemError as exc:
            raise bad_input(path, exc) from exc
        if options["action"] == "plan":
            self._plan(problem, options)
        else:
            self._check(problem, options["plan"])

    def _summary(self, stats: Stats) -> None:
        share = 100.0 * stats.new_pairs / stats.new_pairs_bound if stats.new_pairs_bound else 100.0
        self.stdout.write(
            f"{stats.new_pairs} new pairs of at most {stats.new_pairs_bound} ({share:.2f}%), "
            f"{stats.repeated_pairs} repeated pairs, {stats.known_pairs_together} known pairs "
            f"together, {stats.colleagues_together} colleagues together, "
            f"{stats.role_bound_misses} role-bound misses, {stats.seconds:.2f} s"
        )

    def _plan(self, problem: Problem, options: dict[str, Any]) -> None:
        plan = solve(problem, time_limit=options["time_limit"], seed=options["seed"])
        write_json(options["out"], plan_to_dict(plan))
        self._summary(plan.stats)
        broken = validate(problem, plan)
        if broken:
            # The plan is still written: it is the best found, and says what it could not avoid.
            self.stderr.write(
                f"No seating without a broken rule was found in the time limit ({len(broken)}):"
            )
            for violation in broken[:20]:
                self.stderr.write(f"  {violation}")
        self.stdout.write(f"Written to {options['out']}.")

    def _check(self, problem: Problem, path: Path) -> None:
        try:
            seating = parse_plan(read_json(path), problem)
        except ProblemError as exc:
            raise bad_input(path, exc) from exc
        broken = validate(problem, seating)
        for violation in broken:
            self.stderr.write(str(violation))
        self._summary(seating_stats(problem, seating, seconds=0.0))
        if broken:
            raise CommandError(f"{len(broken)} broken rule(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS("Every hard rule holds."))
