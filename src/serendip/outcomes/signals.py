"""The outcomes' signals: what other apps (the reports' kept summaries) listen to."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``outcome=`` once an outcome's credits are (re)written in bulk, which sends no
# model signal: the events credited have new figures.
credits_written = Signal()
