"""The one-to-one programme's data: who wishes to meet whom."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Event
from serendip.members.models import Member


class Wish(models.Model):
    """ "I'd like to meet": for the next event both attend (none yet: kept until there is one)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="wishes")
    wanted = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="wished_by")
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="wishes"
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=3)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "wanted", "event"], name="wish_once_per_event"
            ),
            models.CheckConstraint(
                condition=~models.Q(member=models.F("wanted")), name="wish_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.wanted}"
