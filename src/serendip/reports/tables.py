"""A report's figures as tables: the one shape that pages, charts, CSV, PDF and the API share.

Every figure a report shows is a cell of a ``Table``: the page prints the table under its
chart (the accessible version of the chart), the CSV export writes it, the PDF prints it and
the API returns it. So a figure can never say one thing on screen and another in a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# A cell: a number, a text, or None for "not shown" (small numbers, or nothing to divide by).
Cell = int | float | Decimal | str | None


@dataclass(frozen=True)
class Column:
    """A table's column: its key in files and the API, and its heading in the reader's language."""

    key: str
    label: str


@dataclass
class Table:
    """One table of a report, with the chart that draws it (if any)."""

    name: str  # the key in the CSV file name and the API (``events``, ``seasons``...)
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    # How the page draws it: "bars" of the ``chart_values`` columns against the first column.
    chart: str = ""
    chart_values: tuple[str, ...] = ()
    note: str = ""

    def as_dicts(self) -> list[dict[str, Any]]:
        """The rows keyed by column, for the API (numbers as numbers, Decimal as float)."""
        keys = [c.key for c in self.columns]
        return [
            {k: float(v) if isinstance(v, Decimal) else v for k, v in zip(keys, row, strict=True)}
            for row in self.rows
        ]

    def column(self, key: str) -> list[Cell]:
        """The cells of one column, top to bottom."""
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]


def display(value: Cell) -> str:
    """A cell as printed on a page or in a PDF: shares rounded, nothing shown as a dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, Decimal):
        return f"{value:,.2f}".replace(",", "\u202f")
    return str(value)
