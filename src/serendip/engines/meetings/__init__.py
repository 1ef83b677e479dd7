"""The one-to-one meetings engine: which boss meets which sponsor, in which round, at which table.

Pure Python on OR-Tools: no Django, no I/O. This package is the engine's one public face;
nothing outside ``serendip.engines`` imports its modules. The verbs:

- ``parse_problem`` / ``parse_plan`` / ``parse_changes`` read the JSON forms of
  docs/formats.md (decoded values, no files), refusing bad input with ``ProblemError``;
  ``problem_to_dict`` / ``plan_to_dict`` write them.
- ``solve`` plans; ``replan`` repairs a plan on the day from a round on.
- ``validate`` checks any plan against every hard rule: a list of ``Violation`` (rule,
  people, round, table).
- ``evaluate`` measures any plan, with the proven bound for plans of its shortfall.
"""

from serendip.engines.checks import ProblemError, Violation
from serendip.engines.meetings.formats import (
    parse_changes,
    parse_plan,
    parse_problem,
    plan_to_dict,
    problem_to_dict,
)
from serendip.engines.meetings.replan import replan
from serendip.engines.meetings.solve import evaluate, solve
from serendip.engines.meetings.types import (
    Changes,
    Fixed,
    Meeting,
    Plan,
    Problem,
    Shortfall,
    Side,
    Stats,
)
from serendip.engines.meetings.validate import validate

__all__ = [
    "Changes",
    "Fixed",
    "Meeting",
    "Plan",
    "Problem",
    "ProblemError",
    "Shortfall",
    "Side",
    "Stats",
    "Violation",
    "evaluate",
    "parse_changes",
    "parse_plan",
    "parse_problem",
    "plan_to_dict",
    "problem_to_dict",
    "replan",
    "solve",
    "validate",
]
