"""Use cases on members: creating them, editing profiles, connections, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any, TypedDict

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from serendip import mail
from serendip.members.choices import ConnectionOrigin
from serendip.members.models import ApiToken, Connection, Member, Organisation

TOKEN_PREFIX = "sdp_"


def accounts_without_member(emails: Iterable[str]) -> dict[str, Any]:
    """The sign-in accounts no member holds yet, by lower-cased email, found by their email or
    their username: an organiser made with ``createsuperuser`` before being a member."""
    wanted = {e.lower() for e in emails}
    if not wanted:
        return {}
    found: dict[str, Any] = {}
    # Accounts without a member are few (the organisers'): matched here, not in a query that
    # would grow with a 10,000-line import.
    for user in get_user_model().objects.filter(member__isnull=True).order_by("pk"):
        for key in (user.email.lower(), user.username.lower()):
            if key in wanted:
                found.setdefault(key, user)
    return found


def bulk_create_members(profiles: list[dict[str, Any]], *, password_hash: str) -> list[Member]:
    """Create members in two bulk inserts, with a sign-in account each; emails must be new to
    members. An account that no member holds yet with that email (an organiser's) is theirs:
    it keeps its password; the others get ``password_hash``."""
    accounts = accounts_without_member(p["email"] for p in profiles)
    created = iter(
        get_user_model().objects.bulk_create(
            get_user_model()(
                username=p["email"],
                email=p["email"],
                first_name=p["first_name"],
                last_name=p["last_name"],
                password=password_hash,
            )
            for p in profiles
            if p["email"].lower() not in accounts
        )
    )
    users = [accounts.get(p["email"].lower()) or next(created) for p in profiles]
    return Member.objects.bulk_create(
        Member(user=user, **profile) for user, profile in zip(users, profiles, strict=True)
    )


@transaction.atomic
def create_organisation(
    *, name: str, industry: str = "", city: str = "", website: str = ""
) -> Organisation:
    """Add an organisation, checked by the model's rules (names unique whatever their case).

    Raises ValidationError naming the fields refused, IntegrityError when another request
    took the name meanwhile.
    """
    organisation = Organisation(name=name, industry=industry, city=city, website=website)
    organisation.full_clean()
    organisation.save()
    return organisation


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


def choose_language(member: Member, *, language: str) -> None:
    """Keep the member's interface language; refuses a language the club does not speak.

    ``updated`` moves too: the recommender's reasons and icebreakers are worded in the
    member's language, and its cached index is rebuilt when a profile changes.
    """
    if language not in dict(Member._meta.get_field("language").choices or []):
        raise ValueError(f"not a language of the club: {language!r}")
    Member.objects.filter(pk=member.pk).update(language=language, updated=timezone.now())
    member.language = language


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


def create_api_token(member: Member, *, name: str, expires_in_days: int | None = None) -> str:
    """Create a token for the API and return it; it is shown once and stored only hashed."""
    if expires_in_days is not None and expires_in_days < 1:
        raise ValueError("a token lives at least one day")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = (
        timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days is not None else None
    )
    ApiToken.objects.create(member=member, name=name, digest=_digest(token), expires=expires)
    return token


def member_for_token(token: str) -> Member | None:
    """The member a valid, unexpired API token belongs to, or None; records when it was used."""
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("member__user")
        .filter(digest=_digest(token))
        .filter(Q(expires__isnull=True) | Q(expires__gt=now))
        .first()
    )
    if found is None or not found.member.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used=now)
    return found.member


def api_tokens_of(member: Member) -> QuerySet[ApiToken]:
    """The member's own tokens, newest first (their secrets are never stored)."""
    return ApiToken.objects.filter(member=member).order_by("-created", "-id")


def revoke_api_token(member: Member, *, token_id: int) -> bool:
    """Delete one of the member's own tokens; False when it is not theirs (or already gone)."""
    count, _ = ApiToken.objects.filter(member=member, pk=token_id).delete()
    return count > 0


def revoke_api_tokens(member: Member, names: Iterable[str] | None = None) -> int:
    """Delete the member's tokens (all, or those named); returns how many were revoked."""
    tokens = ApiToken.objects.filter(member=member)
    if names is not None:
        tokens = tokens.filter(name__in=list(names))
    count, _ = tokens.delete()
    return count


# Changing the sign-in email: the new address must prove it is the member's (a signed,
# time-limited link sent to it) and the old address is told, so a stolen session alone
# cannot move the account to an attacker's mailbox.
EMAIL_CHANGE_SALT = "serendip.members.email-change"
EMAIL_CHANGE_MAX_AGE = dt.timedelta(days=2)


class EmailChange(TypedDict):
    """What an email-change token carries: who, from which address, to which."""

    member: int
    old: str
    new: str


class EmailChangeError(ValueError):
    """A confirmation link that cannot change the email (expired, altered, used, taken)."""


def email_change_token(member: Member, *, new_email: str) -> str:
    """A signed token for moving ``member`` to ``new_email``, valid until their email changes."""
    # The current email is part of the token: once the change is made, the link is spent.
    payload: EmailChange = {
        "member": member.pk,
        "old": member.email.lower(),
        "new": new_email.lower(),
    }
    return signing.TimestampSigner(salt=EMAIL_CHANGE_SALT).sign_object(payload)


def email_is_free(email: str, *, member: Member | None = None) -> bool:
    """Whether no other member or account signs in with ``email``."""
    others = Member.objects.filter(email__iexact=email)
    users = get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    if member is not None:
        others = others.exclude(pk=member.pk)
        users = users.exclude(pk=member.user_id)
    return not others.exists() and not users.exists()


def request_email_change(member: Member, *, new_email: str, confirm_url: str) -> None:
    """Send the link that confirms ``new_email`` to that address, in the member's language."""
    context = {"member": member, "new_email": new_email.lower(), "confirm_url": confirm_url}
    message = mail.letter(
        "account/email/change_email", context, to=new_email.lower(), language=member.language
    )
    message.send()


def _email_change_payload(token: str) -> EmailChange:
    signer = signing.TimestampSigner(salt=EMAIL_CHANGE_SALT)
    try:
        payload: EmailChange = signer.unsign_object(token, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise EmailChangeError(_("This link has expired: ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise EmailChangeError(_("This link is not valid.")) from exc
    return payload


def _still_valid(member: Member | None, payload: EmailChange) -> Member:
    if member is None or not member.user.is_active or member.email.lower() != payload["old"]:
        raise EmailChangeError(_("This link has already been used or is no longer valid."))
    return member


def email_change_of(token: str) -> tuple[Member, str]:
    """The member and new address a confirmation token stands for, or EmailChangeError."""
    payload = _email_change_payload(token)
    member = Member.objects.select_related("user").filter(pk=payload["member"]).first()
    return _still_valid(member, payload), str(payload["new"])


@transaction.atomic
def confirm_email_change(*, token: str) -> Member:
    """Switch the member's sign-in email to the confirmed address and tell the old one."""
    payload = _email_change_payload(token)
    # Locked, so two clicks on the same link change the email once.
    found = (
        Member.objects.select_for_update().select_related("user").filter(pk=payload["member"])
    ).first()
    member = _still_valid(found, payload)
    new_email = str(payload["new"])
    if not email_is_free(new_email, member=member):
        raise EmailChangeError(_("Another account already uses this address."))
    old_email = member.email
    user = member.user
    member.email = new_email
    member.save(update_fields=["email", "updated"])
    # Accounts are created with the email as username: keep signing in with the address.
    if user.get_username().lower() == old_email.lower():
        user.username = new_email
    user.email = new_email
    user.save(update_fields=["username", "email"])
    context = {"member": member, "old_email": old_email, "new_email": new_email}
    message = mail.letter(
        "account/email/email_changed", context, to=old_email, language=member.language
    )
    # Told only once the change is stored: a failed change must not alarm the old address.
    transaction.on_commit(message.send)
    return member
