"""The one-to-one meetings engine: which boss meets which sponsor, in which round, at which table.

Pure Python on OR-Tools: no Django, no I/O. ``solve`` plans, ``replan`` repairs a
plan on the day, ``validate`` checks any plan against every hard rule.
"""

from serendip.engines.checks import ProblemError
from serendip.engines.meetings.formats import parse_problem
from serendip.engines.meetings.solve import solve
from serendip.engines.meetings.types import Meeting, Plan, Problem, Violation
from serendip.engines.meetings.validate import validate

__all__ = [
    "Meeting",
    "Plan",
    "Problem",
    "ProblemError",
    "Violation",
    "parse_problem",
    "solve",
    "validate",
]
