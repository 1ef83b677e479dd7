from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MealsConfig(AppConfig):
    name = "serendip.meals"
    verbose_name = _("Meals and table plans")
