"""The club's one vocabulary of industries: a fixed, documented list the organiser extends.

Members and organisations store an industry's *code* (``software-it``), never a
label, so that "Logiciels et services IT" and "Software and IT services" are one
industry to the recommender's variety and fairness rules, to filters and to
reports; each viewer reads the label in their own language.

Why a fixed list in code plus a model for extensions (rather than every industry
in a table): the list below is the documented vocabulary every club starts with,
versioned and translated with the code, and it needs no database to validate an
import or a form; the ``Industry`` table holds only what an organiser adds in the
admin. The field stays a text column holding the code, so the API, exports and
search keep reading and writing a plain string.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db import DatabaseError
from django.utils.translation import get_language


@dataclass(frozen=True)
class IndustryLabel:
    """One industry of the vocabulary: its stable code and its two labels."""

    code: str
    label_fr: str
    label_en: str

    def label(self, language: str | None = None) -> str:
        """The label in ``language`` (the active language by default)."""
        language = language or get_language() or "en"
        return self.label_fr if language.startswith("fr") else self.label_en


# The fixed vocabulary (code, French, English). Codes never change once published:
# they are what the database stores. Add industries in the admin, not here.
FIXED: tuple[IndustryLabel, ...] = tuple(
    IndustryLabel(*entry)
    for entry in (
        ("banking-insurance", "Banque et assurance", "Banking and insurance"),
        ("retail", "Distribution", "Retail"),
        ("manufacturing", "Industrie", "Manufacturing"),
        ("energy", "Énergie", "Energy"),
        ("healthcare", "Santé", "Healthcare"),
        ("transport-logistics", "Transport et logistique", "Transport and logistics"),
        ("public-sector", "Secteur public", "Public sector"),
        ("telecoms", "Télécoms", "Telecoms"),
        ("luxury", "Luxe", "Luxury goods"),
        ("food-beverage", "Agroalimentaire", "Food and beverage"),
        ("software-it", "Logiciels et services IT", "Software and IT services"),
        ("media", "Médias", "Media"),
        ("consulting", "Conseil", "Consulting"),
        ("real-estate", "Immobilier et construction", "Real estate and construction"),
        ("education-research", "Enseignement et recherche", "Education and research"),
        ("hospitality", "Tourisme et hôtellerie", "Hospitality and tourism"),
        ("non-profit", "Associations et fondations", "Non-profit organisations"),
    )
)


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: the form labels are compared in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def extensions() -> list[IndustryLabel]:
    """The industries the organiser added (none while the table does not exist yet)."""
    from serendip.members.models import Industry

    try:
        return [
            IndustryLabel(i.code, i.label_fr, i.label_en) for i in Industry.objects.order_by("code")
        ]
    except DatabaseError:  # checks before the first migrate: the fixed list alone
        return []


def vocabulary() -> list[IndustryLabel]:
    """Every industry a member or an organisation may have: the fixed list, then additions."""
    return [*FIXED, *extensions()]


def choices() -> list[tuple[str, str]]:
    """(code, label in the active language) for every industry, sorted by label."""
    return sorted(((i.code, i.label()) for i in vocabulary()), key=lambda c: fold(c[1]))


def lookup(industries: list[IndustryLabel] | None = None) -> dict[str, str]:
    """Folded code, French label and English label → code."""
    found: dict[str, str] = {}
    for industry in industries if industries is not None else vocabulary():
        for name in (industry.code, industry.label_fr, industry.label_en):
            found.setdefault(fold(name), industry.code)
    return found


def code_of(text: str, table: dict[str, str] | None = None) -> str | None:
    """The code of an industry written as its code or either label, whatever the case and
    accents; None when it is not in the vocabulary."""
    return (table if table is not None else lookup()).get(fold(text))


def accepted(industries: list[IndustryLabel] | None = None) -> str:
    """The accepted values, for an error message: "French / English" labels, one per industry."""
    found = industries if industries is not None else vocabulary()
    return ", ".join(f"{i.label_fr} / {i.label_en}" for i in found)


def label_of(code: str, language: str | None = None) -> str:
    """The label of a stored code in ``language``; the code itself if it is unknown."""
    industry = next((i for i in vocabulary() if i.code == code), None)
    return industry.label(language) if industry else code


def codes_matching(query: str) -> list[str]:
    """Codes of the industries whose code or label in either language contains ``query``
    (any case or accents): what a directory search on "santé" or "health" should find."""
    wanted = fold(query)
    return [
        i.code
        for i in vocabulary()
        if wanted and any(wanted in fold(name) for name in (i.code, i.label_fr, i.label_en))
    ]
