"""Words the demo club's profiles are made of, in French and English.

Each entry is a (french, english) pair so that a member's profile is written in
their own language while the topics stay the same underneath.
"""

from __future__ import annotations

Pair = tuple[str, str]

# Codes of the club's industry vocabulary (serendip.members.industries): one industry
# whatever the member's language.
INDUSTRIES: list[str] = [
    "banking-insurance",
    "retail",
    "manufacturing",
    "energy",
    "healthcare",
    "transport-logistics",
    "public-sector",
    "telecoms",
    "luxury",
    "food-beverage",
    "software-it",
    "media",
]
# Sponsors sell technology: their organisations are in this industry.
VENDOR_INDUSTRY = 10

TOPICS: list[Pair] = [
    ("cybersécurité", "cybersecurity"),
    ("zero trust", "zero trust"),
    ("cloud souverain", "sovereign cloud"),
    ("gouvernance des données", "data governance"),
    ("IA générative", "generative AI"),
    ("FinOps", "FinOps"),
    ("observabilité", "observability"),
    ("gestion des services IT", "IT service management"),
    ("poste de travail numérique", "digital workplace"),
    ("migration ERP", "ERP migration"),
    ("low-code", "low-code"),
    ("DevSecOps", "DevSecOps"),
    ("Kubernetes", "Kubernetes"),
    ("data mesh", "data mesh"),
    ("conformité RGPD", "GDPR compliance"),
    ("directive NIS2", "NIS2 directive"),
    ("numérique responsable", "green IT"),
    ("SD-WAN", "SD-WAN"),
    ("gestion des identités", "identity and access management"),
    ("sauvegarde et résilience", "backup and resilience"),
    ("modernisation du mainframe", "mainframe modernisation"),
    ("gestion des API", "API management"),
    ("edge computing", "edge computing"),
    ("plateforme de données client", "customer data platform"),
    ("achats IT", "IT procurement"),
    ("réseaux 5G privés", "private 5G networks"),
    ("test d'intrusion", "penetration testing"),
    ("lac de données", "data lake"),
]

BOSS_NEEDS: list[Pair] = [
    ("un partenaire pour un projet {t}", "a partner for a {t} project"),
    ("des retours d'expérience sur {t}", "peer feedback on {t}"),
    ("un expert {t} pour un audit", "a {t} expert for an audit"),
]
BOSS_OFFERS: list[Pair] = [
    ("retour d'expérience sur notre projet {t}", "lessons from our {t} project"),
    ("mentorat de jeunes profils en {t}", "mentoring young talent in {t}"),
    ("visite de notre centre d'excellence {t}", "a visit of our {t} centre of excellence"),
]
SPONSOR_OFFERS: list[Pair] = [
    ("audit {t}", "{t} audit"),
    ("plateforme {t} clé en main", "turnkey {t} platform"),
    ("projet pilote {t} en six semaines", "a six-week {t} pilot"),
]
SPONSOR_NEEDS: list[Pair] = [
    ("des DSI qui lancent un projet {t}", "CIOs starting a {t} project"),
    ("des clients pilotes pour notre offre {t}", "pilot customers for our {t} offer"),
]

# Job titles by seniority, for bosses (client side) and sponsors (vendor side).
BOSS_TITLES: dict[str, list[Pair]] = {
    "intern": [("Stagiaire DSI", "IT intern"), ("Alternante data", "Data apprentice")],
    "junior": [("Analyste données", "Data analyst"), ("Ingénieur cloud", "Cloud engineer")],
    "mid": [
        ("Chef de projet IT", "IT project manager"),
        ("Architecte sécurité", "Security architect"),
    ],
    "senior": [
        ("Responsable infrastructures", "Head of infrastructure"),
        ("Architecte d'entreprise", "Enterprise architect"),
    ],
    "executive": [
        ("Directeur des opérations IT", "VP IT operations"),
        ("Directrice de la transformation", "Transformation director"),
    ],
    "c-level": [("DSI", "CIO"), ("Directeur technique", "CTO"), ("Directrice data", "CDO")],
}
SPONSOR_TITLES: dict[str, list[Pair]] = {
    "intern": [("Stagiaire commercial", "Sales intern")],
    "junior": [("Chargée d'affaires", "Account executive")],
    "mid": [("Ingénieur avant-vente", "Sales engineer")],
    "senior": [("Architecte solutions", "Solutions architect")],
    "executive": [("Directeur commercial", "Sales director")],
    "c-level": [("Directrice générale", "CEO"), ("Directeur général France", "Country manager")],
}

HEADLINES: list[Pair] = [
    ("{title} chez {org}", "{title} at {org}"),
]

BIOS: list[Pair] = [
    (
        "Je travaille sur {t1} et {t2}. Toujours partant pour un café entre deux rendez-vous.",
        "I work on {t1} and {t2}. Always up for a coffee between two meetings.",
    ),
    (
        "Passionné par {t1}, je cherche à échanger avec des pairs sur {t2}.",
        "Passionate about {t1}, keen to compare notes with peers on {t2}.",
    ),
]

VENDOR_SUFFIXES = ["Cloud", "Data", "Sécurité", "Systems", "Labs", "Digital", "Networks", "IA"]
