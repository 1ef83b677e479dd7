"""The one id scheme between the database and the engines reads back what it writes."""

from __future__ import annotations

import pytest

from serendip import engine_ids


@pytest.mark.parametrize("member_id", [1, 42, 10_000_001])
def test_a_member_id_goes_there_and_back(member_id: int) -> None:
    assert engine_ids.person(member_id) == f"m{member_id}"
    assert engine_ids.member_of(engine_ids.person(member_id)) == member_id
    assert engine_ids.member_of_profile(engine_ids.profile(member_id)) == member_id


def test_a_round_goes_there_and_back() -> None:
    assert engine_ids.round_key(3) == "r3"
    assert engine_ids.round_number(engine_ids.round_key(12)) == 12


@pytest.mark.parametrize("stranger", ["b1", "m", "m1x", "12", ""])
def test_ids_the_club_did_not_write_are_refused(stranger: str) -> None:
    with pytest.raises(ValueError):
        engine_ids.member_of(stranger)
    with pytest.raises(ValueError):
        engine_ids.round_number(stranger.replace("m", "r"))


def test_the_mixer_positions_become_numbers_from_one() -> None:
    assert [engine_ids.position_number(i) for i in range(3)] == [1, 2, 3]
