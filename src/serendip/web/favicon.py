"""The site's icon at /favicon.ico, where browsers and feed readers look for it first."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.cache import cache_control


@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request: HttpRequest) -> HttpResponseBase:
    """The SVG icon the pages link to, served from the app's own static files."""
    path = finders.find("serendip/favicon.svg")
    assert isinstance(path, str), "the web app ships serendip/favicon.svg"
    # FileResponse closes the file once it is sent.
    return FileResponse(open(path, "rb"), content_type="image/svg+xml")
