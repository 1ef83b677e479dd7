"""``serendip meetings ...`` and ``serendip mixer ...``: the engines on JSON files, without Django.

The engine commands read a problem file, plan, check or re-plan, and write the plan file
(formats in docs/formats.md). They need no settings and no database, and import nothing
from Django: the engines and these commands could ship on their own. ``serendip.cli``
runs them before Django is even imported.

Exit codes: 0 done, 1 a broken rule, 2 a bad file or argument.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from serendip.engine_files import (
    BAD_INPUT,
    BROKEN_RULE,
    CommandFailed,
    bad_input,
    read_json,
    write_json,
)
from serendip.engines import meetings, mixer

DOCS = "JSON files, docs/formats.md"


class _Parser(argparse.ArgumentParser):
    """argparse that stops with CommandFailed (exit 2) instead of leaving the process."""

    def error(self, message: str) -> Any:
        raise CommandFailed(f"{self.prog}: {message}", returncode=BAD_INPUT)


class Stream(Protocol):
    """Where text goes: a file, sys.stdout, or a Django command's output wrapper."""

    def write(self, text: str, /) -> object:
        """Write the text as it is."""


class _Out:
    """Where a command writes: its lines for stdout and for stderr."""

    def __init__(self, stdout: Stream, stderr: Stream) -> None:
        self.stdout, self.stderr = stdout, stderr

    def say(self, line: str) -> None:
        """A line of the report, on stdout."""
        self.stdout.write(line + "\n")

    def warn(self, line: str) -> None:
        """A line about what is wrong, on stderr."""
        self.stderr.write(line + "\n")


def _meetings_parser() -> _Parser:
    parser = _Parser(
        prog="serendip meetings",
        description=f"Plan, check or re-plan a one-to-one meetings programme ({DOCS}).",
    )
    actions = parser.add_subparsers(dest="action", required=True, parser_class=_Parser)
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
    return parser


def _meetings_problem(path: Path) -> meetings.Problem:
    try:
        return meetings.parse_problem(read_json(path))
    except meetings.ProblemError as exc:
        raise bad_input(path, exc) from exc


def _meetings_plan(problem: meetings.Problem, path: Path) -> meetings.Plan:
    try:
        return meetings.parse_plan(read_json(path), problem)
    except meetings.ProblemError as exc:
        raise bad_input(path, exc) from exc


def _meetings_summary(out: _Out, stats: meetings.Stats) -> None:
    share = 100.0 * stats.value / stats.upper_bound if stats.upper_bound else 100.0
    out.say(
        f"{stats.meetings} meetings, value {stats.value} of at most {stats.upper_bound} "
        f"({share:.2f}%), shortfall {stats.shortfall} "
        f"({len(stats.below_min)} people below their minimum), "
        f"{stats.idle_gaps} idle gaps, {stats.seconds:.2f} s"
        + (f", {stats.moved} meetings moved" if stats.moved is not None else "")
    )
    for short in stats.below_min[:20]:
        out.say(f"  {short.id}: {short.meetings} meetings, minimum {short.min}")


def _meetings_write(out: _Out, problem: meetings.Problem, plan: meetings.Plan, path: Path) -> None:
    broken = meetings.validate(problem, plan)
    if broken:  # never expected: the solver and the checker disagree
        raise CommandFailed(
            f"the plan breaks a rule, not written: {broken[0]}", returncode=BROKEN_RULE
        )
    write_json(path, meetings.plan_to_dict(plan))
    _meetings_summary(out, plan.stats)
    out.say(f"Written to {path}.")


def _meetings_replan(out: _Out, problem: meetings.Problem, options: argparse.Namespace) -> None:
    plan = _meetings_plan(problem, options.plan)
    if meetings.validate(problem, plan):
        raise bad_input(options.plan, "this plan breaks rules of the problem; check it first")
    try:
        changes = meetings.parse_changes(read_json(options.changes), problem)
        changed, new_plan = meetings.replan(
            problem,
            plan,
            changes,
            from_round=options.from_round,
            time_limit=options.time_limit,
            seed=options.seed,
        )
    except meetings.ProblemError as exc:
        raise bad_input(options.changes, exc) from exc
    if options.problem_out:
        write_json(options.problem_out, meetings.problem_to_dict(changed))
    _meetings_write(out, changed, new_plan, options.out)


def run_meetings(argv: Sequence[str], out: _Out) -> None:
    """``serendip meetings plan|check|replan``: the one-to-one programme engine on JSON files."""
    options = _meetings_parser().parse_args(list(argv))
    problem = _meetings_problem(options.problem)
    if options.action == "plan":
        plan = meetings.solve(problem, time_limit=options.time_limit, seed=options.seed)
        _meetings_write(out, problem, plan, options.out)
    elif options.action == "check":
        plan = _meetings_plan(problem, options.plan)
        broken = meetings.validate(problem, plan)
        for violation in broken:
            out.warn(str(violation))
        _meetings_summary(out, meetings.evaluate(problem, plan))
        if broken:
            raise CommandFailed(f"{len(broken)} broken rule(s).", returncode=BROKEN_RULE)
        out.say("Every hard rule holds.")
    else:
        _meetings_replan(out, problem, options)


def _mixer_parser() -> _Parser:
    parser = _Parser(
        prog="serendip mixer",
        description=f"Seat people at tables over several rounds, strangers first ({DOCS}).",
    )
    actions = parser.add_subparsers(dest="action", required=True, parser_class=_Parser)
    plan = actions.add_parser("plan", help="seat the people of PROBLEM into --out")
    plan.add_argument("problem", type=Path)
    plan.add_argument("--out", type=Path, required=True)
    plan.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    plan.add_argument("--seed", type=int, default=0)
    check = actions.add_parser("check", help="check PLAN against every hard rule of PROBLEM")
    check.add_argument("problem", type=Path)
    check.add_argument("plan", type=Path)
    return parser


def _mixer_summary(out: _Out, stats: mixer.Stats) -> None:
    share = 100.0 * stats.new_pairs / stats.new_pairs_bound if stats.new_pairs_bound else 100.0
    # Proved best: the bound reached by a seating that keeps every rule and role bound.
    kept = not (stats.repeated_pairs or stats.colleagues_together or stats.role_bound_misses)
    best = " (the best possible)" if kept and stats.new_pairs == stats.new_pairs_bound else ""
    out.say(
        f"{stats.new_pairs} new pairs of at most {stats.new_pairs_bound} ({share:.2f}%){best}, "
        f"{stats.repeated_pairs} repeated pairs, {stats.known_pairs_together} known pairs "
        f"together, {stats.colleagues_together} colleagues together, "
        f"{stats.role_bound_misses} role-bound misses, {stats.seconds:.2f} s"
    )


def run_mixer(argv: Sequence[str], out: _Out) -> None:
    """``serendip mixer plan|check``: the table-rotation mixer on JSON files."""
    options = _mixer_parser().parse_args(list(argv))
    path: Path = options.problem
    try:
        problem = mixer.parse_problem(read_json(path))
    except mixer.ProblemError as exc:
        raise bad_input(path, exc) from exc
    if options.action == "plan":
        plan = mixer.solve(problem, time_limit=options.time_limit, seed=options.seed)
        write_json(options.out, mixer.plan_to_dict(plan))
        _mixer_summary(out, plan.stats)
        broken = mixer.validate(problem, plan)
        if broken:
            # The plan is still written: it is the best found, and says what it could not avoid.
            out.warn(
                f"No seating without a broken rule was found in the time limit ({len(broken)}):"
            )
            for violation in broken[:20]:
                out.warn(f"  {violation}")
            if plan.conflicts:  # proved: no seating keeps them all
                out.warn("These hard rules cannot all hold:")
                for reason in plan.conflicts:
                    out.warn(f"  {reason}")
        out.say(f"Written to {options.out}.")
        return
    try:
        seating = mixer.parse_plan(read_json(options.plan), problem)
    except mixer.ProblemError as exc:
        raise bad_input(options.plan, exc) from exc
    broken = mixer.validate(problem, seating)
    for violation in broken:
        out.warn(str(violation))
    _mixer_summary(out, mixer.evaluate(problem, seating))
    if broken:
        raise CommandFailed(f"{len(broken)} broken rule(s).", returncode=BROKEN_RULE)
    out.say("Every hard rule holds.")


COMMANDS: dict[str, Callable[[Sequence[str], _Out], None]] = {
    "meetings": run_meetings,
    "mixer": run_mixer,
}


def run(
    name: str,
    argv: Sequence[str],
    *,
    stdout: Stream | None = None,
    stderr: Stream | None = None,
) -> int:
    """Run the engine command ``name`` with its arguments; returns the exit code."""
    out = _Out(stdout or sys.stdout, stderr or sys.stderr)
    try:
        COMMANDS[name](argv, out)
    except CommandFailed as failed:
        out.warn(f"Error: {failed}")
        return failed.returncode
    return 0
