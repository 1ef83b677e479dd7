"""Charts drawn on the server as SVG with matplotlib, from the same tables the page prints.

Web processes serve many requests at once: figures are built with the object-oriented API
(``matplotlib.figure.Figure``, rendered by the Agg/SVG canvas), never through pyplot, whose
global "current figure" would be shared between threads. Text stays text in the SVG (no
paths), so a chart is small and its labels can be read by the browser.
"""

from __future__ import annotations

import base64
import hashlib
import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # no display on a server; set before anything draws

from django.core.cache import cache
from matplotlib.figure import Figure

from serendip.reports.tables import Table

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# The club's colours: held in green, planned in grey, outcomes in blue, and so on.
PALETTE = ["#9aa5b1", "#2f855a", "#2b6cb0", "#c05621", "#6b46c1", "#b83280"]
STYLE: dict[RcKeyType, Any] = {"svg.fonttype": "none", "font.size": 9, "svg.hashsalt": "serendip"}
# More bars than this are unreadable: the chart shows the last ones (the table has them all).
MOST_BARS = 24
# Drawing takes a fifth of a second per chart: the same figures give the same chart, kept.
CHART_SECONDS = 24 * 3600


def _number(value: object) -> float:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return float(value)
    return 0.0


def chart_svg(table: Table, *, title: str = "") -> str:
    """The table's chart as SVG text (empty when the table has no chart or no rows).

    Charts are kept in the cache under a digest of what they draw (labels, values, the
    reader's language through the labels), so a page seen again is not drawn again.
    """
    if not table.chart or not table.rows:
        return ""
    rows = table.rows[-MOST_BARS:]
    keys = [c.key for c in table.columns]
    labels = [str(row[0])[:28] for row in rows]
    series = [
        (
            next(c.label for c in table.columns if c.key == key),
            [_number(r[keys.index(key)]) for r in rows],
        )
        for key in table.chart_values
    ]
    digest = hashlib.sha256(repr((table.chart, title, labels, series)).encode()).hexdigest()
    key = f"serendip:reports:chart:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = _draw(table.chart, title, labels, series)
        cache.set(key, svg, timeout=CHART_SECONDS)
    return str(svg)


def _draw(kind: str, title: str, labels: list[str], series: list[tuple[str, list[float]]]) -> str:
    """Horizontal bars (grouped, or stacked), one row per label, the first on top."""
    with matplotlib.rc_context(STYLE):
        height = 0.7 + 0.3 * len(labels) + 0.25 * len(series)
        figure = Figure(figsize=(7.5, height))
        # Fixed margins (the longest label sets the left one): a constrained layout would
        # cost as much again as the drawing.
        left = min(0.45, 0.04 + 0.0125 * max(len(label) for label in labels))
        figure.subplots_adjust(left=left, right=0.97, top=1 - 0.35 / height, bottom=0.5 / height)
        axes = figure.subplots()
        positions = list(range(len(labels)))
        if kind == "stacked":
            start = [0.0] * len(labels)
            for index, (label, values) in enumerate(series):
                axes.barh(positions, values, left=start, label=label, color=PALETTE[index % 6])
                start = [a + b for a, b in zip(start, values, strict=True)]
        else:
            bar = 0.8 / len(series)
            for index, (label, values) in enumerate(series):
                shifted = [p - 0.4 + bar * (index + 0.5) for p in positions]
                axes.barh(shifted, values, height=bar, label=label, color=PALETTE[index % 6])
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
