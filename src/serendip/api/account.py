"""One's own account in the API: personal tokens (list, create, revoke) and "download all my
data", as on ``/profile/tokens/`` and ``/profile/account/`` (members.services, members.privacy).

A token is created from a signed-in session only: a token that could mint others would outlive
its own expiry and its revocation once stolen.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from serendip.api import schemas
from serendip.api.schemas import Id, Line
from serendip.members.current import member_required
from serendip.members.models import Member
from serendip.members.privacy import export_member
from serendip.members.services import api_tokens_of, create_api_token, revoke_api_token

router: Router = Router(tags=["account"])


class TokenOut(Schema):
    """A token as its owner sees it: never its secret."""

    id: int
    name: str
    created: dt.datetime
    last_used: dt.datetime | None
    expires: dt.datetime | None


class NewTokenOut(TokenOut):
    """A token just created: ``secret`` is shown this once and stored nowhere."""

    secret: str


class TokenIn(Schema):
    model_config = {"extra": "forbid"}

    name: Annotated[str, Line(100, min_length=1)]
    expires_in_days: int | None = Field(None, ge=1, le=3650)


def _me(request: HttpRequest) -> Member:
    return member_required(request)


def _token(token: Any) -> dict[str, Any]:
    return {
        name: getattr(token, name) for name in ("id", "name", "created", "last_used", "expires")
    }


@router.get("/tokens", response=schemas.answers(list[TokenOut]), operation_id="listMyTokens")
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    """My personal API tokens, newest first: created, last used, expiry (never the secret)."""
    return [_token(t) for t in api_tokens_of(_me(request))[:200]]


@router.post(
    "/tokens", response=schemas.write_answers(NewTokenOut, status=201), operation_id="createToken"
)
def post_token(request: HttpRequest, data: TokenIn) -> Status[dict[str, Any]]:
    """Create a token (its secret is in this answer only); from a signed-in session, 403 with
    a token."""
    me = _me(request)
    # Authenticated by a token (TokenAuth answers the member), not by a session (the user).
    if isinstance(getattr(request, "auth", None), Member):
        raise HttpError(403, "Create tokens from a signed-in session: a token cannot make another.")
    secret = create_api_token(me, name=data.name, expires_in_days=data.expires_in_days)
    created = api_tokens_of(me).first()
    return Status(201, {**_token(created), "secret": secret})


@router.delete(
    "/tokens/{token_id}",
    response=schemas.write_answers(None, status=204),
    operation_id="revokeToken",
)
def delete_token(request: HttpRequest, token_id: Id) -> Status[None]:
    """Revoke one of my tokens (it stops working at once); 404 for one that is not mine."""
    if not revoke_api_token(_me(request), token_id=token_id):
        raise HttpError(404, "No such token of yours.")
    return Status(204, None)


@router.get(
    "/members/me/export", response=schemas.answers(dict[str, Any]), operation_id="exportMyData"
)
def export_my_data(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    """Everything the club holds that is mine to read (profile, registrations, meetings, ratings
    and notes I gave, introductions, ledger, outcomes...), as the web's JSON download."""
    response["Cache-Control"] = "no-store"
    return export_member(_me(request))
