"""Who may see what of a member: the one rule that profile pages, exports and the API ask.

A member's contact details (email, phone, LinkedIn) follow the member's own choice
(``contact_visibility``): everyone in the club, their connections, or nobody. The member sees
their own; the club's staff see everyone's (they run the club and answer its mail).
"""

from __future__ import annotations

from collections.abc import Collection

from serendip.members.choices import ContactVisibility
from serendip.members.models import Member
from serendip.members.services import are_connected


def can_see_contact(
    viewer: Member | None,
    member: Member,
    *,
    viewer_is_staff: bool,
    ties: Collection[int] | None = None,
) -> bool:
    """Whether ``viewer`` may see ``member``'s email, phone and LinkedIn address.

    ``ties``: the ids of the viewer's connections when a list already read them, so that a page
    of members asks no query per member.
    """
    if viewer_is_staff or (viewer is not None and viewer.pk == member.pk):
        return True
    if viewer is None or member.contact_visibility == ContactVisibility.NOBODY:
        return False
    if member.contact_visibility == ContactVisibility.MEMBERS:
        return True
    return member.pk in ties if ties is not None else are_connected(viewer, member)


def can_see_contact_of_a_connection(member: Member, *, viewer_is_staff: bool) -> bool:
    """``can_see_contact`` for someone already known to be the viewer's connection, without a
    query ("my connections" lets them see, "nobody" does not): for lists such as the export."""
    return viewer_is_staff or member.contact_visibility != ContactVisibility.NOBODY
