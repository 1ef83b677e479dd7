"""What the web layer's operations keep: which periodic job ran for which period."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """A periodic job claimed for one period (a week's digest, an event's day-before letters).

    The unique pair is the whole point: whoever inserts it first sends, so running
    ``serendip periodic`` twice, or on two machines, never sends twice.
    """

    job = models.CharField(_("job"), max_length=40)
    period = models.CharField(_("period"), max_length=60)
    claimed = models.DateTimeField(_("claimed"), default=timezone.now)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="periodic_run_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
