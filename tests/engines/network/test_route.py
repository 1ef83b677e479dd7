"""Routing an ask: direct connections first, friends of friends through the strongest tie."""

from __future__ import annotations

from serendip.engines.network.route import Person, route


def club() -> tuple[Person, list[Person]]:
    asker = Person("ana", offers=(), ties={"ben": 3.0, "cleo": 1.0})
    people = [
        Person("ben", offers=("cloud cost reviews",), ties={"ana": 3.0, "dan": 2.0, "eve": 0.5}),
        Person("cleo", offers=("penetration testing",), ties={"ana": 1.0, "dan": 4.0}),
        Person("dan", offers=("tests d'intrusion et audit de sécurité",), ties={"ben": 2.0}),
        Person("eve", offers=("penetration testing for banks",), ties={"ben": 0.5}),
        Person("fay", offers=("penetration testing",), ties={}),  # a stranger to everyone
    ]
    return asker, people


def test_direct_connections_come_first_then_second_degree_with_their_introducer():
    asker, people = club()
    helpers = route("We need a penetration testing partner", asker, people)
    assert [h.id for h in helpers][:1] == ["cleo"]
    assert helpers[0].introducer is None
    second = {h.id: h.introducer for h in helpers[1:]}
    assert second["eve"] == "ben"
    assert "fay" not in second  # nobody can introduce her


def test_the_introducer_is_the_strongest_weakest_link():
    asker, people = club()
    # dan is reached through ben (min(3, 2) = 2) rather than cleo (min(1, 4) = 1).
    helpers = route("audit de sécurité, tests d'intrusion", asker, people)
    assert {h.id: h.introducer for h in helpers}["dan"] == "ben"


def test_a_french_ask_finds_an_english_offer():
    asker = Person("ana", offers=(), ties={"ben": 1.0})
    people = [Person("ben", offers=("cybersecurity audit",), ties={"ana": 1.0})]
    assert [h.id for h in route("un audit de cybersécurité", asker, people)] == ["ben"]


def test_nothing_matches_nothing_is_suggested():
    asker, people = club()
    assert route("a venue for our wedding", asker, people) == []
    assert route("", asker, people) == []
