"""Events and who is registered to them."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from serendip.members.choices import Side
from serendip.members.models import Member


def validate_timezone(value: str) -> None:
    """Refuse a name that is not an IANA time zone such as Europe/Paris."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class EventKind(models.TextChoices):
    SEMINAR = "seminar", _("Seminar")
    DINNER = "dinner", _("Dinner")
    CONFERENCE = "conference", _("Conference")
    MEETUP = "meetup", _("Meetup")


class RegistrationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")
    LEFT_EARLY = "left_early", _("Left early")


# Who the planner counts on: everyone registered who has not said or shown they are away.
PLANNED_STATUSES = (
    RegistrationStatus.INVITED,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.CHECKED_IN,
    RegistrationStatus.LEFT_EARLY,
)


class Event(models.Model):
    """A seminar, dinner or meetup of the club."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.SEMINAR
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_timezone]
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    description = models.TextField(_("description"), blank=True)
    # The one-to-one programme (seminars); zero tables means the event has none.
    tables = models.PositiveIntegerField(
        _("two-person tables"), default=0, help_text=_("Tables for the one-to-one meetings.")
    )
    boss_min_meetings = models.PositiveIntegerField(_("bosses' minimum meetings"), default=0)
    boss_max_meetings = models.PositiveIntegerField(_("bosses' maximum meetings"), default=0)
    preferences_deadline = models.DateTimeField(_("preferences deadline"), null=True, blank=True)
    published = models.DateTimeField(_("programme published on"), null=True, blank=True)
    # Bumped by every programme write (serendip.events.services.lock): web processes key
    # their caches of agendas and live pages on it, so a change shows in every process.
    programme_version = models.PositiveBigIntegerField(
        _("programme version"), default=0, editable=False
    )
    # Who runs this event's organiser pages (serendip.events.access.can_organise);
    # superusers organise every event without being listed.
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organised_events",
        limit_choices_to={"is_staff": True},
        verbose_name=_("organisers"),
        help_text=_("Staff members who organise this event."),
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="event_ends_after_start",
                violation_error_message=_("An event ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The event's page."""
        return reverse("event-detail", args=[self.slug])


class Registration(models.Model):
    """One member at one event, on one side, with the sponsor's package where relevant."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    member = models.ForeignKey(
        # Attendance is part of the event's history: members are anonymised, never deleted.
        Member,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("member"),
    )
    side = models.CharField(_("side at this event"), max_length=10, choices=Side.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.INVITED,
    )
    guaranteed_meetings = models.PositiveIntegerField(
        _("guaranteed meetings"),
        null=True,
        blank=True,
        help_text=_("Sponsors only: the one-to-one meetings their package promises."),
    )
    representatives = models.PositiveSmallIntegerField(
        _("representatives"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Sponsors only: how many meetings they can hold at once."),
    )
    # What the sponsor paid for the package: reports divide it by the meetings held and the
    # outcomes that followed. Optional: many clubs keep prices out of the platform.
    package_price = models.DecimalField(
        _("package price"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Sponsors only: what the package cost, for the cost per meeting and outcome."),
    )
    package_currency = models.CharField(
        _("currency"), max_length=3, blank=True, default="EUR", help_text=_("ISO 4217, e.g. EUR.")
    )
    created = models.DateTimeField(_("registered on"), auto_now_add=True)
    left_after = models.ForeignKey(
        "Round",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("left after round"),
    )
    # The private calendar feed's secret; a new one revokes the old URL.
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "side", "member__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="registration_once_per_event"),
            models.CheckConstraint(
                condition=models.Q(representatives__gte=1),
                name="registration_representatives_positive",
                violation_error_message=_("At least one representative."),
            ),
            # A package belongs to sponsors: other sides hold one meeting at a time.
            models.CheckConstraint(
                condition=models.Q(side=Side.SPONSOR)
                | models.Q(guaranteed_meetings__isnull=True, representatives=1),
                name="registration_package_for_sponsors",
                violation_error_message=_("Only sponsors have a package."),
            ),
            models.CheckConstraint(
                condition=models.Q(side=Side.SPONSOR) | models.Q(package_price__isnull=True),
                name="registration_price_for_sponsors",
                violation_error_message=_("Only sponsors have a package."),
            ),
            models.CheckConstraint(
                condition=models.Q(package_price__isnull=True) | models.Q(package_price__gte=0),
                name="registration_price_not_negative",
                violation_error_message=_("A package price is not negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.event}"


class Round(models.Model):
    """One time slot of an event's one-to-one programme; rounds are numbered 1..n in time order."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("event")
    )
    number = models.PositiveIntegerField(_("number"))
    session = models.PositiveIntegerField(_("session"), default=1)
    start = models.DateTimeField(_("start"))
    minutes = models.PositiveIntegerField(_("minutes"))

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="round_number_once"),
            models.CheckConstraint(condition=models.Q(minutes__gte=1), name="round_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.number}"

    @property
    def end(self) -> dt.datetime:
        """When the gong rings."""
        return self.start + dt.timedelta(minutes=self.minutes)


class ActivityLog(models.Model):
    """One organiser action on an event: who, what, when."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="activity", verbose_name=_("event")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=40)
    # The text as written (English); kept for lines written before ``params`` existed.
    details = models.TextField(_("details"), blank=True)
    # What the reader's sentence is filled with (see serendip.events.activity).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        """The action in the reader's language."""
        from serendip.events.activity import action_label

        return action_label(self.action)

    @property
    def sentence(self) -> str:
        """The line in the reader's language ("Re-planned: from round 2: ...")."""
        from serendip.events.activity import sentence

        return sentence(self.action, self.params, self.details)


class FreedMeeting(models.Model):
    """A meeting taken from a registration marked absent, kept so that undoing gives it back.

    A no-show marked by mistake is checked in again: the meetings it freed come back where
    their slot is still free and their round has not started.
    """

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="freed_meetings",
        verbose_name=_("registration"),
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="+", verbose_name=_("round")
    )
    table = models.PositiveIntegerField(_("table"))
    seat = models.PositiveSmallIntegerField(_("representative"), default=1)
    boss = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("boss")
    )
    sponsor = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("sponsor")
    )
    pinned = models.BooleanField(_("placed by hand"), default=False)
    freed = models.DateTimeField(_("freed"), auto_now_add=True)

    class Meta:
        verbose_name = _("freed meeting")
        verbose_name_plural = _("freed meetings")
        ordering = ["round__number", "table"]

    def __str__(self) -> str:
        return f"{self.round}: {self.boss} / {self.sponsor} @ {self.table}"
