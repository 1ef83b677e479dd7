"""Benchmark of the recommender on a synthetic club with planted complementary pairs.

Run: .venv/bin/python bench/recommend.py [--members N] [--queries Q]   (prints Markdown)

Reports: index build time, p50/p95 latency of one member's top 10, precision@10
of the planted pairs (each side finds the other in its top 10) for two tests:
rare planted words (easy) and paraphrases across languages among distractors that
share their vocabulary (hard); exposure ratios (share in top-10 lists ÷ share of
members) per seniority level, per industry and per quartile of connection count;
the largest share one industry takes in a list; and the share of strangers
(people not yet connected) in the lists.

The club is skewed on purpose: one industry holds 30% of the members and a tenth
of the members have large address books, so parity is not a side effect of
uniform data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.instances import community

from serendip.engines.recommend import Community, Index, Profile, build_index, recommend
from serendip.engines.recommend.embeddings import EmbeddingSpace

# Industries' shares of members: one dominant industry, a long tail.
INDUSTRY_WEIGHTS = [30, 14, 10, 8, 7, 6, 5, 5, 4, 4, 4, 3]

# The hard relevance test: each concept said differently in each language, as a need
# and as an offer, and decoys that share its words but mean something else.
CONCEPTS: list[dict[str, list[str]]] = [
    {
        "need_fr": [
            "quelqu'un pour attaquer nos systèmes avant les pirates",
            "audit d'intrusion de notre SI",
        ],
        "need_en": [
            "ethical hackers to probe our network",
            "an intrusion audit of our information system",
        ],
        "offer_fr": ["tests d'intrusion par des hackers éthiques", "audit offensif de réseaux"],
        "offer_en": ["penetration testing of networks and systems", "offensive security audits"],
        "decoy": [
            "network cabling audits",
            "réseaux de distribution audit comptable",
            "systems for our sales network",
        ],
    },
    {
        "need_fr": [
            "réduire la facture de nos serveurs dans le nuage",
            "maîtriser nos coûts cloud",
        ],
        "need_en": ["cutting our cloud bill", "control of our hosting spend"],
        "offer_fr": [
            "optimisation des dépenses d'hébergement",
            "pilotage FinOps des coûts du cloud",
        ],
        "offer_en": ["FinOps cost optimisation for cloud spend", "hosting bill reduction"],
        "decoy": [
            "cloud sales training",
            "facture électronique pour nos clients",
            "bill of materials software",
        ],
    },
    {
        "need_fr": [
            "passer de notre vieux progiciel de gestion à SAP",
            "remplacer notre ERP vieillissant",
        ],
        "need_en": ["moving off our legacy ERP", "a replacement for our ageing business suite"],
        "offer_fr": ["migration ERP clé en main", "reprise de données vers SAP S/4HANA"],
        "offer_en": ["turnkey ERP migration", "data migration to SAP S/4HANA"],
        "decoy": [
            "ERP user training videos",
            "gestion de notre vieux parc automobile",
            "legacy estate planning",
        ],
    },
    {
        "need_fr": [
            "savoir qui accède à quoi dans l'entreprise",
            "gouverner les identités et les accès",
        ],
        "need_en": ["knowing who can access what", "governance of identities and access rights"],
        "offer_fr": [
            "gestion des identités et des habilitations",
            "annuaire et authentification unique",
        ],
        "offer_en": ["identity and access management", "single sign-on and directory services"],
        "decoy": [
            "access ramps for our buildings",
            "identité visuelle de marque",
            "directory of local suppliers",
        ],
    },
    {
        "need_fr": [
            "utiliser l'IA générative en sécurité",
            "un assistant conversationnel pour nos équipes",
        ],
        "need_en": ["a safe way to use large language models", "a chat assistant for our staff"],
        "offer_fr": [
            "déploiement de modèles de langage privés",
            "assistants IA générative sécurisés",
        ],
        "offer_en": ["private LLM deployment", "secure generative AI assistants"],
        "decoy": [
            "language courses for staff",
            "assistant de direction à temps partiel",
            "safe storage for archives",
        ],
    },
    {
        "need_fr": [
            "voir pourquoi nos applications ralentissent",
            "surveiller nos services en production",
        ],
        "need_en": ["finding why our apps get slow", "monitoring of production services"],
        "offer_fr": ["observabilité et traçage des applications", "supervision de la production"],
        "offer_en": ["application observability and tracing", "production monitoring and alerting"],
        "decoy": [
            "slow food catering",
            "production de vidéos d'entreprise",
            "monitoring of air quality sensors",
        ],
    },
    {
        "need_fr": [
            "respecter le RGPD sur nos données clients",
            "mettre nos traitements en conformité",
        ],
        "need_en": ["GDPR compliance for customer data", "a data protection officer on demand"],
        "offer_fr": ["délégué à la protection des données externalisé", "mise en conformité RGPD"],
        "offer_en": ["outsourced data protection officer", "privacy compliance programmes"],
        "decoy": [
            "customer data enrichment for marketing",
            "données météo pour l'agriculture",
            "officer training for security guards",
        ],
    },
    {
        "need_fr": ["réduire l'empreinte carbone de notre informatique", "un numérique plus sobre"],
        "need_en": ["lower carbon footprint of our IT", "greener data centres"],
        "offer_fr": ["bilan carbone du numérique", "centres de données écoresponsables"],
        "offer_en": ["IT carbon footprint assessment", "sustainable IT strategy"],
        "decoy": [
            "carbon fibre bicycles",
            "empreinte digitale biométrique",
            "data centre real estate sales",
        ],
    },
]


def _profile(p: dict[str, Any]) -> Profile:
    return Profile(
        id=p["id"], name=p["name"], language=p["language"], keywords=tuple(p["keywords"]),
        offers=tuple(p["offers"]), needs=tuple(p["needs"]), organization=p["organization"],
        industry=p["industry"], seniority=p["seniority"],
    )  # fmt: skip


def skew(data: dict[str, Any], rng: random.Random) -> None:
    """One dominant industry, and a tenth of the members with large address books."""
    industries = [f"industry{i}" for i in range(len(INDUSTRY_WEIGHTS))]
    for person in data["people"]:
        person["industry"] = rng.choices(industries, INDUSTRY_WEIGHTS)[0]
    members = len(data["people"])
    planted = {tuple(sorted(p)) for p in data["planted"]}
    connections = set(map(tuple, data["connections"]))
    hubs = rng.sample(range(members), members // 10)
    for hub in hubs:
        for _ in range(rng.randint(10, 40)):
            other = rng.randrange(members)
            pair = (f"m{min(hub, other)}", f"m{max(hub, other)}")
            if other != hub and pair not in planted:
                connections.add(pair)
    data["connections"] = sorted(connections)


def paraphrases(data: dict[str, Any], rng: random.Random, pairs: int) -> list[tuple[str, str]]:
    """Plant ``pairs`` complementary pairs that match only through paraphrase and the other
    language, each with three distractors who share the words but not the meaning."""
    people = data["people"]
    taken = {x for pair in data["planted"] for x in pair}
    free = [i for i, p in enumerate(people) if p["id"] not in taken]
    chosen = rng.sample(free, pairs * 5)
    found = []
    for k in range(pairs):
        a, b, *decoys = (people[i] for i in chosen[5 * k : 5 * k + 5])
        first, second = rng.sample(CONCEPTS, 2)  # what a needs, what b needs
        la, lb = rng.sample(["fr", "en"], 2)
        a.update(
            language=la,
            needs=[rng.choice(first[f"need_{la}"])],
            offers=[rng.choice(second[f"offer_{la}"])],
        )
        b.update(
            language=lb,
            needs=[rng.choice(second[f"need_{lb}"])],
            offers=[rng.choice(first[f"offer_{lb}"])],
            organization=f"paraphrase{k}",
        )
        for d in decoys:
            # Same need as a (a competitor, not a match) or an offer that only shares words.
            d.update(
                language=la,
                needs=[rng.choice(first[f"need_{la}"])],
                offers=[rng.choice(first["decoy"])],
                keywords=a["keywords"],
            )
        found.append((a["id"], b["id"]))
    return found  # fmt: skip


def quartiles(index: Index) -> list[int]:
    """Each row's quartile of connection count (1 = smallest address books), by rank."""
    degree = [len(n) for n in index.neighbours]
    order = sorted(range(len(degree)), key=lambda r: (degree[r], r))
    quartile = [0] * len(degree)
    for rank, row in enumerate(order):
        quartile[row] = 1 + 4 * rank // len(degree)
    return quartile


def ratios(index: Index, lists: dict[str, list[str]], group: list[str]) -> dict[str, float]:
    """Each group's share of all appearances in the lists ÷ its share of members."""
    members = Counter(group)
    seen = Counter(group[index.position[x]] for people in lists.values() for x in people)
    total, size = sum(seen.values()), len(group)
    return {g: (seen[g] / total) / (members[g] / size) for g in sorted(members)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument(
        "--backend",
        choices=["tfidf", "embeddings"],
        default="tfidf",
        help="the text space: character n-grams (default) or the optional embeddings",
    )
    args = parser.parse_args()
    rng = random.Random(2)
    data = community(1, members=args.members, planted=200)
    skew(data, random.Random(3))
    hard = paraphrases(data, random.Random(4), 200)
    profiles = tuple(_profile(p) for p in data["people"])
    started = time.perf_counter()
    space = EmbeddingSpace() if args.backend == "embeddings" else None
    community_ = Community(profiles, frozenset(map(tuple, data["connections"])))
    index = build_index(community_, space)
    build = time.perf_counter() - started
    planted = data["planted"]
    askers = list(dict.fromkeys(a for pair in planted + hard for a in pair))
    askers += rng.sample([p.id for p in profiles], max(0, args.queries - len(askers)))
    askers = list(dict.fromkeys(askers))
    latencies, lists = [], {}
    for member in askers:
        t = time.perf_counter()
        lists[member] = [r.id for r in recommend(index, member, k=10)]
        latencies.append(time.perf_counter() - t)
    latencies.sort()

    def precision(pairs: list[tuple[str, str]]) -> float:
        return sum((b in lists[a]) + (a in lists[b]) for a, b in pairs) / (2 * len(pairs))

    strangers = sum(
        1
        for member, people in lists.items()
        for other in people
        if index.position[other] not in index.neighbours[index.position[member]]
    ) / max(1, sum(len(v) for v in lists.values()))
    industry = [p.industry or "" for p in profiles]
    dominated = max(
        Counter(industry[index.position[x]] for x in people).most_common(1)[0][1] / len(people)
        for people in lists.values()
        if people
    )
    by = {
        "seniority": [p.seniority or "unknown" for p in profiles],
        "industry": [f"{i} ({INDUSTRY_WEIGHTS[int(i[8:])]}%)" for i in industry],
        "connections": [f"quartile {q}" for q in quartiles(index)],
    }
    print(
        f"Run on {dt.date.today()}, {platform.machine()}, Python {platform.python_version()}: "
        f"{args.members:,} members, {len(askers):,} queries, 200 planted pairs, "
        f"200 paraphrase pairs with 600 distractors, {args.backend} text space.\n"
    )
    print("| measure | value |")
    print("|---|---|")
    print(f"| index build | {build:.1f} s |")
    print(
        f"| latency p50 / p95 (top 10) | {1000 * latencies[len(latencies) // 2]:.1f} ms / "
        f"{1000 * latencies[int(len(latencies) * 0.95)]:.1f} ms |"
    )
    print(f"| precision@10 of planted pairs (rare words) | {precision(planted):.3f} |")
    print(
        "| precision@10 of paraphrase pairs (other language, distractors) | "
        f"{precision(hard):.3f} |"
    )
    print(f"| strangers in the lists | {100 * strangers:.1f}% |")
    print(f"| largest share of one industry in a list | {100 * dominated:.0f}% |")
    for name, group in by.items():
        found = ratios(index, lists, group)
        low, high = min(found.values()), max(found.values())
        print(f"| exposure ratio by {name}: min / max | {low:.3f} / {high:.3f} |")
    for name, group in by.items():
        for label, ratio in ratios(index, lists, group).items():
            print(f"| exposure ratio, {name}: {label} | {ratio:.3f} |")


if __name__ == "__main__":
    main()
