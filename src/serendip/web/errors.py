"""The error pages Django's own handlers cannot say enough on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from serendip.members.current import NoMemberProfile


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page; an account without a member profile is told so, in its language."""
    context = {"no_profile": str(exception) if isinstance(exception, NoMemberProfile) else ""}
    return HttpResponseForbidden(loader.get_template("403.html").render(context, request))


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The 403 of a form sent without its security token (an old page, cookies refused): the
    site's page, in the reader's language, saying what to do, instead of Django's own."""
    return HttpResponseForbidden(
        loader.get_template("403.html").render({"form_expired": True}, request)
    )
