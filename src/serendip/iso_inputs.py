"""Date and time fields that round-trip in every language.

Browsers' ``<input type="date|time|datetime-local">`` speak ISO 8601 only, whatever the
page's language: Django's localised formats (``29/11/2026 13:30:00`` in French) leave
them blank, and saving the form again erases the value. These widgets always write ISO
and the fields read ISO first.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone

ISO_DATETIME = "%Y-%m-%dT%H:%M"
ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"


class IsoDateTimeInput(forms.DateTimeInput):
    """A datetime-local input whose value is ISO (minutes), whatever the language."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME)


class IsoDateInput(forms.DateInput):
    """A date input whose value is ISO, whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class IsoTimeInput(forms.TimeInput):
    """A time input whose value is ISO (hours and minutes), whatever the language."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_TIME)


class IsoDateTimeField(forms.DateTimeField):
    """A date and time read and shown as ISO in the zone given (the venue's), or the current one.

    The zone is the venue's so that 13:30 means 13:30 where the event happens, whoever edits.
    """

    widget = IsoDateTimeInput
    input_formats = [ISO_DATETIME, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def __init__(self, *, zone: str | None = None, **kwargs: Any) -> None:
        self.zone = zone
        super().__init__(**kwargs)

    def _zone(self) -> dt.tzinfo:
        return zoneinfo.ZoneInfo(self.zone) if self.zone else timezone.get_current_timezone()

    def prepare_value(self, value: Any) -> Any:
        """An aware datetime as the venue's wall-clock time."""
        with timezone.override(self._zone()):
            return super().prepare_value(value)

    def to_python(self, value: Any) -> dt.datetime | None:
        """The typed wall-clock time, made aware in the venue's zone."""
        with timezone.override(self._zone()):
            return super().to_python(value)


class IsoDateField(forms.DateField):
    """A date read and shown as ISO."""

    widget = IsoDateInput
    input_formats = [ISO_DATE]
