"""What a server process does once, before its first request: import, compile, load.

A fresh process's first request imported every view (the URLs include the API, whose
operations build their models, and the reports, which load matplotlib: about 2 s), and
compiled its templates, while every other thread of the process waited on the import lock.
On the seminar day a restart, or the first seconds after the doors open, then stalled the
phones. ``serendip.wsgi`` calls ``warm_up`` as each gunicorn process loads the application,
before it accepts a request. It reads no database: the server may start before it.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

# The pages the room's phones and the organiser open on the day, and what they include.
LIVE_TEMPLATES = (
    "base.html",
    "web/attendee/now.html",
    "web/attendee/now_live.html",
    "web/attendee/agenda.html",
    "web/attendee/agenda_body.html",
    "web/attendee/agenda_meetings.html",
    "web/attendee/brief.html",
    "web/attendee/tabs.html",
    "web/people_to_meet.html",
    "web/organise/day.html",
    "web/organise/gong.html",
)


def warm_up() -> None:
    """Import every view, compile the live pages' templates, load every language's catalogue."""
    get_resolver().url_patterns  # noqa: B018 - the import of every URL module is the point
    for name in LIVE_TEMPLATES:
        get_template(name)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("Now / next")
