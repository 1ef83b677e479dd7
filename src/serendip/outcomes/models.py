"""Outcomes: what came of the club's encounters, confirmed by the people who lived them.

Confirmed outcomes are history: they are never deleted (withdrawing keeps the row), edits
of a confirmed outcome leave a trace in the activity log, and erasing a member anonymises
the member but keeps the outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from serendip.events.models import Event
from serendip.members.models import Member, Organisation
from serendip.network.models import Ask, Introduction
from serendip.programme.models import Meeting


class OutcomeKind(models.TextChoices):
    DEAL = "deal", _("A deal")
    PARTNERSHIP = "partnership", _("A partnership or collaboration")
    HIRE = "hire", _("A hire")
    INVESTMENT = "investment", _("An investment")
    REFERRAL = "referral", _("A referral that worked")
    HELP = "help", _("Help that mattered")


class OutcomeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the other party")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PartyAnswer(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class CreditRule(models.TextChoices):
    FIRST = "first", _("First touch")
    LAST = "last", _("Last touch")
    LINEAR = "linear", _("Shared across all touches")


class Outcome(models.Model):
    """Something that came of encounters between two or more members."""

    kind = models.CharField(_("what came of it"), max_length=12, choices=OutcomeKind.choices)
    happened_on = models.DateField(_("when"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    # Private: seen by the parties and the organisers only.
    note = models.TextField(_("private note"), blank=True, max_length=4000)
    recorded_by = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="outcomes_recorded",
        verbose_name=_("recorded by"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutcomeStatus.choices,
        default=OutcomeStatus.PROPOSED,
    )
    confirmed_on_word_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by an organiser on the party's word"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))
    # Where the story was recorded from (optional).
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("meeting"),
    )
    introduction = models.ForeignKey(
        Introduction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("introduction"),
    )
    ask = models.ForeignKey(
        Ask,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("ask"),
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["status", "happened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="outcome_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        """The outcome's page."""
        return reverse("outcome-detail", args=[self.pk])


class OutcomeParty(models.Model):
    """A member who lived the outcome, with the organisation they were with at the time."""

    outcome = models.ForeignKey(
        # PROTECT: an outcome's parties and history never vanish with a row deleted by hand.
        Outcome,
        on_delete=models.PROTECT,
        related_name="parties",
        verbose_name=_("outcome"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="outcome_parties",
        verbose_name=_("member"),
    )
    # The organisation at the time: a sponsor's report keeps it after the member moves.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcome_parties",
        verbose_name=_("organisation"),
    )
    answer = models.CharField(
        _("answer"), max_length=10, choices=PartyAnswer.choices, default=PartyAnswer.PENDING
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outcome party")
        verbose_name_plural = _("outcome parties")
        constraints = [
            models.UniqueConstraint(fields=["outcome", "member"], name="outcome_party_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.answer}"


class OutcomeCredit(models.Model):
    """A share of a confirmed outcome's credit under one rule: an event, an introducer, the club."""

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="credits", verbose_name=_("outcome")
    )
    rule = models.CharField(_("credit rule"), max_length=6, choices=CreditRule.choices)
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcome_credits",
        verbose_name=_("event"),
    )
    introducer = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcome_credits",
        verbose_name=_("introducer"),
    )
    share = models.FloatField(_("share"))

    class Meta:
        verbose_name = _("outcome credit")
        verbose_name_plural = _("outcome credits")
        indexes = [models.Index(fields=["rule", "event"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share__gte=0) & models.Q(share__lte=1),
                name="outcome_credit_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.share:.2f}"


class OutcomeQuestion(models.Model):
    """The one question "did anything come of your meeting with X?" for a member and a contact."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="outcome_questions", verbose_name=_("member")
    )
    other = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("other member")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting"),
    )
    asked_at = models.DateTimeField(_("asked at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # "nothing yet", "recorded" (an outcome was recorded), or empty while waiting.
    answer = models.CharField(_("answer"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("outcome question")
        verbose_name_plural = _("outcome questions")
        constraints = [
            models.UniqueConstraint(fields=["member", "other"], name="outcome_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} / {self.other}"


class OutcomeChange(models.Model):
    """One line of an outcome's history: recorded, confirmed, edited (with what it was)..."""

    outcome = models.ForeignKey(
        # PROTECT: an outcome's parties and history never vanish with a row deleted by hand.
        Outcome,
        on_delete=models.PROTECT,
        related_name="changes",
        verbose_name=_("outcome"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20)
    # For an edit, the fields as they were before (codes, ISO dates, amounts as strings).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("outcome change")
        verbose_name_plural = _("outcome changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def get_action_display(self) -> str:
        """The action in the reader's language."""
        labels = {
            "recorded": _("recorded it"),
            "confirmed": _("confirmed it"),
            "declined": _("declined it"),
            "confirmed on word": _("confirmed it on their word (organiser)"),
            "edited": _("changed it"),
            "withdrawn": _("withdrew it"),
            "anonymised": _("erased their account"),
        }
        return str(labels.get(self.action, self.action))
