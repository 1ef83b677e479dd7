"""The member behind a request, looked up once per request whoever asks (web or API).

The middleware, the navigation, the views and the API all ask "who is this?": the first one
reads the member (with their organisation and account), the others get the same object.
A signed-in account without a member profile (an organiser's account, say) gets one answer
wherever a member's page or operation needs the member: ``member_required`` raises
``NoMemberProfile``, a 403 that says so in the reader's language (the web's 403 page) and as
``{"detail": ...}`` in the API. Pages that also serve accounts without a profile (the home page,
the navigation) ask ``current_member`` and handle None themselves.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from serendip.members.models import Member

_CACHE = "_serendip_member"
_MISSING = object()


def current_member(request: HttpRequest) -> Member | None:
    """The signed-in member of this request, or None (anonymous, or an account without one)."""
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    # Remembered with the account it belongs to: signing in or out within the request
    # (the sign-in page) changes the user, and the member is looked up again.
    remembered: Any = getattr(request, _CACHE, None)
    if remembered is not None and remembered[0] == user_id:
        return remembered[1]  # type: ignore[no-any-return]
    found = None
    if user_id is not None:
        found = (
            Member.objects.filter(user_id=user_id).select_related("organisation", "user").first()
        )
    remember_member(request, found, user_id=user_id)
    return found


class NoMemberProfile(PermissionDenied):
    """A member's page or operation asked by an account that has no member profile (a 403)."""

    def __init__(self, *, organiser: bool = False) -> None:
        if organiser:
            # An organiser made with createsuperuser: they can mend it themselves.
            super().__init__(
                _(
                    "Your account has no member profile. To be a member of the club too, add "
                    "yourself in the back office under Members with your account's email, or "
                    "import yourself with the members (serendip import members)."
                )
            )
        else:
            super().__init__(_("Your account has no member profile; ask an organiser."))


def member_required(request: HttpRequest) -> Member:
    """The signed-in member of this request; NoMemberProfile (a 403) for an account without one.

    Views and API operations behind a sign-in call it; an anonymous request never gets here.
    """
    member = current_member(request)
    if member is None:
        raise NoMemberProfile(organiser=bool(getattr(request.user, "is_staff", False)))
    return member


def remember_member(
    request: HttpRequest, member: Member | None, *, user_id: Any = _MISSING
) -> None:
    """Say who the request's member is when it is already known (a token names its member)."""
    if user_id is _MISSING:
        user_id = member.user_id if member is not None else None
    setattr(request, _CACHE, (user_id, member))
