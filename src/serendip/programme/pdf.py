"""The sponsor bulletin as a printable PDF (fpdf2, with the fonts of ``serendip.pdf``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from serendip.events.models import Event
from serendip.members.models import Member
from serendip.pdf import FONT, document
from serendip.programme.reports import BulletinLine


def _line(pdf: FPDF, height: float, text: str) -> None:
    """A paragraph across the page, the cursor back at the left margin below it."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def bulletin_pdf(event: Event, sponsor: Member, lines: list[BulletinLine]) -> bytes:
    """One A4 report: the sponsor's meetings, ratings, follow-ups and shared contacts."""
    pdf = document()
    pdf.set_title(f"{event.name} - {sponsor.full_name}")
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    _line(pdf, 8, _("Sponsor bulletin: %(name)s") % {"name": sponsor.full_name})
    pdf.set_font(FONT, "", 11)
    held = sum(1 for line in lines if line.held)
    follow = sum(1 for line in lines if line.follow_up)
    _line(
        pdf,
        6,
        _("%(event)s: %(held)s of %(planned)s planned, %(follow)s.")
        % {
            "event": event.name,
            "held": ngettext("%(n)s meeting held", "%(n)s meetings held", held) % {"n": held},
            "planned": len(lines),
            "follow": ngettext("%(n)s follow-up asked", "%(n)s follow-ups asked", follow)
            % {"n": follow},
        },
    )
    pdf.ln(4)
    for line in lines:
        pdf.set_font(FONT, "B", 11)
        company = line.boss.organisation.name if line.boss.organisation else ""
        _line(pdf, 6, f"#{line.meeting.round.number} - {line.boss.full_name}, {company}")
        pdf.set_font(FONT, "", 10)
        # Where the meeting stands by the same definition as the page and the event report.
        details = [
            str(line.state.label),
            line.rating.get_colour_display() if line.rating else _("not rated"),
        ]
        if line.boss_follow_up:
            details.append(_("follow-up asked by the boss"))
            details += list(line.contact.values())
        if line.sponsor_follow_up:
            details.append(_("follow-up asked by you"))
        _line(pdf, 5, " · ".join(str(d) for d in details))
        pdf.ln(1)
    return bytes(pdf.output())
