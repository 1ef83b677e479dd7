"""WSGI entry point for production servers (gunicorn, uwsgi...)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serendip.settings")
application = get_wsgi_application()

# Before the first request, not during it: see serendip.web.warmup.
from serendip.web.warmup import warm_up  # noqa: E402 - needs the settings set up above

warm_up()
