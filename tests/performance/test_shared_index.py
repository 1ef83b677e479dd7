"""Several web processes, one recommender index: built once, shared by file, kept current."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from serendip.members import recommendations
from serendip.members.models import Member
from serendip.members.services import update_profile
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


class Process:
    """One web process's memory: its own cached index, as if in another interpreter."""

    def __init__(self) -> None:
        self.cache: dict[str, object] = {}

    def __enter__(self) -> Process:
        self._saved = dict(recommendations._cache)
        recommendations._cache.clear()
        recommendations._cache.update(self.cache)
        return self

    def __exit__(self, *exc: object) -> None:
        self.cache = dict(recommendations._cache)
        recommendations._cache.clear()
        recommendations._cache.update(self._saved)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path) -> Iterator[list[int]]:
    """Counts the index builds; the shared folder is the test's own."""
    settings.SERENDIP_INDEX_DIR = str(tmp_path / "index")
    counted: list[int] = []
    real = recommendations.build_index

    def counting(*args, **kwargs):
        counted.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(recommendations, "build_index", counting)
    yield counted


@pytest.fixture
def club() -> dict[str, Member]:
    return {
        "ana": MemberFactory(
            first_name="Ana", needs=["penetration testing partner"], offers=["data governance"],
            keywords=["cybersecurity"],
        ),
        "bob": MemberFactory(
            first_name="Bob", offers=["penetration testing audits"], needs=["data governance"],
            keywords=["cybersecurity"],
        ),
        "cyd": MemberFactory(
            first_name="Cyd", offers=["catering"], needs=["wine"], keywords=["gastronomy"]
        ),
    }  # fmt: skip


def names(member: Member) -> set[str]:
    return {s.member.first_name for s in recommendations.suggestions_for(member)}


def test_the_index_is_built_once_and_read_by_every_process(builds, club) -> None:
    one, two = Process(), Process()
    with one:
        assert names(club["ana"]) == {"Bob"}
    with two:
        assert names(club["ana"]) == {"Bob"}
    assert len(builds) == 1  # the second process loaded the first one's file
    assert list(Path(recommendations._index_dir()).glob("club-*.pickle"))


def test_a_profile_changed_through_one_process_shows_in_the_other(builds, club) -> None:
    one, two = Process(), Process()
    with one:
        assert names(club["ana"]) == {"Bob"}
    with two:
        assert names(club["cyd"]) == set()
    with one:
        update_profile(club["cyd"], needs=["penetration testing partner", "data governance"])
    with two:
        # No message between the processes: the database's fingerprint moved.
        assert "Ana" in names(club["cyd"])
    with one:
        assert "Ana" in names(club["cyd"])
    assert len(builds) == 2  # once per state of the club, whichever process asked first


def test_the_people_page_of_another_process_follows_a_profile_edit(builds, club) -> None:
    one, two = Process(), Process()
    client = Client()
    assert client.login(username=club["cyd"].user.username, password=PASSWORD)
    with two:
        assert "Ana" not in client.get("/people/").content.decode()
    with one:
        update_profile(club["cyd"], needs=["data governance"])
    with two:
        assert "Ana" in client.get("/people/").content.decode()


def test_a_damaged_shared_file_is_rebuilt(builds, club) -> None:
    with Process():
        names(club["ana"])
    for path in Path(recommendations._index_dir()).glob("club-*.pickle"):
        path.write_bytes(b"half a file")
    with Process():
        assert names(club["ana"]) == {"Bob"}
    assert len(builds) == 2


def test_a_list_computed_by_one_process_is_read_by_the_other(
    builds, club, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed: list[str] = []
    real = recommendations.recommend

    def counting(index, member, *, k):
        computed.append(member)
        return real(index, member, k=k)

    monkeypatch.setattr(recommendations, "recommend", counting)
    one, two = Process(), Process()
    with one:
        assert names(club["ana"]) == {"Bob"}
    with two:
        assert names(club["ana"]) == {"Bob"}
    assert len(computed) == 1  # the second process read the first one's answer
    with one:
        update_profile(club["cyd"], needs=["penetration testing partner", "data governance"])
    with two:
        # A new index, a new name: the list is computed again, never read stale.
        assert names(club["ana"]) == {"Bob", "Cyd"}
    assert len(computed) == 2
