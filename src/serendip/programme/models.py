"""The one-to-one programme's data: who wishes to meet whom."""

from __future__ import annotations

import datetime
import re
from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Event, Round
from serendip.members.models import Member
from serendip.programme.weights import WOULD_LIKE

_Run = TypeVar("_Run", bound="BackgroundRun")


class Wish(models.Model):
    """ "I'd like to meet": for the next event both attend (none yet: kept until there is one)."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="wishes", verbose_name=_("member")
    )
    wanted = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="wished_by", verbose_name=_("wants to meet")
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="wishes",
        verbose_name=_("event"),
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=WOULD_LIKE)
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


class Decline(models.Model):
    """ "No thanks": the member would rather not meet this person at this event."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="declines", verbose_name=_("member")
    )
    declined = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="declined_by", verbose_name=_("no thanks to")
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="declines", verbose_name=_("event")
    )

    class Meta:
        verbose_name = _("decline")
        verbose_name_plural = _("declines")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "declined", "event"], name="decline_once_per_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ✗ {self.declined}"


class PairRule(models.Model):
    """The organiser forces or forbids a boss-sponsor pair at an event."""

    class Rule(models.TextChoices):
        FORCE = "force", _("Must meet")
        FORBID = "forbid", _("Must not meet")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="pair_rules", verbose_name=_("event")
    )
    boss = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("boss")
    )
    sponsor = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("sponsor")
    )
    rule = models.CharField(_("rule"), max_length=10, choices=Rule.choices)

    class Meta:
        verbose_name = _("pair rule")
        verbose_name_plural = _("pair rules")
        constraints = [
            models.UniqueConstraint(fields=["event", "boss", "sponsor"], name="pair_rule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.boss} / {self.sponsor}: {self.rule}"


class Meeting(models.Model):
    """A boss and a sponsor at one table in one round.

    The constraints make double booking impossible whatever the order of edits:
    one meeting per table and round, one per boss and round, one per sponsor
    representative ("seat") and round, and a pair meets once per event.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event")
    )
    # History is kept: a round or a member with meetings cannot be deleted (members are
    # anonymised instead), so nothing held disappears through a cascade.
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("round")
    )
    table = models.PositiveIntegerField(_("table"))
    boss = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="meetings_as_boss", verbose_name=_("boss")
    )
    sponsor = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="meetings_as_sponsor",
        verbose_name=_("sponsor"),
    )
    seat = models.PositiveSmallIntegerField(_("representative"), default=1)
    # Placed by hand or forced: planning again keeps it where it is.
    pinned = models.BooleanField(_("placed by hand"), default=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["round__number", "table"]
        constraints = [
            models.UniqueConstraint(fields=["round", "table"], name="meeting_table_once"),
            models.UniqueConstraint(fields=["round", "boss"], name="meeting_boss_once"),
            models.UniqueConstraint(fields=["round", "sponsor", "seat"], name="meeting_seat_once"),
            models.UniqueConstraint(fields=["event", "boss", "sponsor"], name="meeting_pair_once"),
            models.CheckConstraint(condition=models.Q(table__gte=1), name="meeting_table_number"),
            models.CheckConstraint(condition=models.Q(seat__gte=1), name="meeting_seat_number"),
        ]
        # A sponsor's meetings at one event: every live page of a sponsor asks for them (the
        # boss's side has the pair constraint's index, which starts with the event and boss).
        indexes = [models.Index(fields=["sponsor", "event"], name="meeting_sponsor_event")]

    def __str__(self) -> str:
        return f"{self.round}: {self.boss} / {self.sponsor} @ {self.table}"

    def other(self, member: Member) -> Member:
        """The person the member meets."""
        return self.sponsor if member.pk == self.boss_id else self.boss


class Colour(models.TextChoices):
    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    GREEN = "green", _("Green")


class Rating(models.Model):
    """One side's private verdict on a meeting held."""

    # A rating never goes away with its meeting or its rater: deleting either is refused.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("meeting")
    )
    rater = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="ratings_given", verbose_name=_("rated by")
    )
    colour = models.CharField(_("rating"), max_length=6, choices=Colour.choices)
    note = models.TextField(_("private note"), blank=True)
    follow_up = models.BooleanField(
        _("I'd like a follow-up"),
        default=False,
        help_text=_("Your contact details go to the other person's report."),
    )
    created = models.DateTimeField(_("rated at"), auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "rater"], name="rating_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rater}: {self.colour}"


class RunQuerySet(models.QuerySet[_Run]):
    """Background runs, with the ones still waiting or working and the ones that died."""

    def busy(self) -> Self:
        """Runs still waiting for a worker or being worked on."""
        return self.filter(status__in=BackgroundRun.BUSY)

    def dead(self) -> Self:
        """Busy runs whose worker has given no sign of life for too long."""
        cutoff = stale_before()
        return self.busy().filter(
            models.Q(heartbeat__lt=cutoff) | models.Q(heartbeat__isnull=True, created__lt=cutoff)
        )


class PlanningRunQuerySet(RunQuerySet["PlanningRun"]):
    """Planning runs: busy, dead, and those whose plan is saved."""

    def saved(self) -> Self:
        """Runs whose plan is saved (``PlanningRun.is_saved``)."""
        return self.filter(value__isnull=False)


def stale_before() -> datetime.datetime:
    """A busy run whose last sign of life is older than this is dead (its worker was killed)."""
    return timezone.now() - datetime.timedelta(seconds=settings.SERENDIP_PLANNING_STALE_SECONDS)


class BackgroundRun(models.Model):
    """What a run of a background job shows its organiser: its progress while it works.

    The job beats (``heartbeat``) at each step and every few seconds while it searches, so a
    run whose worker died (restart, time-out, out of memory) shows as dead instead of
    blocking for ever. A planning run (the programme) and a seating run (a meal) are two.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Planning")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    BUSY = (Status.QUEUED, Status.RUNNING)

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
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    heartbeat = models.DateTimeField(_("last sign of life"), null=True)
    finished = models.DateTimeField(_("finished"), null=True)

    class Meta:
        abstract = True
        ordering = ["-created", "-id"]

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
    def shown_error(self) -> str:
        """Why the run failed, in the organiser's terms."""
        return dead_run_message(self.status) if self.is_dead else self.error


class PlanningRun(BackgroundRun):
    """One run of the planner for an event: its progress while it works, its figures after."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="planning_runs", verbose_name=_("event")
    )
    from_round = models.PositiveIntegerField(_("from round"), null=True, blank=True)
    meetings = models.PositiveIntegerField(_("meetings"), null=True)
    value = models.PositiveIntegerField(_("value"), null=True)
    upper_bound = models.PositiveIntegerField(_("upper bound"), null=True)
    below_min = models.PositiveIntegerField(_("below their minimum"), null=True)
    moved = models.PositiveIntegerField(_("meetings moved"), null=True)
    # A re-plan e-mails whoever's agenda changed: how many, for the page's last word on it.
    people_told = models.PositiveIntegerField(_("people told"), null=True)

    objects = PlanningRunQuerySet.as_manager()

    class Meta(BackgroundRun.Meta):
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")

    def __str__(self) -> str:
        return f"{self.event}: {self.status} {self.progress}%"

    @property
    def is_saved(self) -> bool:
        """Whether the run's plan is saved: its figures are written by the saving transaction.

        A re-plan stays busy a little after that, while the moved attendees' pages render.
        """
        return self.value is not None

    @property
    def shown_status(self) -> str:
        """The status the organiser sees: a dead run is failed even before anyone clears it.

        Unless its plan was saved: the worker died preparing pages, which render on demand.
        """
        if self.is_dead:
            return str(self.Status.DONE if self.is_saved else self.Status.FAILED)
        return str(self.status)

    @property
    def shown_step(self) -> str:
        """The step in the reader's language; none once done (the status says it)."""
        if self.shown_status == self.Status.DONE:
            return ""
        return step_in_words(self.step)


# The planner's steps as it stores them (translated in the language of whoever started it).
PLANNING_STEPS = ("starting", "reading preferences", "planning", "saving", "done")
REPLANNING_STEP = "re-planning from round %(n)s"


def step_in_words(step: str) -> str:
    """A stored step in the reader's language: known steps are recognised in any language.

    The planner writes its step in the language of the organiser who started it; another
    organiser reading the page sees it in theirs. An unknown step is shown as stored.
    """
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            written = {gettext(code): code for code in PLANNING_STEPS}
            replanning = re.escape(gettext(REPLANNING_STEP)).replace(
                re.escape("%(n)s"), "(?P<n>[0-9]+)"
            )
        if step in written:
            return gettext(written[step])
        found = re.fullmatch(replanning, step)
        if found:
            return gettext(REPLANNING_STEP) % {"n": found["n"]}
    return step


def dead_run_message(status: str) -> str:
    """What the organiser reads about a run whose worker died (or never took it up), by the
    status it died in."""
    if status == BackgroundRun.Status.QUEUED:
        return gettext(
            "No planner picked the job up (is the background worker running?); start again."
        )
    return gettext("The planner stopped without finishing; start again.")
