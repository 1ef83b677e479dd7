"""Real social networks for the mixer benchmark, and dinners built from them.

The graphs are the classic public data sets that networkx also ships (networkx is not
a dependency of this project, so the edge lists are written here):

- Zachary's karate club, 34 members, 78 friendships (Zachary 1977, J. Anthropological
  Research 33, 452-473);
- the Florentine families, 15 families, 20 marriages (Breiger and Pattison 1986, Social
  Networks 8, 215-256; the Pucci, who married nobody, left out);
- Davis's southern women, 18 women at 14 events (Davis, Gardner and Gardner 1941, Deep
  South): two women know each other when they attended at least 3 events together.

A dinner takes several disjoint copies of a graph (as a club draws several such circles):
friendships are known pairs, communities found by label propagation are organisations
(split into groups of at most half the tables: colleagues apart stays possible), and
about one guest in seven is a sponsor with one or two sponsors per table.
"""

from __future__ import annotations

import random
from itertools import combinations
from typing import Any

KARATE = (
    "0:1,2,3,4,5,6,7,8,10,11,12,13,17,19,21,31 1:2,3,7,13,17,19,21,30 2:3,7,8,9,13,27,28,32 "
    "3:7,12,13 4:6,10 5:6,10,16 6:16 8:30,32,33 9:33 13:33 14:32,33 15:32,33 18:32,33 19:33 "
    "20:32,33 22:32,33 23:25,27,29,32,33 24:25,27,31 25:31 26:29,33 27:33 28:31,33 29:32,33 "
    "30:32,33 31:32,33 32:33"
)
FLORENTINE = (
    "Acciaiuoli-Medici Castellani-Peruzzi Castellani-Strozzi Castellani-Barbadori "
    "Medici-Barbadori Medici-Ridolfi Medici-Tornabuoni Medici-Albizzi Medici-Salviati "
    "Salviati-Pazzi Peruzzi-Strozzi Peruzzi-Bischeri Strozzi-Ridolfi Strozzi-Bischeri "
    "Ridolfi-Tornabuoni Tornabuoni-Guadagni Albizzi-Ginori Albizzi-Guadagni "
    "Bischeri-Guadagni Guadagni-Lamberteschi"
)
# Each woman's events (E1..E14), in the order of the original table.
DAVIS = [
    "1 2 3 4 5 6 8 9", "1 2 3 5 6 7 8", "2 3 4 5 6 7 8 9", "1 3 4 5 6 7 8", "3 4 5 7",
    "3 5 6 8", "5 6 7 8", "6 8 9", "5 7 8 9", "7 8 9 12", "8 9 10 12", "8 9 10 12 13 14",
    "7 8 9 10 12 13 14", "6 7 9 10 11 12 13 14", "7 8 10 11 12", "8 9", "9 11", "9 11",
]  # fmt: skip


def karate() -> list[tuple[str, str]]:
    """Zachary's karate club: 78 friendships among 34 members."""
    edges = []
    for entry in KARATE.split():
        node, others = entry.split(":")
        edges += [(node, other) for other in others.split(",")]
    return edges


def florentine() -> list[tuple[str, str]]:
    """The Florentine families' marriages."""
    return [tuple(edge.split("-")) for edge in FLORENTINE.split()]  # type: ignore[misc]


def davis(shared: int = 3) -> list[tuple[str, str]]:
    """Davis's southern women: those who attended at least ``shared`` events together."""
    events = [set(row.split()) for row in DAVIS]
    return [
        (str(a), str(b))
        for a, b in combinations(range(len(events)), 2)
        if len(events[a] & events[b]) >= shared
    ]


GRAPHS = {"karate club": karate, "Florentine families": florentine, "southern women": davis}

# The best seating known of a dinner, where the mixer falls short of its bound: rounds of
# tables (members of copy 0, "|" between tables) and the new pairs it reaches. The karate
# club at tables of 6 over 3 rotations: 240 new pairs, the most any seating reaches (no
# seating reaches 241: bench/mixer_latin_proof.py), every rule and role bound kept and one
# acquaintance pair side by side (members 0 and 2, with 24 and 33 at a table of 4); found
# by CP-SAT on that script's model (the second isotopy class of Latin squares of order 6,
# that pair side by side: 68 to 98 s). The mixer reaches 236 to 238 in 10 s (228 with
# its tabu search alone, 237 by an annealing over a Latin square run offline).
_BEST_KARATE_6_3 = (
    "1 4 9 11 28 32 | 0 2 24 33 | 5 12 14 17 23 26 | 7 10 15 20 25 29 | 6 13 19 21 22 30 | "
    "3 8 16 18 27 31",
    "0 9 14 22 25 27 | 8 13 17 20 28 | 4 7 12 16 21 33 | 2 5 11 18 29 30 | 1 6 15 23 31 | "
    "3 10 19 24 26 32",
    "9 10 18 21 23 | 0 15 16 26 28 30 | 2 4 14 19 20 31 | 3 6 11 17 25 33 | 1 8 12 22 24 29 | "
    "5 7 13 27 32",
)


def _rounds(text: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Rounds of tables of the ids of copy 0 from their compact form."""
    return tuple(
        tuple(tuple(f"0:{node}" for node in table.split()) for table in line.split("|"))
        for line in text
    )


BEST_SEATINGS = {("karate club", 1, 6, 3): (_rounds(_BEST_KARATE_6_3), 240)}
# The most new pairs any seating of a dinner reaches, where proved below the mixer's bound
# offline: no seating of the karate club at 6 tables of 6 over 3 rotations reaches 241
# (bench/mixer_latin_proof.py, over the 22 Latin squares of order 6; 2 min), and the
# seating above reaches 240: the optimum.
PROVED_AT_MOST = {("karate club", 1, 6, 3): 240}


def communities(edges: list[tuple[str, str]], seed: int) -> dict[str, int]:
    """Communities by label propagation (each node takes its neighbours' commonest label)."""
    near: dict[str, list[str]] = {}
    for a, b in edges:
        near.setdefault(a, []).append(b)
        near.setdefault(b, []).append(a)
    label = {node: i for i, node in enumerate(sorted(near))}
    rng = random.Random(seed)
    for _ in range(20):
        changed = False
        nodes = sorted(near)
        rng.shuffle(nodes)
        for node in nodes:
            counts: dict[int, int] = {}
            for other in near[node]:
                counts[label[other]] = counts.get(label[other], 0) + 1
            best = max(counts.values())
            choice = min(k for k, c in counts.items() if c == best)
            if choice != label[node] and counts.get(label[node], 0) < best:
                label[node], changed = choice, True
        if not changed:
            break
    return label


def graph_dinner(
    name: str, *, copies: int, table_size: int, rounds: int, seed: int = 0
) -> dict[str, Any]:
    """A dinner of ``copies`` disjoint copies of the graph ``name`` (see the module text)."""
    rng = random.Random(seed)
    edges = GRAPHS[name]()
    nodes = sorted({node for edge in edges for node in edge})
    people_count = copies * len(nodes)
    tables = -(-people_count // table_size)
    people: list[dict[str, Any]] = []
    known: list[list[str]] = []
    for copy in range(copies):
        label = communities(edges, seed + copy)
        members: dict[int, list[str]] = {}
        for node in nodes:
            members.setdefault(label.get(node, -1), []).append(node)
        organisation: dict[str, str] = {}
        chunk = max(1, -(-tables // 2))
        for community, group in sorted(members.items()):
            for i, node in enumerate(group):
                # Chunks of at most half the tables: colleagues apart stays possible.
                organisation[node] = f"c{copy}-{community}-{i // chunk}"
        for node in nodes:
            people.append({"id": f"{copy}:{node}", "organization": organisation[node]})
        known += [[f"{copy}:{a}", f"{copy}:{b}"] for a, b in edges]
    sponsors = set(rng.sample(range(len(people)), min(len(people), tables * 3 // 2)))
    for i, person in enumerate(people):
        person["role"] = "sponsor" if i in sponsors else "boss"
    return {
        "people": people,
        "tables": [table_size] * tables,
        "rounds": rounds,
        "known_pairs": known,
        "rules": {"separate_organizations": True, "roles_per_table": {"sponsor": [1, 2]}},
    }
