"""The table-rotation mixer: seat people over several rounds so that they meet the most strangers.

Pure Python: no Django, no I/O. This package is the engine's one public face; nothing
outside ``serendip.engines`` imports its modules. The verbs:

- ``parse_problem`` / ``parse_plan`` read the JSON forms of docs/formats.md (decoded
  values, no files), refusing bad input with ``ProblemError``; ``plan_to_dict`` writes a plan.
- ``solve`` seats (the mixer has no re-planning: a meal is seated again as a whole).
- ``validate`` checks any seating against every hard rule: a list of ``Violation``.
- a plan that still breaks a hard rule says why in ``Plan.conflicts`` (``Conflict``: the
  rules, who, where, the figures, and whether it is proved or only an open problem).
- ``evaluate`` measures any seating, with the bound on new pairs the table sizes allow.
"""

from serendip.engines.checks import Violation
from serendip.engines.mixer.formats import ProblemError, parse_plan, parse_problem, plan_to_dict
from serendip.engines.mixer.measure import seating_stats
from serendip.engines.mixer.solve import solve
from serendip.engines.mixer.types import Conflict, Plan, Problem, Seating, Stats
from serendip.engines.mixer.validate import validate


def evaluate(problem: Problem, plan: Plan | Seating, *, seconds: float = 0.0) -> Stats:
    """What a seating achieves, with the most new pairs any seating of the problem can reach."""
    seating = plan.rounds if isinstance(plan, Plan) else plan
    return seating_stats(problem, seating, seconds=seconds)


__all__ = [
    "Conflict",
    "Plan",
    "Problem",
    "ProblemError",
    "Seating",
    "Stats",
    "Violation",
    "evaluate",
    "parse_plan",
    "parse_problem",
    "plan_to_dict",
    "solve",
    "validate",
]
