"""Use cases on members: creating them, editing profiles, connections, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from serendip.members.choices import ConnectionOrigin, ContactVisibility
from serendip.members.models import ApiToken, Connection, Member

TOKEN_PREFIX = "sdp_"


def bulk_create_members(profiles: list[dict[str, object]], *, password_hash: str) -> list[Member]:
    """Create members and their sign-in accounts in two bulk inserts; emails must be new."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username=p["email"],
            email=p["email"],
            first_name=p["first_name"],
            last_name=p["last_name"],
            password=password_hash,
        )
        for p in profiles
    )
    return Member.objects.bulk_create(
        Member(user=user, **profile) for user, profile in zip(users, profiles, strict=True)
    )


def ordered_pair(a: Member, b: Member) -> tuple[Member, Member]:
    """The two members with the smaller id first, as connections are stored."""
    return (a, b) if a.pk < b.pk else (b, a)


def connect(
    a: Member,
    b: Member,
    *,
    how: str = ConnectionOrigin.IMPORTED,
    since: dt.date | None = None,
) -> Connection:
    """The connection between two members, created if they were not yet connected."""
    first, second = ordered_pair(a, b)
    connection, _created = Connection.objects.get_or_create(
        member_a=first, member_b=second, defaults={"how": how, "since": since}
    )
    return connection


def connections_of(member: Member) -> QuerySet[Connection]:
    """Every connection that has ``member`` at one end."""
    return Connection.objects.filter(Q(member_a=member) | Q(member_b=member)).select_related(
        "member_a", "member_b", "member_a__organisation", "member_b__organisation"
    )


def are_connected(a: Member, b: Member) -> bool:
    """Whether the two members already know each other."""
    first, second = ordered_pair(a, b)
    return Connection.objects.filter(member_a=first, member_b=second).exists()


def can_see_contact(viewer: Member | None, member: Member, *, viewer_is_staff: bool) -> bool:
    """Whether ``viewer`` may see ``member``'s email, phone and LinkedIn address."""
    if viewer_is_staff or (viewer is not None and viewer.pk == member.pk):
        return True
    if viewer is None or member.contact_visibility == ContactVisibility.NOBODY:
        return False
    if member.contact_visibility == ContactVisibility.MEMBERS:
        return True
    return are_connected(viewer, member)


@transaction.atomic
def update_profile(member: Member, **fields: object) -> Member:
    """Save the given profile fields, keeping the sign-in account's name and email in step."""
    for name, value in fields.items():
        setattr(member, name, value)
    member.email = member.email.lower()
    member.save()
    user = member.user
    user.first_name, user.last_name = member.first_name, member.last_name
    user.email = user.username = member.email
    user.save(update_fields=["first_name", "last_name", "email", "username"])
    return member


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(member: Member, *, name: str) -> str:
    """Create a token for the API and return it; it is shown once and stored only hashed."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(member=member, name=name, digest=_digest(token))
    return token


def member_for_token(token: str) -> Member | None:
    """The member a valid API token belongs to, or None; records when it was last used."""
    found = ApiToken.objects.select_related("member__user").filter(digest=_digest(token)).first()
    if found is None or not found.member.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
    return found.member


def revoke_api_tokens(member: Member, names: Iterable[str] | None = None) -> int:
    """Delete the member's tokens (all, or those named); returns how many were revoked."""
    tokens = ApiToken.objects.filter(member=member)
    if names is not None:
        tokens = tokens.filter(name__in=list(names))
    count, _ = tokens.delete()
    return count
