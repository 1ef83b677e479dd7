"""Signals of the events app."""

from django.dispatch import Signal

# Sent once a write that changed an event's programme has committed, with ``event_id``:
# the web pages render what the attendees will read again (serendip.web.live).
programme_changed = Signal()
