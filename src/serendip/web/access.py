"""View decorators for the organiser's pages, built on ``serendip.events.access``.

Anonymous visitors are sent to the sign-in page; a signed-in member who may not organise gets
a 403 (not the admin's sign-in page, which would suggest that signing in again could help).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from serendip.events.access import can_organise, is_club_organiser
from serendip.events.models import Event

View = Callable[..., HttpResponse]


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view only a signed-in account reaches (``login_required`` or the
    decorators below): its user is an account, never the anonymous visitor."""

    user: User


def organiser_required(view: View) -> View:
    """Only this event's organisers (the ``slug`` in the URL) reach the view."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_organise(request.user, get_object_or_404(Event, slug=slug)):
            raise PermissionDenied("You do not organise this event.")
        return view(request, slug, *args, **kwargs)

    return wrapped


def club_organiser_required(view: View) -> View:
    """Only staff reach the view: club-wide organiser work such as invitations."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_club_organiser(request.user):
            raise PermissionDenied("Only the club's organisers may do this.")
        return view(request, *args, **kwargs)

    return wrapped
