"""Meals of an event, who sits at which table for each rotation, and the mixer's runs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Event
from serendip.members.models import Member
from serendip.programme.models import PlanningRun, stale_before


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


class SeatingRunQuerySet(models.QuerySet["SeatingRun"]):
    """Seating runs, with the ones still waiting or working and the ones that died."""

    def busy(self) -> SeatingRunQuerySet:
        """Runs still waiting for the mixer or being worked on."""
        return self.filter(status__in=SeatingRun.BUSY)

    def dead(self) -> SeatingRunQuerySet:
        """Busy runs whose worker has given no sign of life for too long."""
        cutoff = stale_before()
        return self.busy().filter(
            models.Q(heartbeat__lt=cutoff) | models.Q(heartbeat__isnull=True, created__lt=cutoff)
        )


class SeatingRun(models.Model):
    """One run of the mixer for a meal: its progress while it seats, its figures after.

    The job beats (``heartbeat``) with every progress report, so a run whose worker died
    shows as failed instead of blocking the meal's seating for ever (the same threshold as the
    programme's planning runs, ``SERENDIP_PLANNING_STALE_SECONDS``).
    """

    Status = PlanningRun.Status
    BUSY = PlanningRun.BUSY

    meal = models.ForeignKey(
        Meal, on_delete=models.CASCADE, related_name="seating_runs", verbose_name=_("meal")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    new_pairs = models.PositiveIntegerField(_("new pairs"), null=True)
    new_pairs_bound = models.PositiveIntegerField(_("most new pairs possible"), null=True)
    known_together = models.PositiveIntegerField(_("acquaintances together"), null=True)
    together = models.PositiveIntegerField(_("green pairs together"), null=True)
    broken_rules = models.PositiveIntegerField(_("broken rules"), null=True)
    # In the language of the organiser who started the run (the engine's words, translated).
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    heartbeat = models.DateTimeField(_("last sign of life"), null=True)
    finished = models.DateTimeField(_("finished"), null=True)

    objects = SeatingRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("seating run")
        verbose_name_plural = _("seating runs")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.meal}: {self.status} {self.progress}%"

    @property
    def is_dead(self) -> bool:
        """Whether the run is still marked busy but its worker stopped beating long ago."""
        last_sign = self.heartbeat or self.created
        return self.status in self.BUSY and last_sign is not None and last_sign < stale_before()

    @property
    def shown_status(self) -> str:
        """The status the organiser sees: a dead run is failed even before anyone clears it."""
        return str(self.Status.FAILED) if self.is_dead else str(self.status)

    @property
    def shown_status_label(self) -> str:
        """The shown status in words ("Planning", "Failed"...)."""
        return str(self.Status(self.shown_status).label)

    @property
    def is_over(self) -> bool:
        """Whether the run is done or failed (a dead run included): nothing more will change."""
        return self.shown_status in (self.Status.DONE, self.Status.FAILED)

    @property
    def shown_step(self) -> str:
        """The step in the reader's language; none once over (the status says it)."""
        if self.is_over:
            return ""
        return gettext(SEATING_STEPS[self.step]) if self.step in SEATING_STEPS else self.step

    @property
    def shown_error(self) -> str:
        """Why the run failed, in the organiser's terms."""
        return dead_seating_message(self.status) if self.is_dead else self.error


def dead_seating_message(status: str) -> str:
    """What the organiser reads about a run whose worker died (or never took it up)."""
    if status == PlanningRun.Status.QUEUED:
        return gettext(
            "No planner picked the job up (is the background worker running?); start again."
        )
    return gettext("The planner stopped without finishing; start again.")


def last_seating_run() -> models.Subquery:
    """The id of a meal's latest seating run, to annotate meals with (``OuterRef("pk")``)."""
    return models.Subquery(
        SeatingRun.objects.filter(meal=models.OuterRef("pk"))
        .order_by("-created", "-id")
        .values("pk")[:1]
    )
