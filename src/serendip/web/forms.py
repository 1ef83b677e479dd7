"""Forms of the member-facing pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from serendip import mail
from serendip.members.models import Member


class ListField(forms.CharField):
    """A list of short texts edited as one item per line (or comma separated for topics)."""

    def __init__(self, *, commas: bool, **kwargs: Any) -> None:
        self.commas = commas
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        """Show a stored list one item per line."""
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        """The cleaned list, without blanks or repeats."""
        text = super().to_python(value) or ""
        # Django's own NUL check runs on the cleaned value, here a list where it sees no NUL;
        # PostgreSQL cannot store one in a JSON text.
        ProhibitNullCharactersValidator()(text)
        if self.commas:
            text = text.replace(",", "\n")
        items: list[str] = []
        for line in text.splitlines():
            item = " ".join(line.split())
            if item and item.casefold() not in {i.casefold() for i in items}:
                items.append(item[:200])
        return items


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    """What a member edits about themselves."""

    keywords = ListField(
        commas=True, label=_("Topics"), help_text=_("Comma separated, e.g. FinOps, zero trust.")
    )
    offers = ListField(commas=False, label=_("What I can give"), help_text=_("One per line."))
    needs = ListField(commas=False, label=_("What I am looking for"), help_text=_("One per line."))
    linkedin = forms.URLField(label=_("LinkedIn"), required=False, assume_scheme="https")

    class Meta:
        model = Member
        fields = [
            "first_name",
            "last_name",
            # The sign-in email changes only with the password and a link sent to the new
            # address (web/account.py), never from this form.
            "phone",
            "linkedin",
            "language",
            "headline",
            "job_title",
            "organisation",
            "industry",
            "seniority",
            "keywords",
            "offers",
            "needs",
            "bio",
            "contact_visibility",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class MemberPasswordResetForm(PasswordResetForm):
    """Password reset that also lets members imported without a password choose their first one."""

    def get_users(self, email: str) -> Iterator[User]:
        """Active accounts with this email, whether or not they have a password yet."""
        return iter(get_user_model().objects.filter(email__iexact=email, is_active=True))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        """Write the reset message (``account/email/password_reset``) in the member's language."""
        member = Member.objects.filter(user=context["user"]).first()
        language = member.language if member else None
        mail.letter("account/email/password_reset", context, to=to_email, language=language).send()
