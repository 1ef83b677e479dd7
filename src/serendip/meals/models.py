"""Meals of an event and who sits at which table for each rotation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Event
from serendip.members.models import Member


def validate_table_sizes(value: object) -> None:
    """Refuse anything but a non-empty list of table sizes of at least 2."""
    if not (
        isinstance(value, list)
        and value
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 2 for v in value)
    ):
        raise ValidationError(_("List the tables' seat counts, each at least 2."))


class Meal(models.Model):
    """A lunch or dinner with its tables and the number of rotations (courses)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meals", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    start = models.DateTimeField(_("start"))
    tables = models.JSONField(_("seats per table"), validators=[validate_table_sizes])
    rotations = models.PositiveSmallIntegerField(_("rotations"), default=1)

    class Meta:
        verbose_name = _("meal")
        verbose_name_plural = _("meals")
        ordering = ["event", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rotations__gte=1), name="meal_rotations"),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.name}"


class Seat(models.Model):
    """One person at one table for one rotation of a meal."""

    meal = models.ForeignKey(
        Meal, on_delete=models.CASCADE, related_name="seats", verbose_name=_("meal")
    )
    rotation = models.PositiveSmallIntegerField(_("rotation"))
    table = models.PositiveIntegerField(_("table"))
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="seats", verbose_name=_("member")
    )

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["meal", "rotation", "table"]
        constraints = [
            models.UniqueConstraint(
                fields=["meal", "rotation", "member"], name="seat_once_per_rotation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.table}"
