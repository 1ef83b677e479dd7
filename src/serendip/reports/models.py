"""Each event's summary, computed once the event is over and kept until its data changes.

The organiser's dashboard and the sponsors' reports read these rows instead of grouping two
million meetings on every view. A row is current only when ``computed_version`` equals
``version`` (every write an event's figures depend on adds one to ``version``: see
``serendip.reports.invalidate``) and ``programme_version`` equals the event's (every programme
write, absences included, bumps the event's). Anything else is recomputed before it is shown.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Event


class EventFigures(models.Model):
    """An event's own figures (``serendip.reports.figures.EventSummary``) as JSON, versioned."""

    event = models.OneToOneField(
        Event,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="report_figures",
        verbose_name=_("event"),
    )
    # Bumped by every write the figures depend on (ratings, outcomes, connections...).
    version = models.BigIntegerField(_("version"), default=0)
    # The ``version`` read before the figures were computed (None: never computed).
    computed_version = models.BigIntegerField(_("computed at version"), null=True, blank=True)
    # The event's ``programme_version`` when the figures were computed.
    programme_version = models.BigIntegerField(_("programme version"), default=0)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    # Each sponsor organisation's figures there, by "o" + its id (a key, not an array index).
    sponsors = models.JSONField(_("sponsors' figures"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event figures")
        verbose_name_plural = _("event figures")

    def __str__(self) -> str:
        return f"{self.event_id}: {self.computed_version}/{self.version}"
