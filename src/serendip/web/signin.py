"""Signing in by email (or username), throttled by django-axes: who is counted, from where."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest


class SignInThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first of the backends, for every sign-in made over HTTP.

    A sign-in without a request comes from our own code (the test client's ``login``, a
    shell), never from a visitor, so there is nobody to throttle: it is let through to the
    next backend instead of failing as django-axes would.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        """Refuse a locked-out email and address; otherwise let the next backend decide."""
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)  # type: ignore[no-any-return]


class EmailSignInBackend(ModelBackend):
    """Sign in with one's email, whatever its case, or with the account's username.

    Members' accounts have their email as username; an organiser made with
    ``createsuperuser`` may have another one, and the sign-in page asks for the email.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        """The one active account with that email or username whose password matches;
        PermissionDenied (a failed sign-in, counted by django-axes) otherwise."""
        if not username or password is None:
            return None
        given = username.strip()
        accounts = User._default_manager.filter(Q(username__iexact=given) | Q(email__iexact=given))
        matched = [
            user
            for user in accounts.order_by("pk")[:5]
            if user.check_password(password) and self.user_can_authenticate(user)
        ]
        if len(matched) != 1:
            if not matched:
                # As much work as a wrong password, so that the time taken says nothing.
                User().set_password(password)
            # No other backend tries these credentials again (Django's ModelBackend, listed
            # after this one only so that sessions signed in before it keep working).
            raise PermissionDenied
        return matched[0]


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The email being tried, as one count whatever its case or surrounding spaces."""
    value = (credentials or {}).get("username")
    if value is None and request is not None and request.method == "POST":
        value = request.POST.get("username")
    return str(value).strip().lower() if value is not None else None


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address: behind our HTTPS proxy, the one the proxy saw (the last entry it
    appended to X-Forwarded-For, which a client cannot forge); otherwise the socket's."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")
