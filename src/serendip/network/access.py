"""Who may see or act on what of the network: the rules the pages and the API ask alike.

- An ask is seen by its audience (``Audience``): the whole club, the asker's connections, or
  their connections' connections; the asker always sees their own and alone acts on it
  (closing it, asking for an introduction through it).
- An introduction is seen and answered by its three people only (introducer, seeker, helper).
- A contact's page (notes, keep-in-touch cadence) exists only between connections.
"""

from __future__ import annotations

from serendip.members.models import Member
from serendip.network.graph import connection_ids
from serendip.network.models import Ask, Audience, Introduction


def can_see_ask(viewer: Member, ask: Ask) -> bool:
    """Whether the ask's audience includes the viewer."""
    if viewer.pk == ask.member_id or ask.audience == Audience.CLUB:
        return True
    direct = set(connection_ids(ask.member))
    if viewer.pk in direct:
        return True
    if ask.audience == Audience.SECOND_DEGREE:
        return bool(direct & set(connection_ids(viewer)))
    return False


def is_asker(member: Member, ask: Ask) -> bool:
    """Whether the member wrote the ask (and so may close it or seek introductions through it)."""
    return ask.member_id == member.pk


def takes_part_in(member: Member, introduction: Introduction) -> bool:
    """Whether the member is one of the introduction's three people."""
    return introduction.involves(member)


def is_connection(member: Member, other: Member) -> bool:
    """Whether ``other`` is one of the member's connections (whose contact page they may keep)."""
    return other.pk in set(connection_ids(member))
