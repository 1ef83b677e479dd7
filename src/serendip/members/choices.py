"""The club's vocabularies, shared by models, forms, imports and the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Side(models.TextChoices):
    """Which side of the club someone is on: the courted boss or the sponsor who meets them."""

    BOSS = "boss", _("Boss")
    SPONSOR = "sponsor", _("Sponsor")
    GUEST = "guest", _("Guest")
    STAFF = "staff", _("Staff")


class Seniority(models.TextChoices):
    """Stored only so that fairness of exposure can be measured; never used to rank."""

    INTERN = "intern", _("Intern")
    JUNIOR = "junior", _("Junior")
    MID = "mid", _("Mid-level")
    SENIOR = "senior", _("Senior")
    EXECUTIVE = "executive", _("Executive")
    C_LEVEL = "c-level", _("C-level")


class ContactVisibility(models.TextChoices):
    """Who may see a member's email, phone and LinkedIn address."""

    NOBODY = "nobody", _("Nobody but the organisers")
    CONNECTIONS = "connections", _("My connections")
    MEMBERS = "members", _("All club members")


class ConnectionOrigin(models.TextChoices):
    COLLEAGUE = "colleague", _("Colleague")
    MET_AT_EVENT = "met_at_event", _("Met at an event")
    INTRODUCED = "introduced", _("Introduced")
    IMPORTED = "imported", _("Imported")
