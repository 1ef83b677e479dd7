"""CSV exports of the reports' tables: every table of every report, one file each."""

from __future__ import annotations

from django.http import HttpResponse

from serendip.csvrows import write_csv
from serendip.reports.tables import Table


def table_csv(table: Table) -> str:
    """The table as CSV text: the headings in the reader's language, then the rows."""
    return write_csv(
        [c.label for c in table.columns],
        ([("" if v is None else v) for v in row] for row in table.rows),
    )


def csv_response(table: Table, stem: str) -> HttpResponse:
    """The table as a CSV download named after the report and the table."""
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{table.name}.csv"'
    return response
