from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "serendip.programme"
    verbose_name = _("One-to-one programme")
