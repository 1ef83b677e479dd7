"""Signals of the events app."""

from django.dispatch import Signal

# Sent once a write that changed an event's programme has committed, with ``event_id``:
# the web pages render what the attendees will read again (serendip.web.live).
programme_changed = Signal()

# Sent by a re-planning job once its plan has committed, before the run says it is done, with
# ``event_id`` and ``member_ids`` (whose meetings changed): in a queue worker the web renders
# their pages then, so the phones that read them at once find them ready.
agendas_replanned = Signal()
