from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "serendip.network"
    verbose_name = _("Network between events")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from serendip.network.invitations import joined

        # An invited person's first sign-in fulfils the invitation and tells the inviter.
        user_logged_in.connect(
            lambda sender, user, **kwargs: joined(user), weak=False, dispatch_uid="joined"
        )
