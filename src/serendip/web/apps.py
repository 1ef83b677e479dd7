from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "serendip.web"
    verbose_name = _("Web")

    def ready(self) -> None:
        """Register the deployment's start-up checks."""
        from serendip.web import checks  # noqa: F401  (registers them)
