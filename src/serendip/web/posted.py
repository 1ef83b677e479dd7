"""Reading ids out of submitted forms: a missing or non-numeric id is a bad request (400)."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest


def posted_int(request: HttpRequest, name: str) -> int:
    """The POST field ``name`` as an integer; raises BadRequest (400) otherwise."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise BadRequest(f"{name} must be a number") from None
