"""Speak to a signed-in member in the language they chose in their profile."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from serendip.members.current import current_member


class MemberLanguageMiddleware:
    """After authentication: a member's preferred language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            member = current_member(request)  # looked up once for the whole request
            if member is not None:
                translation.activate(member.language)
                request.LANGUAGE_CODE = member.language  # type: ignore[attr-defined]
        return self.get_response(request)
