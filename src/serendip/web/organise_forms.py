"""Forms of the organiser's pages: set-up, hand edits, pair rules, meals."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from serendip.events.models import PLANNED_STATUSES, Event, Registration, Round
from serendip.iso_inputs import IsoDateTimeField
from serendip.meals.models import Meal
from serendip.members.models import Member
from serendip.programme.models import PairRule

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# What one event can hold: beyond these the set-up is a typing mistake, not a seminar (and a
# number too large for the database would otherwise end in a server error).
MAX_TABLES = 1000
MAX_DAYS = 14
MAX_SESSIONS_PER_DAY = 12
MAX_ROUNDS = 400
MAX_MEETINGS = 1000


def _verbose(model: type, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[attr-defined]


def _parse_list(text: str, parse: Any, what: str | StrPromise) -> list[Any]:
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
    """The seminar's one-to-one programme: tables, minimums, deadline and rounds.

    Refuses, field by field, what the event cannot hold: more tables, rounds or meetings
    than a seminar has, sessions that overlap or run past midnight, and a set-up under
    which a sponsor's package no longer fits.
    """

    tables = forms.IntegerField(
        label=_verbose(Event, "tables"),
        min_value=0,
        max_value=MAX_TABLES,
        help_text=_("Tables for the one-to-one meetings."),
    )
    boss_min_meetings = forms.IntegerField(
        label=_verbose(Event, "boss_min_meetings"), min_value=0, max_value=MAX_MEETINGS
    )
    boss_max_meetings = forms.IntegerField(
        label=_verbose(Event, "boss_max_meetings"), min_value=0, max_value=MAX_MEETINGS
    )
    preferences_deadline = IsoDateTimeField(
        label=_verbose(Event, "preferences_deadline"), required=False
    )
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The deadline is the venue's wall-clock time, whoever types it.
        self.fields["preferences_deadline"].zone = self.instance.timezone  # type: ignore[attr-defined]

    def clean_days(self) -> list[dt.date]:
        """The programme's dates, each once, at most two weeks of them."""
        days = _parse_list(self.cleaned_data["days"], dt.date.fromisoformat, _("date"))
        if len(set(days)) != len(days):
            raise forms.ValidationError(_("A day is listed twice."))
        if len(days) > MAX_DAYS:
            raise forms.ValidationError(_("At most %(n)s days of meetings.") % {"n": MAX_DAYS})
        return days

    def clean_session_starts(self) -> list[dt.time]:
        """When each session starts, every day (each time once)."""
        starts = _parse_list(self.cleaned_data["session_starts"], dt.time.fromisoformat, _("time"))
        if len(set(starts)) != len(starts):
            raise forms.ValidationError(_("A session start is listed twice."))
        if len(starts) > MAX_SESSIONS_PER_DAY:
            raise forms.ValidationError(
                _("At most %(n)s sessions a day.") % {"n": MAX_SESSIONS_PER_DAY}
            )
        return sorted(starts)

    def clean(self) -> dict[str, Any]:
        """Refuse a maximum below the minimum, overlapping or overnight sessions, excess rounds."""
        data = super().clean() or {}
        low, high = data.get("boss_min_meetings"), data.get("boss_max_meetings")
        if low is not None and high and high < low:
            self.add_error("boss_max_meetings", _("The maximum is below the minimum."))
        days, starts = data.get("days"), data.get("session_starts")
        per_session, minutes = data.get("rounds_per_session"), data.get("minutes")
        changeover = data.get("changeover")
        if not days or not starts or per_session is None or minutes is None or changeover is None:
            return data
        self._check_sessions(starts, per_session, minutes, changeover)
        total = len(days) * len(starts) * per_session
        if total > MAX_ROUNDS:
            self.add_error(
                "rounds_per_session",
                _("%(total)s rounds in all: at most %(max)s.")
                % {"total": total, "max": MAX_ROUNDS},
            )
            return data
        for name in ("boss_min_meetings", "boss_max_meetings"):
            if (data.get(name) or 0) > total:
                self.add_error(name, _("The programme has only %(n)s rounds.") % {"n": total})
        self._check_packages(total, data.get("tables"))
        return data

    def _check_sessions(
        self, starts: list[dt.time], per_session: int, minutes: int, changeover: int
    ) -> None:
        """Each session ends before the next one starts and before midnight."""
        length = dt.timedelta(minutes=per_session * minutes + (per_session - 1) * changeover)
        day = dt.date(2000, 1, 1)  # any day: only the times of one day matter here
        midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        for k, start in enumerate(starts):
            end = dt.datetime.combine(day, start) + length
            if end > midnight:
                self.add_error(
                    "session_starts",
                    _("The session starting at %(start)s would end after midnight.")
                    % {"start": start.strftime("%H:%M")},
                )
                return
            if k + 1 < len(starts) and end > dt.datetime.combine(day, starts[k + 1]):
                self.add_error(
                    "session_starts",
                    _(
                        "The session starting at %(start)s ends at %(end)s, after the next one "
                        "starts (%(next)s)."
                    )
                    % {
                        "start": start.strftime("%H:%M"),
                        "end": end.strftime("%H:%M"),
                        "next": starts[k + 1].strftime("%H:%M"),
                    },
                )
                return

    def _check_packages(self, rounds: int, tables: int | None) -> None:
        """The sponsors' packages still fit the new rounds and tables."""
        if self.instance.pk is None:
            return
        for r in self.instance.registrations.filter(side="sponsor").select_related("member"):
            if tables is not None and r.representatives > max(tables, 1):
                self.add_error(
                    "tables",
                    _("%(sponsor)s has %(n)s representatives, more than the tables.")
                    % {"sponsor": r.member, "n": r.representatives},
                )
            if (r.guaranteed_meetings or 0) > rounds * r.representatives:
                self.add_error(
                    "rounds_per_session",
                    _(
                        "%(sponsor)s is guaranteed %(n)s meetings: %(rounds)s rounds with "
                        "%(reps)s representatives hold at most %(max)s."
                    )
                    % {
                        "sponsor": r.member,
                        "n": r.guaranteed_meetings,
                        "rounds": rounds,
                        "reps": r.representatives,
                        "max": rounds * r.representatives,
                    },
                )


class SponsorPackageForm(forms.ModelForm):
    """A sponsor's package (guaranteed meetings, representatives) within what the event holds."""

    guaranteed_meetings = forms.IntegerField(
        label=_verbose(Registration, "guaranteed_meetings"),
        min_value=0,
        max_value=MAX_ROUNDS * MAX_TABLES,
        required=False,
        widget=forms.NumberInput(attrs={"class": "narrow"}),
    )
    representatives = forms.IntegerField(
        label=_verbose(Registration, "representatives"),
        min_value=1,
        max_value=MAX_TABLES,
        widget=forms.NumberInput(attrs={"class": "narrow"}),
    )

    class Meta:
        model = Registration
        fields = ["guaranteed_meetings", "representatives"]

    def clean(self) -> dict[str, Any]:
        """Representatives within the tables; guaranteed meetings within what the rounds hold."""
        data = super().clean() or {}
        event = self.instance.event
        reps, guaranteed = data.get("representatives"), data.get("guaranteed_meetings")
        if reps is not None and event.tables and reps > event.tables:
            self.add_error(
                "representatives",
                _("The event has %(n)s tables.") % {"n": event.tables},
            )
            return data
        rounds = event.rounds.count()
        if reps is not None and guaranteed and rounds and guaranteed > rounds * reps:
            self.add_error(
                "guaranteed_meetings",
                _("At most %(max)s: %(rounds)s rounds with %(reps)s representatives.")
                % {"max": rounds * reps, "rounds": rounds, "reps": reps},
            )
        return data


SponsorPackages = forms.modelformset_factory(
    Registration,
    form=SponsorPackageForm,
    fields=["guaranteed_meetings", "representatives"],
    extra=0,
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
    """A meal and its table layout, with a seat for everyone expected when the event is given."""

    start = IsoDateTimeField(label=_verbose(Meal, "start"))
    tables = forms.CharField(
        label=_("Seats per table"), help_text=_("One number per table, e.g. 8, 8, 8, 6.")
    )
    rotations = forms.IntegerField(label=_verbose(Meal, "rotations"), min_value=1, max_value=10)

    class Meta:
        model = Meal
        fields = ["name", "start", "tables", "rotations"]

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event if event is not None else getattr(self.instance, "event", None)
        if self.event is not None:
            # The meal's time is the venue's wall-clock time.
            self.fields["start"].zone = self.event.timezone  # type: ignore[attr-defined]

    def clean_tables(self) -> list[int]:
        """Seat counts of at least 2, and a seat for everyone expected."""
        sizes = _parse_list(self.cleaned_data["tables"], int, _("number of seats"))
        if any(size < 2 for size in sizes):
            raise forms.ValidationError(_("A table has at least 2 seats."))
        if len(sizes) > MAX_TABLES or any(size > 100 for size in sizes):
            raise forms.ValidationError(
                _("At most %(n)s tables of at most 100 seats.") % {"n": MAX_TABLES}
            )
        if self.event is not None:
            expected = self.event.registrations.filter(status__in=PLANNED_STATUSES).count()
            if sum(sizes) < expected:
                raise forms.ValidationError(
                    _("%(people)s people are expected and the tables seat %(seats)s.")
                    % {"people": expected, "seats": sum(sizes)}
                )
        return sizes
