"""Forms of the organiser's pages: set-up, hand edits, pair rules, meals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Event, Registration, Round
from serendip.meals.models import Meal
from serendip.members.models import Member
from serendip.programme.models import PairRule


def _parse_list(text: str, parse: Any, what: str) -> list[Any]:
    items = [x.strip() for x in text.replace(";", ",").split(",") if x.strip()]
    if not items:
        raise forms.ValidationError(_("Give at least one %(what)s.") % {"what": what})
    found = []
    for item in items:
        try:
            found.append(parse(item))
        except ValueError as exc:
            raise forms.ValidationError(
                _("%(item)s is not a valid %(what)s.") % {"item": item, "what": what}
            ) from exc
    return found


class SetupForm(forms.ModelForm):
    """The seminar's one-to-one programme: tables, minimums, deadline and rounds."""

    days = forms.CharField(
        label=_("Days"), help_text=_("Dates separated by commas, e.g. 2027-03-10, 2027-03-11.")
    )
    session_starts = forms.CharField(
        label=_("Sessions start at"), help_text=_("Times separated by commas, e.g. 09:00, 14:00.")
    )
    rounds_per_session = forms.IntegerField(
        label=_("Rounds per session"), min_value=1, max_value=40
    )
    minutes = forms.IntegerField(label=_("Minutes per meeting"), min_value=1, max_value=120)
    changeover = forms.IntegerField(label=_("Changeover (minutes)"), min_value=0, max_value=60)

    class Meta:
        model = Event
        fields = ["tables", "boss_min_meetings", "boss_max_meetings", "preferences_deadline"]
        widgets = {"preferences_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def clean_days(self) -> list[dt.date]:
        """The programme's dates."""
        return _parse_list(self.cleaned_data["days"], dt.date.fromisoformat, _("date"))

    def clean_session_starts(self) -> list[dt.time]:
        """When each session starts, every day."""
        return _parse_list(self.cleaned_data["session_starts"], dt.time.fromisoformat, _("time"))

    def clean(self) -> dict[str, Any]:
        """Refuse a maximum below the minimum."""
        data = super().clean() or {}
        low, high = data.get("boss_min_meetings"), data.get("boss_max_meetings")
        if low is not None and high and high < low:
            self.add_error("boss_max_meetings", _("The maximum is below the minimum."))
        return data


SponsorPackages = forms.modelformset_factory(
    Registration,
    fields=["guaranteed_meetings", "representatives"],
    extra=0,
    widgets={
        "guaranteed_meetings": forms.NumberInput(attrs={"min": 0, "class": "narrow"}),
        "representatives": forms.NumberInput(attrs={"min": 1, "class": "narrow"}),
    },
)


class PlaceForm(forms.Form):
    """Put a boss and a sponsor at a table in a round by hand."""

    round = forms.ModelChoiceField(queryset=Round.objects.none(), label=_("Round"))
    table = forms.IntegerField(label=_("Table"), min_value=1)
    boss = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("Boss"))
    sponsor = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("Sponsor"))

    def __init__(self, event: Event, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attending = event.registrations.select_related("member")
        self.fields["round"].queryset = event.rounds.all()  # type: ignore[attr-defined]
        self.event = event
        self.fields["boss"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            pk__in=attending.filter(side="boss").values("member")
        ).order_by("last_name")
        self.fields["sponsor"].queryset = Member.objects.filter(  # type: ignore[attr-defined]
            pk__in=attending.filter(side="sponsor").values("member")
        ).order_by("last_name")

    def clean_table(self) -> int:
        """A table the event has."""
        table: int = self.cleaned_data["table"]
        if table > self.event.tables:
            raise forms.ValidationError(_("The event has %(n)s tables.") % {"n": self.event.tables})
        return table


class PairRuleForm(PlaceForm):
    """Force or forbid a boss-sponsor pair."""

    rule = forms.ChoiceField(choices=PairRule.Rule.choices, label=_("Rule"))

    def __init__(self, event: Event, *args: Any, **kwargs: Any) -> None:
        super().__init__(event, *args, **kwargs)
        del self.fields["round"], self.fields["table"]


class MealForm(forms.ModelForm):
    """A meal and its table layout."""

    tables = forms.CharField(
        label=_("Seats per table"), help_text=_("One number per table, e.g. 8, 8, 8, 6.")
    )

    class Meta:
        model = Meal
        fields = ["name", "start", "tables", "rotations"]
        widgets = {"start": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def clean_tables(self) -> list[int]:
        """Seat counts of at least 2."""
        sizes = _parse_list(self.cleaned_data["tables"], int, _("number of seats"))
        if any(size < 2 for size in sizes):
            raise forms.ValidationError(_("A table has at least 2 seats."))
        return sizes
