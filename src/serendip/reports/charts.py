"""Charts drawn on the server as SVG with matplotlib, from the same tables the page prints.

Web processes serve many requests at once: figures are built with the object-oriented API
(``matplotlib.figure.Figure``, rendered by the Agg/SVG canvas), never through pyplot, whose
global "current figure" would be shared between threads. Text stays text in the SVG (no
paths), so a chart is small and its labels can be read by the browser.
"""

from __future__ import annotations

import base64
import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # no display on a server; set before anything draws

from matplotlib.figure import Figure

from serendip.reports.tables import Table

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# The club's colours: held in green, planned in grey, outcomes in blue, and so on.
PALETTE = ["#9aa5b1", "#2f855a", "#2b6cb0", "#c05621", "#6b46c1", "#b83280"]
STYLE: dict[RcKeyType, Any] = {"svg.fonttype": "none", "font.size": 9, "svg.hashsalt": "serendip"}
# More bars than this are unreadable: the chart shows the last ones (the table has them all).
MOST_BARS = 24


def _number(value: object) -> float:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return float(value)
    return 0.0


def chart_svg(table: Table, *, title: str = "") -> str:
    """The table's chart as SVG text (empty when the table has no chart or no rows)."""
    if not table.chart or not table.rows:
        return ""
    rows = table.rows[-MOST_BARS:]
    labels = [str(row[0])[:28] for row in rows]
    keys = [c.key for c in table.columns]
    series = [
        (
            next(c.label for c in table.columns if c.key == key),
            [_number(r[keys.index(key)]) for r in rows],
        )
        for key in table.chart_values
    ]
    with matplotlib.rc_context(STYLE):
        figure = Figure(
            figsize=(7.5, 0.6 + 0.32 * len(rows) + 0.2 * len(series)), layout="constrained"
        )
        axes = figure.subplots()
        positions = list(range(len(rows)))
        if table.chart == "stacked":
            left = [0.0] * len(rows)
            for index, (label, values) in enumerate(series):
                axes.barh(positions, values, left=left, label=label, color=PALETTE[index % 6])
                left = [a + b for a, b in zip(left, values, strict=True)]
        else:
            height = 0.8 / len(series)
            for index, (label, values) in enumerate(series):
                shifted = [p - 0.4 + height * (index + 0.5) for p in positions]
                axes.barh(shifted, values, height=height, label=label, color=PALETTE[index % 6])
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()  # the first row on top, as in the table below
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(loc="lower right", frameon=False)
        if title:
            axes.set_title(title, loc="left")
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def chart_data_uri(table: Table) -> str:
    """The chart as a data: URI for an <img> (the page's CSP allows data: images only)."""
    svg = chart_svg(table)
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
