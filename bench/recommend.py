"""Benchmark of the recommender on a synthetic club with planted complementary pairs.

Run: .venv/bin/python bench/recommend.py [--members N] [--queries Q]   (prints Markdown)

Reports: index build time, p50/p95 latency of one member's top 10, precision@10
of the planted pairs (each side finds the other in its top 10), exposure ratio
per seniority level (share in top-10 lists ÷ share of members) and the share of
strangers (people not yet connected) in the lists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.instances import community

from serendip.engines.recommend import Community, Profile, build_index, exposure, recommend
from serendip.engines.recommend.embeddings import EmbeddingSpace


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
    data = community(1, members=args.members, planted=200)
    profiles = tuple(
        Profile(
            id=p["id"], name=p["name"], language=p["language"], keywords=tuple(p["keywords"]),
            offers=tuple(p["offers"]), needs=tuple(p["needs"]), organization=p["organization"],
            industry=p["industry"], seniority=p["seniority"],
        )
        for p in data["people"]
    )  # fmt: skip
    started = time.perf_counter()
    space = EmbeddingSpace() if args.backend == "embeddings" else None
    community_ = Community(profiles, frozenset(map(tuple, data["connections"])))
    index = build_index(community_, space)
    build = time.perf_counter() - started
    rng = random.Random(2)
    planted = data["planted"]
    askers = [a for pair in planted for a in pair]
    askers += rng.sample([p.id for p in profiles], max(0, args.queries - len(askers)))
    latencies, lists = [], {}
    for member in askers:
        t = time.perf_counter()
        lists[member] = [r.id for r in recommend(index, member, k=10)]
        latencies.append(time.perf_counter() - t)
    latencies.sort()
    found = sum((b in lists[a]) + (a in lists[b]) for a, b in planted) / (2 * len(planted))
    strangers = sum(
        1
        for member, people in lists.items()
        for other in people
        if index.position[other] not in index.neighbours[index.position[member]]
    ) / max(1, sum(len(v) for v in lists.values()))
    ratios = exposure(index, lists)
    print(
        f"Run on {dt.date.today()}, {platform.machine()}, Python {platform.python_version()}: "
        f"{args.members:,} members, {len(askers):,} queries, 200 planted pairs, "
        f"{args.backend} text space.\n"
    )
    print("| measure | value |")
    print("|---|---|")
    print(f"| index build | {build:.1f} s |")
    print(
        f"| latency p50 / p95 (top 10) | {1000 * latencies[len(latencies) // 2]:.1f} ms / "
        f"{1000 * latencies[int(len(latencies) * 0.95)]:.1f} ms |"
    )
    print(f"| precision@10 of planted pairs | {found:.3f} |")
    print(f"| strangers in the lists | {100 * strangers:.1f}% |")
    for level, ratio in sorted(ratios.items()):
        print(f"| exposure ratio, {level} | {ratio:.3f} |")


if __name__ == "__main__":
    main()
