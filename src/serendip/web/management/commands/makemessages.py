"""``serendip makemessages``: Django's, also reading strings marked with the ``_lazy`` alias.

Some modules already use ``_`` for ``gettext`` and mark module-level labels with
``gettext_lazy as _lazy``; xgettext only knows the usual names, so without this those
labels would never reach the catalogue and would stay in English.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
