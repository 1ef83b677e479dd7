"""Forms of a member's account pages: changing the sign-in email, deleting the account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _


class PasswordCheckedForm(forms.Form):
    """A form that asks the member's current password before anything happens."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        """The password, if it is the account's."""
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your current password."))
        return password


class ChangeEmailForm(PasswordCheckedForm):
    """The new sign-in address, confirmed by the current password."""

    new_email = forms.EmailField(label=_("New email"), max_length=254)

    field_order = ["new_email", "password"]

    def clean_new_email(self) -> str:
        """The new address, lower-cased, different from the current one."""
        email = self.cleaned_data["new_email"].lower()
        if email == (getattr(self.user, "email", "") or "").lower():
            raise forms.ValidationError(_("This is already your sign-in email."))
        return email


class DeleteAccountForm(PasswordCheckedForm):
    """Deleting one's account: the password and an explicit yes."""

    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data are erased for good."),
        required=True,
    )
