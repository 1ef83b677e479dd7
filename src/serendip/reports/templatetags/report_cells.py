"""The ``cell`` filter: a report's cell as the page prints it (see ``tables.display``)."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from serendip.reports.tables import Cell, Table, display

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    """The cell printed: a dash for a figure not shown, shares rounded."""
    return display(value)


@register.simple_tag
def table_rows(table: Table, empty: str) -> SafeString:
    """The table's body rows (first cell a row heading), built in Python: a sponsor's report
    has hundreds of rows of fourteen cells, which a template loop takes a fifth of a second to
    print."""
    if not table.rows:
        return format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), empty)
    # Every cell is escaped above; only the tags are ours.
    return mark_safe(
        "".join(
            '<tr><th scope="row">'
            + escape(display(row[0]))
            + "</th>"
            + "".join(f"<td>{escape(display(v))}</td>" for v in row[1:])
            + "</tr>"
            for row in table.rows
        )
    )
