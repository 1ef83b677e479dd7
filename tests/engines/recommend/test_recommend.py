"""The recommender: title-blind, reciprocal, cross-language, stranger-first, fair."""

from __future__ import annotations

from dataclasses import replace

import pytest

from serendip.engines.recommend import (
    Community,
    IncompleteProfile,
    Profile,
    build_index,
    exposure,
    recommend,
)
from serendip.engines.recommend.recommend import scores


def person(id: str, **fields: object) -> Profile:
    base: dict[str, object] = {
        "name": id.title(),
        "keywords": ("cloud",),
        "offers": (),
        "needs": (),
    }
    return Profile(id=id, **{**base, **fields})  # type: ignore[arg-type]


CLUB = (
    person("ana", needs=("penetration testing partner",), offers=("data governance advice",),
           keywords=("cybersecurity", "data governance"), seniority="c-level"),
    person("bob", offers=("penetration testing audits",), needs=("data governance advice",),
           keywords=("cybersecurity",), seniority="intern"),
    person("cyd", offers=("penetration testing audits",), needs=("kubernetes hosting",),
           keywords=("kubernetes",), seniority="senior"),
    person("dan", offers=("catering",), needs=("wine tasting",), keywords=("gastronomy",),
           seniority="junior"),
)  # fmt: skip


def ranked(profiles: tuple[Profile, ...], member: str, **community: object) -> list[str]:
    index = build_index(Community(profiles, **community))  # type: ignore[arg-type]
    return [r.id for r in recommend(index, member, k=10)]


def test_a_mutual_match_ranks_above_a_one_sided_one() -> None:
    # Bob and Cyd both offer what Ana needs, but only Bob needs what Ana offers.
    assert ranked(CLUB, "ana")[:2] == ["bob", "cyd"]
    assert "dan" not in ranked(CLUB, "ana")


def test_seniority_title_and_company_change_no_score() -> None:
    index = build_index(Community(CLUB))
    before = scores(index, 0)
    changed = tuple(
        replace(p, seniority="intern" if p.seniority != "intern" else "c-level") for p in CLUB
    )
    after = scores(build_index(Community(changed)), 0)
    assert list(before) == list(after)
    # A profile carries no title nor company size at all: there is nothing else to change.
    assert not {"title", "job_title", "company_size"} & set(Profile.__dataclass_fields__)


def test_a_french_need_finds_an_english_offer() -> None:
    profiles = (
        person("zoe", language="fr", needs=("un partenaire en cybersécurité",),
               offers=("conseil en gouvernance des données",), keywords=("cybersécurité",)),
        person("sam", offers=("cybersecurity audits",), needs=("data governance",),
               keywords=("cybersecurity",)),
        person("lee", offers=("wine tasting",), needs=("catering",), keywords=("gastronomy",)),
    )  # fmt: skip
    index = build_index(Community(profiles))
    found = recommend(index, "zoe", k=2)
    assert [r.id for r in found][:1] == ["sam"]
    assert found[0].reason.startswith("Sam propose « cybersecurity audits »")
    assert all("?" in question for question in found[0].icebreakers)


def test_connections_colleagues_and_hidden_people_are_never_proposed() -> None:
    colleagues = tuple(
        replace(p, organization="Acme") if p.id in {"ana", "cyd"} else p for p in CLUB
    )
    assert "cyd" not in ranked(colleagues, "ana")
    assert "bob" not in ranked(CLUB, "ana", connections=frozenset({("ana", "bob")}))
    assert "bob" not in ranked(CLUB, "ana", hidden=frozenset({("ana", "bob")}))
    # Hiding is one-way: Bob may still be proposed Ana.
    assert "ana" in ranked(CLUB, "bob", hidden=frozenset({("ana", "bob")}))


def test_friends_of_friends_come_with_who_could_introduce_them() -> None:
    index = build_index(Community(CLUB, connections=frozenset({("ana", "dan"), ("dan", "bob")})))
    bob = next(r for r in recommend(index, "ana", k=10) if r.id == "bob")
    assert bob.introducer == "dan"
    assert "Dan could introduce you." in bob.reason


def test_an_empty_profile_is_asked_to_say_more() -> None:
    empty = (*CLUB, person("eve", keywords=(), offers=(), needs=()))
    with pytest.raises(IncompleteProfile) as incomplete:
        ranked(empty, "eve")
    assert incomplete.value.missing == ("topics", "offers", "needs")


def test_exposure_on_a_small_community_with_a_known_answer() -> None:
    index = build_index(Community(CLUB))
    # Two lists: Bob (intern) twice, Ana (c-level) once, Cyd (senior) once: 4 places.
    ratios = exposure(index, {"ana": ["bob", "cyd"], "dan": ["bob", "ana"]})
    # Each level is a quarter of members: intern 2/4 ÷ 1/4 = 2, c-level and senior 1, junior 0.
    assert ratios == {"c-level": 1.0, "intern": 2.0, "junior": 0.0, "senior": 1.0}


def test_every_seniority_level_gets_its_share_of_the_lists() -> None:
    levels = ["intern", "junior", "mid", "senior", "executive", "c-level"]
    profiles = tuple(
        person(f"p{i}", seniority=levels[i % 6], organization=f"o{i}", industry=f"i{i % 5}",
               needs=("cloud security partner",), offers=("cloud security audits",),
               keywords=("cloud", "security"))
        for i in range(120)
    )  # fmt: skip
    index = build_index(Community(profiles))
    lists = {p.id: [r.id for r in recommend(index, p.id, k=10)] for p in profiles}
    for level, ratio in exposure(index, lists).items():
        assert 0.9 <= ratio <= 1.1, (level, ratio)
    industries = {index.profiles[index.position[x]].industry for x in lists["p0"]}
    assert len(industries) >= 4  # a list is not all one industry


def test_reasons_are_the_same_from_the_whole_product_or_pair_by_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    module = importlib.import_module("serendip.engines.recommend.recommend")
    needs = ("penetration testing partner", "kubernetes hosting", "data governance advice")
    offers = ("penetration testing audits", "kubernetes clusters", "catering", "wine tasting")
    topics = ("cybersecurity", "kubernetes", "gastronomy", "data governance", "cloud")
    profiles = tuple(
        person(f"p{i}", organization=f"o{i}", needs=(needs[i % 3], needs[(i + 1) % 3]),
               offers=(offers[i % 4],), keywords=(topics[i % 5], topics[(i + 2) % 5]))
        for i in range(40)
    )  # fmt: skip
    index = build_index(Community(profiles))
    whole = [recommend(index, p.id, k=10) for p in profiles]
    monkeypatch.setattr(module._Items, "GRAM_UP_TO", 0)  # every pair sliced and multiplied
    assert [recommend(index, p.id, k=10) for p in profiles] == whole
    assert any(r.reason for answer in whole for r in answer)
