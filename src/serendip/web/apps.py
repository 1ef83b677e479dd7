from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "serendip.web"
    verbose_name = _("Web")

    def ready(self) -> None:
        """Register the deployment's start-up checks and what follows a programme change."""
        from serendip.events.signals import agendas_replanned, programme_changed
        from serendip.web import checks  # noqa: F401  (registers them)
        from serendip.web.live import warm_after_change
        from serendip.web.tasks import render_replanned

        programme_changed.connect(warm_after_change, dispatch_uid="serendip-warm-now")
        agendas_replanned.connect(render_replanned, dispatch_uid="serendip-render-replanned")
