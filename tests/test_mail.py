"""The one mail helper: letters in the reader's language, and nobody sends mail another way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core import mail as outbox
from django.utils import translation

import serendip
from serendip import mail
from tests.factories import EventFactory, MemberFactory

PACKAGE = Path(serendip.__file__).parent
TEMPLATES = PACKAGE / "templates"
# Django's ways of sending, which only serendip/mail.py may use.
SENDERS = frozenset(
    {"send_mail", "send_mass_mail", "get_connection", "mail_admins", "mail_managers"}
    | {"EmailMultiAlternatives"}
)


@pytest.mark.django_db
def test_a_letter_is_written_in_the_readers_language_whatever_the_request_speaks() -> None:
    member = MemberFactory(first_name="Aurélie", language="fr")
    event = EventFactory(name="Séminaire d'automne")
    context = {"member": member, "event": event, "link": "https://club.example/agenda/"}
    with translation.override("en"):
        letter = mail.letter(
            "programme/email/agenda_changed", context, to=member.email, language="fr"
        )
        assert translation.get_language() == "en"  # the request's language is left alone
    assert letter.subject == "Séminaire d'automne : votre programme a changé"
    assert "\n" not in letter.subject
    assert letter.body.startswith("Bonjour Aurélie,")
    assert letter.to == [member.email]


@pytest.mark.django_db
def test_send_uses_one_connection_and_counts_what_went() -> None:
    members = [MemberFactory(language=lang) for lang in ("en", "fr")]
    event = EventFactory()
    letters = [
        mail.letter(
            "programme/email/agenda_changed",
            {"member": m, "event": event, "link": "https://club.example/"},
            to=m.email,
            language=m.language,
        )
        for m in members
    ]
    assert mail.send([]) == 0
    assert mail.send(iter(letters)) == 2
    assert [m.to for m in outbox.outbox] == [[m.email] for m in members]


def test_every_letter_has_its_subject_and_lives_in_its_app() -> None:
    bodies = {p for p in TEMPLATES.glob("*/email/*.txt") if not p.stem.endswith("_subject")}
    assert bodies, "letters live under templates/<app>/email/"
    assert not [p for p in bodies if not p.with_name(f"{p.stem}_subject.txt").exists()]
    # The web pages send nothing of their own: each letter belongs to the app that writes it.
    assert not (TEMPLATES / "web" / "email").exists()


def _senders_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
            found += [f"{node.lineno} {a.name}" for a in node.names if a.name in SENDERS]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "EmailMessage":
            found.append(f"{node.lineno} EmailMessage(...)")
    return found


def test_mail_goes_only_through_the_helper() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{sender}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "mail.py"
        for sender in _senders_in(path)
    ]
    assert not found, "write letters with serendip.mail.letter and send():\n" + "\n".join(found)
