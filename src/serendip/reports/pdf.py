"""The sponsor and organiser reports as printable PDF (fpdf2, DejaVu Sans as the bulletin)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from serendip.pdf import FONT, document
from serendip.reports.tables import Table, display


def report_pdf(title: str, subtitle: str, tables: Sequence[Table]) -> bytes:
    """An A4 landscape document: the title, then every table of the report, page after page."""
    pdf = document(orientation="landscape")
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
    for table in tables:
        pdf.ln(4)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
        if not table.rows:
            pdf.set_font(FONT, "", 9)
            pdf.multi_cell(0, 5, _("Nothing yet."), new_x="LMARGIN", new_y="NEXT")
            continue
        pdf.set_font(FONT, "", 7 if len(table.columns) > 8 else 9)
        with pdf.table(first_row_as_headings=True, text_align="LEFT") as grid:
            grid.row([c.label for c in table.columns])
            for row in table.rows:
                grid.row([display(v) for v in row])
        if table.note:
            pdf.set_font(FONT, "", 8)
            pdf.multi_cell(0, 4, table.note, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
