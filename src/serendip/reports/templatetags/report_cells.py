"""The ``cell`` filter: a report's cell as the page prints it (see ``tables.display``)."""

from django import template

from serendip.reports.tables import Cell, display

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    """The cell printed: a dash for a figure not shown, shares rounded."""
    return display(value)
