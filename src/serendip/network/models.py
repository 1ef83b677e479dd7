"""The club between events: asks and offers, introductions, the gratitude ledger,
invitations, keep-in-touch follow-ups, private notes and notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from serendip.members.models import Member


class HelpKind(models.TextChoices):
    ADVICE = "advice", _("Advice")
    CONTACT = "contact", _("A contact")
    SERVICE = "service", _("A service")
    PAID = "paid", _("Paid work")


class Audience(models.TextChoices):
    CONNECTIONS = "connections", _("My connections")
    SECOND_DEGREE = "second_degree", _("My connections and theirs")
    CLUB = "club", _("The whole club")


class Urgency(models.TextChoices):
    LOW = "low", _("Whenever")
    NORMAL = "normal", _("In the coming weeks")
    HIGH = "high", _("Urgent")


class Ask(models.Model):
    """A member asks for advice, a contact, a service or paid work."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="asks", verbose_name=_("member")
    )
    kind = models.CharField(_("I'm looking for"), max_length=10, choices=HelpKind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    details = models.TextField(_("details"), blank=True, max_length=4000)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    audience = models.CharField(
        _("who may see it"), max_length=15, choices=Audience.choices, default=Audience.SECOND_DEGREE
    )
    open = models.BooleanField(_("open"), default=True)
    created = models.DateTimeField(_("asked on"), auto_now_add=True)

    class Meta:
        verbose_name = _("ask")
        verbose_name_plural = _("asks")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        """The ask's page."""
        return reverse("ask-detail", args=[self.pk])


class Offer(models.Model):
    """Something a member can give to others in the club."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="offer_items", verbose_name=_("member")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=HelpKind.choices)
    title = models.CharField(_("what I can give"), max_length=200)
    details = models.TextField(_("details"), blank=True, max_length=2000)
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.title


class Answer(models.TextChoices):
    PENDING = "pending", _("Waiting")
    YES = "yes", _("Accepted")
    NO = "no", _("Declined")


class IntroductionState(models.TextChoices):
    REQUESTED = "requested", _("Requested from the introducer")
    PROPOSED = "proposed", _("Proposed, waiting for both")
    ACCEPTED = "accepted", _("Accepted by both")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class Introduction(models.Model):
    """A warm, double opt-in introduction of ``seeker`` to ``helper`` by ``introducer``."""

    introducer = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("introducer")
    )
    seeker = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("who asks")
    )
    helper = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("helper")
    )
    ask = models.ForeignKey(
        Ask,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions",
        verbose_name=_("ask"),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=IntroductionState.choices,
        default=IntroductionState.PROPOSED,
    )
    note = models.TextField(_("note from the introducer"), blank=True, max_length=2000)
    seeker_answer = models.CharField(
        _("answer of who asks"), max_length=8, choices=Answer.choices, default=Answer.PENDING
    )
    helper_answer = models.CharField(
        _("helper's answer"), max_length=8, choices=Answer.choices, default=Answer.PENDING
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires = models.DateTimeField(_("expires on"), null=True, blank=True)
    reminded = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(seeker=models.F("helper"))
                & ~models.Q(introducer=models.F("seeker"))
                & ~models.Q(introducer=models.F("helper")),
                name="introduction_three_people",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.introducer}: {self.seeker} → {self.helper}"

    def get_absolute_url(self) -> str:
        """The introduction's page."""
        return reverse("introduction-detail", args=[self.pk])

    def involves(self, member: Member) -> bool:
        """Whether the member is one of its three people."""
        return member.pk in (self.introducer_id, self.seeker_id, self.helper_id)


class IntroductionStep(models.Model):
    """One line of an introduction's timeline."""

    introduction = models.ForeignKey(
        Introduction, on_delete=models.CASCADE, related_name="steps", verbose_name=_("introduction")
    )
    actor = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    what = models.CharField(_("what"), max_length=20)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("introduction step")
        verbose_name_plural = _("introduction steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"


class Gratitude(models.Model):
    """A line of the receiver's private ledger: who helped, with what, when."""

    receiver = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="ledger", verbose_name=_("receiver")
    )
    giver = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("giver"),
    )
    giver_name = models.CharField(_("or someone outside the club"), max_length=200, blank=True)
    what = models.CharField(_("what they did for me"), max_length=300)
    when = models.DateField(_("when"))
    thank_you = models.TextField(
        _("a thank-you note for them (optional)"), blank=True, max_length=2000
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("gratitude")
        verbose_name_plural = _("gratitude ledger")
        ordering = ["-when", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("receiver")), name="gratitude_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return self.what


class Invitation(models.Model):
    """A member invites someone to join the club; an organiser approves or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an organiser")
        APPROVED = "approved", _("Approved, invitation sent")
        DECLINED = "declined", _("Declined")
        JOINED = "joined", _("Joined")

    inviter = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("inviter")
    )
    email = models.EmailField(_("their email"))
    name = models.CharField(_("their name"), max_length=200)
    note = models.TextField(_("a personal note"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    member = models.OneToOneField(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brought_in_by",
        verbose_name=_("member"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.inviter} → {self.email}"


class Interaction(models.Model):
    """Something two members did together; tie strength is computed from these."""

    member_a = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    member_b = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("other member")
    )
    kind = models.CharField(_("kind"), max_length=15)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["member_a", "member_b"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member_a__lt=models.F("member_b")),
                name="interaction_ordered_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class KeepInTouch(models.Model):
    """The rule: get in touch with this contact every N days (its occurrences are FollowUps)."""

    owner = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="cadences", verbose_name=_("owner")
    )
    contact = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("contact")
    )
    every_days = models.PositiveIntegerField(_("every (days)"))

    class Meta:
        verbose_name = _("keep-in-touch rule")
        verbose_name_plural = _("keep-in-touch rules")
        constraints = [
            models.UniqueConstraint(fields=["owner", "contact"], name="keep_in_touch_once"),
            models.CheckConstraint(condition=models.Q(every_days__gte=1), name="cadence_days"),
        ]

    def __str__(self) -> str:
        return ngettext("every %(n)s day", "every %(n)s days", self.every_days) % {
            "n": self.every_days
        }


class FollowUp(models.Model):
    """One occurrence of a keep-in-touch rule: due on a date, done or not."""

    rule = models.ForeignKey(
        KeepInTouch, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("rule")
    )
    due = models.DateField(_("due"))
    done = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due"]

    def __str__(self) -> str:
        return gettext("due %(date)s") % {"date": date_format(self.due)}


class ContactNote(models.Model):
    """A member's private note about a contact."""

    owner = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="contact_notes", verbose_name=_("owner")
    )
    contact = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("contact")
    )
    text = models.TextField(_("note"), max_length=4000)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact note")
        verbose_name_plural = _("contact notes")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.text[:50]


class Notification(models.Model):
    """Something for the member to see in the app (and in the weekly digest)."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("member")
    )
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.text


class DigestKind(models.TextChoices):
    MEETINGS = "meetings", _("Upcoming meetings")
    FOLLOW_UPS = "follow_ups", _("Follow-ups due")
    ASKS = "asks", _("Asks you could help with")
    INTRODUCTIONS = "introductions", _("Introductions waiting for you")
    OUTCOMES = "outcomes", _("Did anything come of it?")


class Unsubscribe(models.Model):
    """A kind of digest section the member no longer wants by email."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="unsubscribed", verbose_name=_("member")
    )
    kind = models.CharField(_("digest section"), max_length=15, choices=DigestKind.choices)

    class Meta:
        verbose_name = _("unsubscribed digest section")
        verbose_name_plural = _("unsubscribed digest sections")
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="unsubscribe_once"),
        ]

    def __str__(self) -> str:
        return self.kind
