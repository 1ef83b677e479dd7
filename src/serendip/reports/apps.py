from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "serendip.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        """Connect what makes an event's kept summary stale."""
        from serendip.reports import invalidate

        invalidate.connect()
