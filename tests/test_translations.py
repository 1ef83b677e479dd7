"""Every user-visible string ships in French, and the compiled catalogue is up to date."""

from __future__ import annotations

import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "src" / "serendip" / "locale"


def test_every_french_string_is_translated() -> None:
    catalogue = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_the_compiled_french_catalogue_matches_its_source() -> None:
    source = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    with (LOCALE / "fr" / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for entry in source:
        # A message with a context ("tie": "warm") is looked up with that context.
        context = entry.msgctxt
        if entry.msgid_plural:
            for n, form in ((1, 0), (5, 1)):
                found = (
                    translations.npgettext(context, entry.msgid, entry.msgid_plural, n)
                    if context
                    else translations.ngettext(entry.msgid, entry.msgid_plural, n)
                )
                assert found == entry.msgstr_plural[form], entry.msgid
        elif context:
            assert translations.pgettext(context, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert translations.gettext(entry.msgid) == entry.msgstr, entry.msgid
