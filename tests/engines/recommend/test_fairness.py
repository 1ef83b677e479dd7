"""Fair exposure by industry and by address book, as by seniority, with varied lists."""

from __future__ import annotations

import random
from collections import Counter

from serendip.engines.recommend import Community, Profile, build_index, exposure, recommend
from serendip.engines.recommend.index import quartiles

TOPICS = ["cloud", "security", "data", "finops", "erp", "ai", "networks", "identity"]


def club(seed: int = 7, size: int = 240) -> Community:
    """A club where half the members are in one industry and a few know many people."""
    rng = random.Random(seed)
    industries = ["software"] * 12 + ["bank"] * 3 + ["retail"] * 3 + ["media", "energy"]
    profiles = []
    for i in range(size):
        mine = rng.sample(TOPICS, 3)
        profiles.append(
            Profile(
                id=f"p{i}",
                name=f"P{i}",
                keywords=tuple(mine),
                offers=(f"{mine[0]} audits",),
                needs=(f"{mine[1]} partner",),
                organization=f"o{i}",
                industry=industries[i % len(industries)],
                seniority=["junior", "senior", "c-level"][i % 3],
            )
        )
    connections = set()
    hubs = range(0, size, 9)  # a ninth of the club has a large address book
    for hub in hubs:
        for other in rng.sample(range(size), 25):
            if other != hub:
                connections.add((f"p{min(hub, other)}", f"p{max(hub, other)}"))
    return Community(tuple(profiles), frozenset(connections))


def lists_of(community: Community) -> tuple[object, dict[str, list[str]]]:
    index = build_index(community)
    return index, {p.id: [r.id for r in recommend(index, p.id, k=10)] for p in community.profiles}


def test_a_dominant_industry_and_the_small_ones_each_get_their_share() -> None:
    index, lists = lists_of(club())
    by_industry = exposure(index, lists, by="industry")  # type: ignore[arg-type]
    assert set(by_industry) == {"bank", "energy", "media", "retail", "software"}
    for industry, ratio in by_industry.items():
        assert 0.9 <= ratio <= 1.1, (industry, ratio)


def test_small_and_large_address_books_each_get_their_share() -> None:
    index, lists = lists_of(club())
    by_book = exposure(index, lists, by="connections")  # type: ignore[arg-type]
    assert set(by_book) == {"q1", "q2", "q3", "q4"}
    for quartile, ratio in by_book.items():
        assert 0.9 <= ratio <= 1.1, (quartile, ratio)
    for level, ratio in exposure(index, lists).items():  # type: ignore[arg-type]
        assert 0.9 <= ratio <= 1.1, (level, ratio)


def test_no_list_is_dominated_by_one_industry() -> None:
    community = club()
    industry = {p.id: p.industry for p in community.profiles}
    _, lists = lists_of(community)
    for member, people in lists.items():
        assert len(people) == 10
        (_, most), *_ = Counter(industry[x] for x in people).most_common(1)
        # Software is 60% of the club: 6 or 7 places at most, never the whole list.
        assert most <= 7, (member, people)


def test_the_one_obvious_match_is_kept_whatever_the_quotas() -> None:
    community = club()
    profiles = list(community.profiles)
    # Two members of the smallest industry need exactly what the other offers.
    profiles[4] = Profile(
        id="p4",
        name="P4",
        industry="media",
        organization="o4",
        needs=("quasar deployment help",),
        offers=("quasar pilot site",),
        keywords=("quasar",),
    )
    profiles[5] = Profile(id="p5", name="P5", industry="energy", organization="o5",
                          needs=("quasar pilot site",), offers=("quasar deployment help",),
                          keywords=("quasar",))  # fmt: skip
    index = build_index(Community(tuple(profiles), community.connections))
    for me, other in (("p4", "p5"), ("p5", "p4")):
        assert recommend(index, me, k=10)[0].id == other


def test_quartiles_split_address_books_into_four_equal_groups_by_rank() -> None:
    found = quartiles([0, 0, 0, 0, 1, 1, 5, 9])
    assert found == ["q1", "q1", "q2", "q2", "q3", "q3", "q4", "q4"]
    assert Counter(quartiles([3] * 10)) == {"q1": 3, "q2": 2, "q3": 3, "q4": 2}
