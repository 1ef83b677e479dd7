"""What every printable PDF shares (fpdf2): the DejaVu Sans font shipped in ``fonts/``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fpdf import FPDF

# The core PDF fonts only speak Latin-1, which turns Łucja Dvořák-Ștefănescu into
# "?ucja Dvo?ák-?tef?nescu": a Unicode font covering every European script is embedded.
FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVuSans"


def document(orientation: Literal["portrait", "landscape"] = "portrait") -> FPDF:
    """A new A4 document, upright or landscape, with the font's regular and bold faces."""
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    return pdf
