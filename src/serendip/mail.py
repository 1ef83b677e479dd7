"""The one way the club writes e-mail: a pair of templates rendered in the recipient's language.

A letter is ``<name>.txt`` (the body) and ``<name>_subject.txt`` under its app's
``templates/<app>/email/``; both are rendered under the recipient's language, so the words,
dates and numbers read as theirs whatever the language of the request that caused it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation


def letter(
    template: str, context: Mapping[str, Any], *, to: str, language: str | None
) -> EmailMessage:
    """The message of ``template``.txt and ``template``_subject.txt, written in ``language``."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", dict(context))
        body = render_to_string(f"{template}.txt", dict(context))
    # Templates end with a newline, which a subject header cannot carry.
    return EmailMessage(subject.strip(), body, to=[to])


def send(messages: Iterable[EmailMessage]) -> int:
    """Send the messages over one connection to the mail server; returns how many went."""
    batch = list(messages)
    if not batch:
        return 0
    with get_connection() as connection:
        return connection.send_messages(batch) or 0
