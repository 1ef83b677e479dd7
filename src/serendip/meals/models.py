"""Meals of an event, who sits at which table for each rotation, and the mixer's runs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Event
from serendip.members.models import Member
from serendip.programme.models import BackgroundRun, RunQuerySet


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


# The steps of a meal's planning run, stored as written here and shown in the reader's language.
SEATING_STEPS = {
    "starting": gettext_noop("starting"),
    "reading the attendees": gettext_noop("reading the attendees"),
    "seating": gettext_noop("seating"),
    "saving": gettext_noop("saving"),
    "done": gettext_noop("done"),
}


class SeatingRun(BackgroundRun):
    """One run of the mixer for a meal: its progress while it seats, its figures after.

    It shows and dies as a planning run does (the same threshold,
    ``SERENDIP_PLANNING_STALE_SECONDS``).
    """

    meal = models.ForeignKey(
        Meal, on_delete=models.CASCADE, related_name="seating_runs", verbose_name=_("meal")
    )
    new_pairs = models.PositiveIntegerField(_("new pairs"), null=True)
    new_pairs_bound = models.PositiveIntegerField(_("most new pairs possible"), null=True)
    known_together = models.PositiveIntegerField(_("acquaintances together"), null=True)
    together = models.PositiveIntegerField(_("green pairs together"), null=True)
    broken_rules = models.PositiveIntegerField(_("broken rules"), null=True)
    # In the language of the organiser who started the run (the engine's words, translated).
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    objects = RunQuerySet["SeatingRun"].as_manager()

    class Meta(BackgroundRun.Meta):
        verbose_name = _("seating run")
        verbose_name_plural = _("seating runs")

    def __str__(self) -> str:
        return f"{self.meal}: {self.status} {self.progress}%"

    @property
    def shown_step(self) -> str:
        """The step in the reader's language; none once over (the status says it)."""
        if self.is_over:
            return ""
        return gettext(SEATING_STEPS[self.step]) if self.step in SEATING_STEPS else self.step


def last_seating_run() -> models.Subquery:
    """The id of a meal's latest seating run, to annotate meals with (``OuterRef("pk")``)."""
    return models.Subquery(
        SeatingRun.objects.filter(meal=models.OuterRef("pk"))
        .order_by("-created", "-id")
        .values("pk")[:1]
    )
