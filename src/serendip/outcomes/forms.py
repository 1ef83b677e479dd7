"""The forms of the outcome pages: record one, edit one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serendip.iso_inputs import IsoDateField
from serendip.members.models import Member
from serendip.outcomes.models import Outcome, OutcomeKind


class OutcomeFields(forms.Form):
    """What came of it, when, how much (optional) and a private note."""

    kind = forms.ChoiceField(label=_("What came of it"), choices=OutcomeKind.choices)
    # ISO whatever the language: a browser's date input shows nothing else.
    happened_on = IsoDateField(label=_("When"), initial=timezone.localdate)
    amount = forms.DecimalField(
        label=_("Amount (optional)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        initial="EUR",
        help_text=_("A three-letter code such as EUR, CHF or USD."),
    )
    note = forms.CharField(
        label=_("Private note (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by the people who lived it and the organisers."),
    )

    def clean_currency(self) -> str:
        """Upper case, and only when an amount is given."""
        return str(self.cleaned_data.get("currency") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        """A currency without an amount means nothing: it is dropped."""
        data = super().clean() or {}
        if data.get("amount") is None:
            data["currency"] = ""
        return data


class RecordForm(OutcomeFields):
    """Record an outcome with another member."""

    other = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("With"))
    field_order = ["other", "kind", "happened_on", "amount", "currency", "note"]

    def __init__(self, candidates: Iterable[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            pk__in=list(candidates)
        ).order_by("last_name", "first_name")


class EditForm(OutcomeFields):
    """Change an outcome's what, when, amount or note."""

    @classmethod
    def of(cls, outcome: Outcome, data: Any = None) -> EditForm:
        """The form filled with the outcome as it is."""
        return cls(
            data,
            initial={
                "kind": outcome.kind,
                "happened_on": outcome.happened_on,
                "amount": outcome.amount,
                "currency": outcome.currency,
                "note": outcome.note,
            },
        )
