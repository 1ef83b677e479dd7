"""A member's personal API tokens: list them, create one (its secret shown once), revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from serendip.members.current import member_required
from serendip.members.models import Member
from serendip.members.services import api_tokens_of, create_api_token, revoke_api_token

LIFETIMES = [
    ("", _lazy("Never expires")),
    ("30", _lazy("30 days")),
    ("90", _lazy("90 days")),
    ("365", _lazy("One year")),
]


class TokenForm(forms.Form):
    """A new token: a name to recognise it by and how long it lives."""

    name = forms.CharField(
        label=_lazy("Name"),
        max_length=100,
        help_text=_lazy("Where you will use it, e.g. “my laptop”."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_lazy("Expires"),
        choices=LIFETIMES,
        coerce=int,
        empty_value=None,
        required=False,
    )


def _member(request: HttpRequest) -> Member:
    return member_required(request)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The member's tokens (never their secrets) and a form to create one, shown once."""
    member = _member(request)
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        secret = create_api_token(
            member,
            name=form.cleaned_data["name"],
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        form = TokenForm()  # the page shows the secret once; it is not kept anywhere
    return render(
        request,
        "web/tokens.html",
        {"tokens": api_tokens_of(member), "form": form, "secret": secret},
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the member's own tokens; another member's is not found (404)."""
    if not revoke_api_token(_member(request), token_id=pk):
        raise Http404("no such token of yours")
    messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("tokens")
