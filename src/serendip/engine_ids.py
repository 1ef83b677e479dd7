"""The one place that says how the database's members, rounds and tables are named for the engines.

The engines know people, rounds and tables only by the ids of their problem files
(docs/formats.md). The club's apps name them here and read them back here, so that
an id written by one app is read the same way by every other and in the engines' files
(the demo writes them for anyone to replay with ``serendip meetings`` / ``serendip mixer``).

- The meetings engine and the mixer: a member is ``m<member id>``; a round of an event
  is ``r<its number>``; a meetings table is its number (from 1, as in the database).
- The mixer numbers nothing: its rounds and tables are positions from 0; a meal's
  rotations and tables are numbered from 1.
- The recommender and the network engine: a member is the member id as text.

Pure Python, no Django: the engine commands use it too.
"""

from __future__ import annotations


def person(member_id: int) -> str:
    """The meetings engine's and the mixer's id of a member: ``m12``."""
    return f"m{member_id}"


def member_of(person_id: str) -> int:
    """The member id behind a meetings or mixer id (``m12`` → 12)."""
    if not person_id.startswith("m") or not person_id[1:].isdigit():
        raise ValueError(f"not a member's engine id: {person_id!r}")
    return int(person_id[1:])


def round_key(number: int) -> str:
    """The meetings engine's id of an event's round: ``r3``."""
    return f"r{number}"


def round_number(key: str) -> int:
    """The round number behind a meetings engine round id (``r3`` → 3)."""
    if not key.startswith("r") or not key[1:].isdigit():
        raise ValueError(f"not a round's engine id: {key!r}")
    return int(key[1:])


def position_number(index: int) -> int:
    """A meal's rotation or table number (from 1) for the mixer's position (from 0)."""
    return index + 1


def profile(member_id: int) -> str:
    """The recommender's and the network engine's id of a member: ``"12"``."""
    return str(member_id)


def member_of_profile(profile_id: str) -> int:
    """The member id behind a recommender or network engine id (``"12"`` → 12)."""
    return int(profile_id)
