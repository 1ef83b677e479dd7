"""The optional embedding space: offline, unit vectors, and the same recommender on top."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from serendip.engines.recommend import Community, Profile, build_index, recommend
from serendip.engines.recommend.embeddings import EmbeddingSpace, _model
from serendip.engines.recommend.recommend import scores


def test_the_model_loads_from_the_installed_package_without_network(monkeypatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no network in this test")

    _model.cache_clear()
    monkeypatch.setattr(socket.socket, "connect", refuse)
    vectors = EmbeddingSpace().transform(["tests d'intrusion", "penetration testing", ""])
    assert vectors.shape[0] == 3
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert not vectors[2].any()


def test_meaning_without_shared_letters_and_across_languages() -> None:
    space = EmbeddingSpace()
    intrusion, pentest, cost = space.transform(
        ["tests d'intrusion", "penetration testing", "cloud cost review"]
    )
    assert intrusion @ pentest > 3 * (intrusion @ cost)


def person(id: str, seniority: str, **fields: tuple[str, ...]) -> Profile:
    return Profile(id=id, name=id.title(), seniority=seniority, **fields)


def test_the_recommender_runs_on_embeddings_reciprocal_and_title_blind() -> None:
    club = (
        person("ana", "c-level", needs=("penetration testing partner",),
               offers=("data governance advice",), keywords=("cybersecurity",)),
        person("bob", "intern", offers=("tests d'intrusion",),
               needs=("conseil en gouvernance des données",), keywords=("cybersécurité",)),
        person("cyd", "senior", offers=("penetration testing",), needs=("wine tasting",),
               keywords=("gastronomy",)),
        person("dan", "junior", offers=("catering",), needs=("wedding venue",),
               keywords=("gastronomy",)),
    )  # fmt: skip
    index = build_index(Community(profiles=club), EmbeddingSpace())
    assert recommend(index, "ana", k=3)[0].id == "bob"  # mutual benefit, French and English
    ana = scores(index, 0)
    assert ana[1] > ana[2] > ana[3]  # mutual > one-sided (cyd) > unrelated (dan)
    # Seniority changes no score.
    again = build_index(
        Community(profiles=tuple(Profile(**{**p.__dict__, "seniority": "intern"}) for p in club)),
        EmbeddingSpace(),
    )
    assert np.allclose(scores(index, 0), scores(again, 0))


def test_a_bad_backend_setting_is_refused(settings) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from serendip.members.recommendations import text_space

    settings.SERENDIP_TEXT_BACKEND = "magic"
    with pytest.raises(ImproperlyConfigured, match="tfidf or embeddings"):
        text_space()
    settings.SERENDIP_TEXT_BACKEND = "embeddings"
    assert isinstance(text_space(), EmbeddingSpace)
