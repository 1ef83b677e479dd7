"""A member's own account pages: download my data, change my sign-in email, delete my account."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serendip.members.current import member_required
from serendip.members.privacy import erase_member, export_archive, export_member
from serendip.members.services import (
    EmailChangeError,
    confirm_email_change,
    email_change_of,
    email_change_token,
    request_email_change,
)
from serendip.web.access import AuthenticatedHttpRequest
from serendip.web.account_forms import ChangeEmailForm, DeleteAccountForm


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    """The member's data and account: download, change the sign-in email, delete."""
    member = member_required(request)
    return render(request, "account/privacy.html", {"member": member})


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """Download everything about me, as JSON or as a zip archive (HTML, CSV and JSON)."""
    member = member_required(request)
    stamp = timezone.localdate().isoformat()
    if request.POST.get("format") == "json":
        body = json.dumps(export_member(member), indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="serendip-data-{stamp}.json"'
    else:
        response = HttpResponse(export_archive(member), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="serendip-data-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def change_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for a new sign-in email: the current password, then a link sent to the new address."""
    member = member_required(request)
    form = ChangeEmailForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        token = email_change_token(member, new_email=new_email)
        url = request.build_absolute_uri(reverse("account-email-confirm", args=[token]))
        request_email_change(member, new_email=new_email, confirm_url=url)
        messages.success(
            request,
            _("We sent a link to %(email)s: open it within two days to confirm the change.")
            % {"email": new_email},
        )
        return redirect("account")
    return render(request, "account/change_email.html", {"form": form})


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """Follow the emailed link: confirm (POST) to switch the sign-in email."""
    # No sign-in needed: the link proves the new address, the password was checked before.
    try:
        member, new_email = email_change_of(token)
        if request.method == "POST":
            confirm_email_change(token=token)
            messages.success(
                request, _("Your sign-in email is now %(email)s.") % {"email": new_email}
            )
            return redirect("account" if request.user.is_authenticated else "login")
    except EmailChangeError as exc:
        return render(request, "account/confirm_email.html", {"error": str(exc)}, status=400)
    return render(request, "account/confirm_email.html", {"member": member, "new_email": new_email})


@login_required
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Delete my account: my password and a yes, then my personal data is erased."""
    member = member_required(request)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        erase_member(member, actor=request.user)
        logout(request)
        return redirect("account-deleted")
    return render(request, "account/delete_account.html", {"form": form})


def deleted(request: HttpRequest) -> HttpResponse:
    """The goodbye page after deleting one's account."""
    return render(request, "account/deleted.html")
