"""URL map: the web pages, the admin site and the API."""

from django.contrib import admin
from django.urls import include, path

from serendip.api.routes import api
from serendip.web.favicon import favicon
from serendip.web.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("favicon.ico", favicon),
    # Unnamed like the favicon: probes call it by its fixed path, nothing links to it.
    path("healthz", healthz),
    path("", include("serendip.reports.urls")),
    path("", include("serendip.outcomes.urls")),
    path("", include("serendip.web.urls")),
]

handler403 = "serendip.web.errors.permission_denied"
