"""One answer to a form, whoever sent it: the page's script reads JSON in place, a browser
without script follows a redirect to the page, where the same words show as a message.

At the gong hundreds of phones rate and the desk checks people in: reloading a whole page
after each tap costs the servers a page per tap, so the pages' scripts send these forms with
``Accept: application/json`` (now.js, checkin.js) and change only what the answer says.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect


def in_place(request: HttpRequest) -> bool:
    """Whether the page's script sent the form and shows the answer in place."""
    return request.headers.get("Accept") == "application/json"


def answer(
    request: HttpRequest, back: str, said: str, *, status: int = 200, **data: Any
) -> HttpResponse:
    """What happened, in place (``{"message": said, **data}``) or as a message after ``back``.

    ``back`` is the URL a browser without script returns to; ``data`` is what the script
    changes on the page (a status, a count).
    """
    if in_place(request):
        return JsonResponse({"message": said, **data}, status=status)
    messages.success(request, said)
    return redirect(back)


def refusal(request: HttpRequest, back: str, said: str, *, status: int) -> HttpResponse:
    """A refused form: why, in place (``{"error": said}`` with a 4xx) or as an error message."""
    if in_place(request):
        return JsonResponse({"error": said}, status=status)
    messages.error(request, said)
    return redirect(back)
