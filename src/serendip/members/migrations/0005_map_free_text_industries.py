"""Map the industries typed as free text onto the vocabulary's codes.

A text that is a code or a label of the fixed list in either language (any case,
any accents), or one of a few common synonyms, becomes that code; any other text
becomes an industry the organiser added (same text as both labels), so nothing is
lost and the organiser can rename or merge it in the admin. The list is frozen
here as it was when this migration was written.
"""

from __future__ import annotations

import unicodedata

from django.db import migrations
from django.utils.text import slugify

FIXED = [
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
]

# Common ways of writing the same industries, folded (see fold below).
SYNONYMS = {
    "banque": "banking-insurance",
    "banking": "banking-insurance",
    "bank": "banking-insurance",
    "assurance": "banking-insurance",
    "insurance": "banking-insurance",
    "finance": "banking-insurance",
    "financial services": "banking-insurance",
    "services financiers": "banking-insurance",
    "commerce": "retail",
    "grande distribution": "retail",
    "industry": "manufacturing",
    "industrial": "manufacturing",
    "energie": "energy",
    "utilities": "energy",
    "sante": "healthcare",
    "health": "healthcare",
    "health care": "healthcare",
    "pharma": "healthcare",
    "transport": "transport-logistics",
    "logistics": "transport-logistics",
    "logistique": "transport-logistics",
    "public": "public-sector",
    "government": "public-sector",
    "administration": "public-sector",
    "telecom": "telecoms",
    "telecommunications": "telecoms",
    "telecommunication": "telecoms",
    "luxe et mode": "luxury",
    "food": "food-beverage",
    "food and drink": "food-beverage",
    "it": "software-it",
    "tech": "software-it",
    "technology": "software-it",
    "software": "software-it",
    "logiciels": "software-it",
    "logiciel": "software-it",
    "informatique": "software-it",
    "services it": "software-it",
    "it services": "software-it",
    "esn": "software-it",
    "medias": "media",
    "presse": "media",
    "consultancy": "consulting",
    "immobilier": "real-estate",
    "real estate": "real-estate",
    "construction": "real-estate",
    "btp": "real-estate",
    "education": "education-research",
    "enseignement": "education-research",
    "recherche": "education-research",
    "tourisme": "hospitality",
    "hotellerie": "hospitality",
    "association": "non-profit",
    "associations": "non-profit",
    "ngo": "non-profit",
    "ong": "non-profit",
}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def to_codes(apps, schema_editor):
    Industry = apps.get_model("members", "Industry")
    Organisation = apps.get_model("members", "Organisation")
    Member = apps.get_model("members", "Member")
    known = dict(SYNONYMS)
    for code, french, english in FIXED:
        for name in (code, french, english):
            known[fold(name)] = code
    for industry in Industry.objects.all():
        for name in (industry.code, industry.label_fr, industry.label_en):
            known.setdefault(fold(name), industry.code)
    codes = {code for code, _, _ in FIXED} | set(Industry.objects.values_list("code", flat=True))

    def code_of(text: str) -> str:
        folded = fold(text)
        if not folded:
            return ""
        if folded not in known:
            # Not in the vocabulary: kept as an industry the organiser added.
            base = (slugify(folded) or "industry")[:44]
            code, number = base, 1
            while code in codes:
                number += 1
                code = f"{base}-{number}"
            label = " ".join(text.split())[:100]
            Industry.objects.create(code=code, label_fr=label, label_en=label)
            codes.add(code)
            known[folded] = code
        return known[folded]

    for model in (Organisation, Member):
        changed = []
        for row in model.objects.exclude(industry="").only("id", "industry").iterator():
            code = code_of(row.industry)
            if code != row.industry:
                row.industry = code
                changed.append(row)
        model.objects.bulk_update(changed, ["industry"], batch_size=500)


def to_labels(apps, schema_editor):
    """Back to free text: the English label of each code."""
    Industry = apps.get_model("members", "Industry")
    english = {code: label for code, _, label in FIXED}
    english.update(Industry.objects.values_list("code", "label_en"))
    for model_name in ("Organisation", "Member"):
        model = apps.get_model("members", model_name)
        for code, label in english.items():
            model.objects.filter(industry=code).update(industry=label)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_industry_vocabulary"),
    ]

    operations = [migrations.RunPython(to_codes, to_labels)]
