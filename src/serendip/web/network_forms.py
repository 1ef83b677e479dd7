"""Forms of the network pages: asks, offers, introductions, the ledger, invitations, contacts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serendip.iso_inputs import IsoDateField
from serendip.members.models import Member
from serendip.network.graph import connection_ids
from serendip.network.models import Ask, Offer


class AskForm(forms.ModelForm):
    """A new ask."""

    class Meta:
        model = Ask
        fields = ["kind", "topic", "details", "urgency", "audience"]
        widgets = {"details": forms.Textarea(attrs={"rows": 3})}


class OfferForm(forms.ModelForm):
    """A new offer."""

    class Meta:
        model = Offer
        fields = ["kind", "title", "details"]
        widgets = {"details": forms.Textarea(attrs={"rows": 2})}


def _connections(member: Member) -> Any:
    return Member.objects.filter(pk__in=connection_ids(member)).order_by("last_name")


class IntroduceForm(forms.Form):
    """Introduce two of one's connections to each other."""

    seeker = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("Introduce"))
    helper = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("to"))
    note = forms.CharField(
        label=_("Why they should meet"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, member: Member, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("seeker", "helper"):
            self.fields[name].queryset = _connections(member)  # type: ignore[attr-defined]


class ProposeForm(forms.Form):
    """The introducer's note when answering a request."""

    note = forms.CharField(
        label=_("Why they should meet"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class GratitudeForm(forms.Form):
    """A line of one's ledger."""

    giver = forms.ModelChoiceField(
        queryset=Member.objects.none(), label=_("Who helped me"), required=False
    )
    giver_name = forms.CharField(
        label=_("or someone outside the club"), required=False, max_length=200
    )
    what = forms.CharField(label=_("What they did for me"), max_length=300)
    # ISO whatever the language: a browser's date input shows nothing else.
    when = IsoDateField(label=_("When"), initial=timezone.localdate)
    thank_you = forms.CharField(
        label=_("A thank-you note for them (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, member: Member, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = Member.objects.exclude(  # type: ignore[attr-defined]
            pk=member.pk
        ).order_by("last_name")

    def clean(self) -> dict[str, Any]:
        """Someone in the club or a name, not neither."""
        data = super().clean() or {}
        if not data.get("giver") and not data.get("giver_name"):
            self.add_error("giver", _("Say who helped you."))
        return data


class InviteForm(forms.Form):
    """Invite someone to the club."""

    name = forms.CharField(label=_("Their name"), max_length=200)
    email = forms.EmailField(label=_("Their email"))
    note = forms.CharField(
        label=_("A personal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CadenceForm(forms.Form):
    """Keep in touch every N days."""

    every_days = forms.IntegerField(
        label=_("Keep in touch every (days)"), min_value=1, max_value=730
    )


class NoteForm(forms.Form):
    """A private note about a contact."""

    text = forms.CharField(
        label=_("Private note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
