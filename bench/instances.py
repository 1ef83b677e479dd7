"""Seeded instance families for the meetings benchmark (see bench/meetings.py)."""

from __future__ import annotations

import random
from typing import Any


def seminar(seed: int, *, scale: int = 1, real_life: bool = False) -> dict[str, Any]:
    """The reference seminar (350 bosses, 100 sponsors, 40 rounds, 240 tables), times ``scale``."""
    rng = random.Random(seed)
    rounds = [
        {"id": f"d{d}-s{s}-r{r:02d}", "minutes": 7}
        for d in (1, 2)
        for s in (1, 2)
        for r in range(1, 11)
    ]
    ids = [r["id"] for r in rounds]
    bosses = [f"b{i}" for i in range(350 * scale)]
    sponsors = [f"s{i}" for i in range(100 * scale)]
    people: list[dict[str, Any]] = []
    for b in bosses:
        people.append({"id": b, "side": "boss", "min_meetings": 12, "max_meetings": 16})
    for s in sponsors:
        reps = rng.choice([1, 2, 2, 3, 3, 4])
        people.append(
            {
                "id": s,
                "side": "sponsor",
                "capacity": reps,
                "min_meetings": 14 * reps,
                "max_meetings": 20 * reps,
            }
        )
    if real_life:
        for person in rng.sample(people, len(people) * 15 // 100):
            start = rng.randrange(0, 30)
            person["unavailable"] = ids[start : start + rng.randint(5, 10)]
    # Skewed wishes: a few popular bosses are wished by many sponsors.
    popularity = [rng.paretovariate(1.2) for _ in bosses]
    wishes = set()
    result = []
    for s in sponsors:
        for b in rng.choices(bosses, weights=popularity, k=25):
            if (s, b) not in wishes:
                wishes.add((s, b))
                result.append({"from": s, "to": b, "weight": rng.randint(1, 5)})
    for b in bosses:
        for s in rng.sample(sponsors, 8):
            if (b, s) not in wishes:
                wishes.add((b, s))
                result.append({"from": b, "to": s, "weight": rng.randint(1, 5)})
    share = 0.05 if real_life else 0.002
    declines = set()
    while len(declines) < int(len(bosses) * len(sponsors) * share):
        declines.add((rng.choice(bosses), rng.choice(sponsors)))
    problem: dict[str, Any] = {
        "rounds": rounds,
        "tables": 240 * scale,
        "people": people,
        "wishes": result,
        "declines": [list(p) for p in sorted(declines)],
        "already_met": [[rng.choice(bosses), rng.choice(sponsors)] for _ in range(50 * scale)],
    }
    if real_life:
        fixed, used = [], set()
        away = {p["id"]: set(p.get("unavailable", [])) for p in people}
        while len(fixed) < 10 * scale:
            b, s, r = rng.choice(bosses), rng.choice(sponsors), rng.randrange(len(ids))
            if (b, s) in declines or (b, s) in used or (b, r) in used or (s, r) in used:
                continue
            if ids[r] in away[b] or ids[r] in away[s]:
                continue
            used |= {(b, s), (b, r), (s, r)}
            fixed.append({"a": b, "b": s, "round": ids[r]})
        problem["fixed"] = fixed
    return problem


def dinner(seed: int, *, people: int, table_size: int, rounds: int) -> dict[str, Any]:
    """A club dinner: tables of one size, a quarter of people with colleagues present,
    a known-pairs graph, a boss/sponsor mix with a sponsor at every table."""
    rng = random.Random(seed)
    tables = [table_size] * -(-people // table_size)
    ids = [f"p{i}" for i in range(people)]
    persons: list[dict[str, Any]] = []
    organisation = 0
    i = 0
    while i < people:
        # A quarter of people come with one to three colleagues.
        size = rng.choice([2, 3, 4]) if rng.random() < 0.12 else 1
        for k in range(min(size, people - i)):
            persons.append({"id": ids[i + k], "organization": f"org{organisation}"})
        organisation += 1
        i += size
    sponsors = set(rng.sample(ids, len(tables) * 3 // 2))
    for person in persons:
        person["role"] = "sponsor" if person["id"] in sponsors else "boss"
    known = set()
    while len(known) < people * 2:
        a, b = rng.sample(ids, 2)
        known.add((min(a, b), max(a, b)))
    return {
        "people": persons,
        "tables": tables,
        "rounds": rounds,
        "known_pairs": [list(p) for p in sorted(known)],
        "rules": {"separate_organizations": True, "roles_per_table": {"sponsor": [1, 2]}},
    }


LEVELS = ["intern", "junior", "mid", "senior", "executive", "c-level"]
TOPIC_WORDS = [
    ("cybersécurité", "cybersecurity"), ("cloud souverain", "sovereign cloud"),
    ("gouvernance des données", "data governance"), ("IA générative", "generative AI"),
    ("FinOps", "FinOps"), ("observabilité", "observability"), ("migration ERP", "ERP migration"),
    ("Kubernetes", "Kubernetes"), ("conformité RGPD", "GDPR compliance"),
    ("numérique responsable", "green IT"), ("gestion des identités", "identity management"),
    ("test d'intrusion", "penetration testing"), ("lac de données", "data lake"),
    ("réseaux 5G privés", "private 5G networks"),
    ("modernisation du mainframe", "mainframe modernisation"),
    ("gestion des API", "API management"),
]  # fmt: skip


def community(seed: int, *, members: int, planted: int) -> dict[str, Any]:
    """A synthetic club: random profiles in French or English, and ``planted`` pairs whose
    needs and offers complement each other on a rare topic of their own."""
    rng = random.Random(seed)
    people = []
    for i in range(members):
        lang = rng.choice([0, 1])
        topics = rng.sample(TOPIC_WORDS, 3)
        people.append(
            {
                "id": f"m{i}",
                "name": f"Member {i}",
                "language": "fr" if lang == 0 else "en",
                "keywords": [t[lang] for t in topics],
                "offers": [f"audit {topics[0][lang]}"],
                "needs": [f"{'partner for' if lang else 'partenaire pour'} {topics[1][lang]}"],
                "organization": f"org{rng.randrange(members // 4 + 1)}",
                "industry": f"industry{rng.randrange(12)}",
                "seniority": rng.choice(LEVELS),
            }
        )
    pairs = []
    for k in range(planted):
        a, b = rng.sample(range(members), 2)
        word = f"quasar{k}x{rng.randrange(10**6)}"  # a rare subject only these two share
        people[a]["needs"] = [f"help with {word} deployment"]
        people[b]["offers"] = [f"{word} deployment expertise"]
        people[b]["needs"] = [f"clients for {word} deployment"]
        people[a]["offers"] = [f"{word} deployment pilot site"]
        people[b]["organization"] = f"planted{k}"  # never colleagues of their match
        pairs.append((people[a]["id"], people[b]["id"]))
    connections = set()
    while len(connections) < members * 3:
        a, b = rng.sample(range(members), 2)
        connections.add((f"m{min(a, b)}", f"m{max(a, b)}"))
    planted_set = {tuple(sorted(p)) for p in pairs}
    connections -= planted_set
    return {"people": people, "connections": sorted(connections), "planted": pairs}
