"""Members, their organisations and who already knows whom."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from serendip.members import industries
from serendip.members.choices import (
    ConnectionOrigin,
    ContactVisibility,
    Language,
    Seniority,
    Side,
)


class Industry(models.Model):
    """An industry the organiser adds to the fixed vocabulary (serendip.members.industries)."""

    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Stored on members and organisations; never change it once used."),
    )
    label_fr = models.CharField(_("French label"), max_length=100)
    label_en = models.CharField(_("English label"), max_length=100)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["code"]

    def __str__(self) -> str:
        return industries.IndustryLabel(self.code, self.label_fr, self.label_en).label()

    def clean(self) -> None:
        """An addition may not reuse a code or a label of the fixed list or of another one."""
        taken = industries.lookup(
            [*industries.FIXED, *(i for i in industries.extensions() if i.code != self.code)]
        )
        for field in ("code", "label_fr", "label_en"):
            if industries.fold(getattr(self, field)) in taken:
                raise ValidationError(
                    {field: _("This industry is already in the vocabulary.")}, code="taken"
                )


class Organisation(models.Model):
    """A company or public body that members belong to."""

    name = models.CharField(_("name"), max_length=200)
    # The code of an industry of the club's vocabulary (serendip.members.industries).
    industry = models.CharField(
        _("industry"), max_length=100, blank=True, choices=industries.choices
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A person of the club, linked one-to-one to the Django user they sign in with."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="member",
        verbose_name=_("user account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    linkedin = models.URLField(_("LinkedIn"), blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    seniority = models.CharField(
        _("seniority level"),
        max_length=10,
        choices=Seniority.choices,
        blank=True,
        help_text=_("Only used to check that everyone gets the same chances; never to rank."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    industry = models.CharField(
        _("industry"), max_length=100, blank=True, choices=industries.choices
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices, default=Side.BOSS)
    keywords = models.JSONField(_("topics"), default=list, blank=True)
    offers = models.JSONField(_("what I can give"), default=list, blank=True)
    needs = models.JSONField(_("what I am looking for"), default=list, blank=True)
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    contact_visibility = models.CharField(
        _("who may see my contact details"),
        max_length=12,
        choices=ContactVisibility.choices,
        default=ContactVisibility.CONNECTIONS,
    )
    joined = models.DateTimeField(_("joined"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="member_email_unique_ci"),
        ]
        # The club's last profile edit is part of every live page's version (each poll of
        # each phone at the gong): read from the index, not by scanning every member.
        indexes = [models.Index(fields=["updated"], name="member_updated")]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        """The member's public profile page."""
        return reverse("member-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        """First and last name as the member writes them."""
        return f"{self.first_name} {self.last_name}".strip()


class Connection(models.Model):
    """Two members who already know each other, stored once with the smaller id first."""

    member_a = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="connections_as_a", verbose_name=_("member")
    )
    member_b = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="connections_as_b", verbose_name=_("member")
    )
    since = models.DateField(_("since"), null=True, blank=True)
    how = models.CharField(
        _("how they met"),
        max_length=20,
        choices=ConnectionOrigin.choices,
        default=ConnectionOrigin.IMPORTED,
    )
    last_interaction = models.DateField(_("last interaction"), null=True, blank=True)

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        constraints = [
            # Ordering the pair makes "the same connection in either order" one row,
            # and also rules out a connection with oneself.
            models.CheckConstraint(
                condition=models.Q(member_a__lt=models.F("member_b")),
                name="connection_ordered_pair",
                violation_error_message=_("A connection links two different members."),
            ),
            models.UniqueConstraint(fields=["member_a", "member_b"], name="connection_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.member_a} / {self.member_b}"

    def other(self, member: Member) -> Member:
        """The member at the other end of this connection from ``member``."""
        return self.member_b if member.pk == self.member_a_id else self.member_a


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 digest is stored."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("member")
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    # After this moment the token authenticates nobody; empty means it never expires.
    expires = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.member}: {self.name}"


class HiddenRecommendation(models.Model):
    """ "Not now": a person the member does not want proposed again until ``until``."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="hidden_people", verbose_name=_("member")
    )
    hidden = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("hidden person")
    )
    until = models.DateTimeField(_("hidden until"))

    class Meta:
        verbose_name = _("hidden recommendation")
        verbose_name_plural = _("hidden recommendations")
        constraints = [
            models.UniqueConstraint(fields=["member", "hidden"], name="hidden_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.member} hides {self.hidden}"
