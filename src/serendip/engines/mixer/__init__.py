"""The table-rotation mixer: seat people over several rounds so that they meet the most strangers.

Pure Python: no Django, no I/O. ``solve`` seats, ``validate`` checks any seating
against every hard rule, ``formats`` reads and writes the JSON files.
"""

from serendip.engines.mixer.formats import ProblemError, parse_problem
from serendip.engines.mixer.solve import solve
from serendip.engines.mixer.types import Plan, Problem, Violation
from serendip.engines.mixer.validate import validate

__all__ = ["Plan", "Problem", "ProblemError", "Violation", "parse_problem", "solve", "validate"]
