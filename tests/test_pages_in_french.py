"""No English left in the French pages the demo serves, and no French in the English ones.

The demo club (with today's live seminar and the club's life between events) is built once
for the module. The organiser, the demo member (a boss) and a sponsor of the live seminar
then read every page of the URL conf, with
its parameters filled from the demo, and the admin's pages, first in French, then in English.
The visible text of each page (text nodes and the attributes people read: placeholder,
title, aria-label, alt, button values) is checked word by word against a lexicon of the
other language: the words of the catalogue's English sentences that no French translation
uses, plus a list of common English words (and the reverse for English pages). What members
and organisers wrote (names, bios, asks, event names...) is data: every value stored in the
database is taken out of a text before its words are checked, so only the site's own words
are judged. A failure lists the page and the sentence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from serendip.demo.club import MEMBER_EMAIL, ORGANISER_EMAIL, build_demo_club
from serendip.demo.network import build_network_demo
from serendip.demo.seminar import build_live_seminar
from serendip.demo.statistics import refresh_planner_statistics
from serendip.events.models import Event
from serendip.members.models import Member


def _listed(words: str) -> set[str]:
    """A set of words written one after the other."""
    return set(words.split())


CATALOGUE = Path(__file__).resolve().parents[1] / "src/serendip/locale/fr/LC_MESSAGES/django.po"

# Common English words that are no French word: a French page showing one speaks English.
ENGLISH = _listed(
    """
    the and of with from to for your you is are was were be been this that these those
    which who what when where why how not no yes or but by at on in it its an as if then
    there their they them we our us he she his her has have had do does did done doing
    will would can could should may might must all any each every some none other more most
    less than only also just still yet here now next new old first last again back
    meeting meetings planning planned plan plans round rounds planner programme schedule
    held rated rating ratings running waiting failed starting saving reading preferences
    sent send save saved delete deleted add added edit change changed remove removed cancel
    sign signed welcome today tomorrow yesterday day days week weeks month months year years
    hour hours minute minutes people person member members event events seat seats seated
    strong warm fading cold tie ties strength note notes contact contacts thanks thank please
    ask asks offer offers help helper helpers introduction introductions ledger invite
    invitation invitations follow follow-up follow-ups due keep touch weekly digest sponsors
    bosses organiser organisers attendee attendees agenda bulletin report figures
    yours mine left right top bottom show hide open close closed search filter filters
    none nothing something everything everyone someone anyone nobody never always
    """
)

# Words both languages share, or that the club uses as such in French (« boss », « sponsor »).
SHARED = _listed(
    """
    a on table tables date dates description message messages page pages rotation rotations
    minutes notes note contact contacts question questions service services organisation
    organisations sponsor sponsors boss bosses bulletin bulletins agenda agendas action actions
    pas plus en as ou si email e-mail emails csv vcard pdf ics api openapi django admin id
    url ok min max non mentor expert experts session sessions type format total tag tags
    important urgent simple normal client clients solution solutions surface initial
    profil profile immediate ratio programme programmes report rapport social local global
    direct national international central final minimum maximum position positions
    alert alerts demo minute
    """
)

# Common French words that are no English word: an English page showing one speaks French.
FRENCH = _listed(
    """
    le la les un une des du de et est sont avec pour par dans sur sous au aux ce cette ces
    qui que quoi quand comment votre vos notre nos mon ma mes ton ta tes il elle ils elles
    nous vous leur leurs pas plus aucun aucune tout tous toute toutes rien personne jamais
    rendez-vous rencontre rencontres prévu prévus prévues terminé terminée enregistrer
    supprimer ajouter modifier annuler envoyer envoyé envoyés fait oui merci bonjour demain
    aujourd'hui hier jour jours semaine semaines mois heure heures membre membres
    événement événements chaleureux fort faible froid lien liens demande demandes aide
    présentation présentations registre invitation invitations suivi suivis
    """
)

WORD = re.compile("[^\\W\\d_]+(?:[-'\u2019][^\\W\\d_]+)*", re.UNICODE)
# Attributes people read, directly or through the page's scripts (confirmations, the gong).
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "data-confirm", "data-title"}


class VisibleText(HTMLParser):
    """The texts a reader sees: text nodes outside scripts and styles, and read attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        shown = dict(attrs)
        for name in READ_ATTRIBUTES:
            if shown.get(name):
                self.texts.append(str(shown[name]))
        if tag == "input" and shown.get("type") in {"submit", "button"} and shown.get("value"):
            self.texts.append(str(shown["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    """The page's visible texts, whitespace collapsed."""
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


def words_of(text: str) -> list[str]:
    """The words of a text, lower-cased, with their inner hyphens and apostrophes."""
    return [w.lower().replace("\u2019", "'") for w in WORD.findall(text)]


class Data:
    """Everything stored in the database as text: what people wrote is not the site's words."""

    def __init__(self) -> None:
        values: set[str] = set()
        for model in apps.get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
            ]
            for row in model._default_manager.values_list(*fields) if fields else []:
                for value in row:
                    values.update(_strings(value))
        for model in (Member, Event):
            values.update(str(obj) for obj in model._default_manager.all())
        values.update(str(user) for user in get_user_model().objects.all())
        values.update(
            " ".join(filter(None, (m.first_name, m.last_name)))
            for m in get_user_model().objects.all()
        )
        # Longest first, so that a value is taken out whole before its parts.
        self.by_word: dict[str, list[str]] = defaultdict(list)
        for value in sorted({v for v in values if len(v) > 1}, key=len, reverse=True):
            for word in set(words_of(value)):
                self.by_word[word].append(value)

    def without(self, text: str, suspects: set[str]) -> str:
        """The text with the stored values holding one of the suspect words taken out."""
        for word in suspects:
            for value in self.by_word.get(word, ()):
                if value in text:
                    text = text.replace(value, " ")
        return text


def _strings(value: Any) -> Iterator[str]:
    """The texts inside a stored value (lists and dicts of JSON fields too), line by line."""
    if isinstance(value, str):
        yield " ".join(value.split())
        for line in value.splitlines():
            if line.strip():
                yield " ".join(line.split())
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _lexicons() -> tuple[set[str], set[str]]:
    """English words (for French pages) and French words (for English pages) to look for."""
    catalogue = polib.pofile(str(CATALOGUE))
    english: set[str] = set()
    french: set[str] = set()
    for entry in catalogue:
        english.update(words_of(re.sub(r"%\(\w+\)[sd]|\{\{.*?\}\}|<[^>]+>", " ", entry.msgid)))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            french.update(words_of(re.sub(r"%\(\w+\)[sd]|\{\{.*?\}\}|<[^>]+>", " ", text)))
    only_english = (english - french) | ENGLISH
    # French words are told by their accents (many plain ones are English words too).
    accented = {w for w in french if re.search("[àâçéèêëîïôûùüÿœ]", w)}
    only_french = (accented - english) | FRENCH
    return only_english - french - SHARED, only_french - english - SHARED - ENGLISH


def _other_projects() -> tuple[str, ...]:
    """The names of the apps that are not the club's (their permissions' labels are theirs)."""
    return tuple(
        str(config.verbose_name)
        for config in apps.get_app_configs()
        if not config.name.startswith(("serendip", "django.contrib"))
    )


def _judged_words(text: str) -> set[str]:
    """The words of a text, without acronyms (IT, API, CSV) that are no sentence's words."""
    acronyms = {a.lower() for a in re.findall(r"\b[A-Z]{2,4}\b", text)}
    return set(words_of(text)) - acronyms


def foreign_sentences(texts: list[str], lexicon: set[str], data: Data) -> list[str]:
    """The texts that still hold a word of the other language once stored values are out."""
    found = []
    others = _other_projects()
    for text in texts:
        if text.startswith(others) or text.lstrip().startswith(("{", "[")):
            continue  # another project's labels, or stored JSON shown as it is
        suspects = _judged_words(text) & lexicon
        if not suspects:
            continue
        rest = data.without(text, suspects)
        left = sorted(_judged_words(rest) & lexicon)
        if left:
            found.append(f"{text!r} ({', '.join(left)})")
    return found


# Pages that are not HTML pages for reading, or act when read.
NOT_PAGES = {
    "logout",
    "set-language",
    "people-action",
    "rate",
    "token-revoke",
    "account-export",
    "agenda-ics",
    "calendar-feed",
    "contacts-export",
    "organise-run",
    "organise-meal-run",
    "organise-plan",
    "organise-publish",
    "organise-letters",
    "organise-replan",
    "api:openapi-json",
    "api:api-root",
    "password_reset_confirm",
    "account-email-confirm",
    "unsubscribe",
}


def _web_patterns() -> Iterator[tuple[str, URLPattern]]:
    """Every named pattern of the site but the admin's (walked from its own registry)."""

    def walk(patterns: list[Any], namespace: str | None) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern

    for name, pattern in walk(get_resolver().url_patterns, None):
        if name.startswith("admin:"):
            continue
        if getattr(pattern.callback, "__module__", "").startswith("ninja.operation"):
            continue
        yield name, pattern


def _argument_choices(member: Member) -> dict[str, list[Any]]:
    """Values for each path parameter, from the demo: every event, and the member's things."""
    from serendip.meals.models import Meal
    from serendip.network.graph import connection_ids
    from serendip.network.models import Ask, Introduction
    from serendip.programme.models import Meeting

    live = Event.objects.get(slug="autumn-seminar-live")
    sponsor = live.registrations.filter(member=member, side="sponsor").first() or (
        live.registrations.filter(side="sponsor").order_by("pk").first()
    )
    asks = list(Ask.objects.filter(member=member).values_list("pk", flat=True)[:2])
    asks += list(Ask.objects.exclude(member=member).values_list("pk", flat=True)[:2])
    introductions = Introduction.objects.filter(
        Q(seeker=member) | Q(helper=member) | Q(introducer=member)
    ).values_list("pk", flat=True)
    contacts = sorted(connection_ids(member))[:2]
    meetings = Meeting.objects.filter(event=live).order_by("pk")
    from serendip.outcomes.access import visible_outcomes
    from serendip.outcomes.models import OutcomeQuestion

    outcomes = [[pk] for pk in visible_outcomes(member.user).values_list("pk", flat=True)[:1]]
    questions = OutcomeQuestion.objects.filter(member=member).values_list("pk", flat=True)
    return {
        "slug": list(Event.objects.values_list("slug", flat=True)),
        "member-detail": [[m] for m in [member.pk, *contacts[:1]]],
        "bulletin": [[live.slug, sponsor.member_id]] if sponsor else [],
        "report-sponsor": [[sponsor.member.organisation_id]] if sponsor else [],
        "ask-detail": [[pk] for pk in asks],
        "introduction-detail": [[pk] for pk in list(introductions)[:4]],
        "contact-detail": [[pk] for pk in contacts],
        "organise-meal": [[m.event.slug, m.pk] for m in Meal.objects.select_related("event")],
        "_meeting": list(meetings.values_list("pk", flat=True)[:1]),
        "outcome-detail": outcomes,
        "outcome-edit": outcomes,
        "outcome-question": [[pk] for pk in questions[:1]],
    }


def page_urls(member: Member) -> list[str]:
    """Every page of the URL conf with its parameters filled from the demo."""
    choices = _argument_choices(member)
    urls: list[str] = []
    for name, pattern in _web_patterns():
        if name in NOT_PAGES:
            continue
        route = str(pattern.pattern)
        if name in choices:
            urls += [reverse(name, args=args) for args in choices[name]]
        elif name.startswith("organise-meal") and "<int:pk>" in route:
            urls += [reverse(name, args=args) for args in choices["organise-meal"]]
        elif route.count("<") == 1 and "<slug:slug>" in route:
            urls += [reverse(name, args=[slug]) for slug in choices["slug"]]
        elif "<" not in route:
            urls.append(reverse(name))
        else:
            raise AssertionError(f"no demo values for the parameters of {name} ({route})")
    return urls


def admin_urls() -> list[str]:
    """The admin's index, and for every model its list, its add form and one change form."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        if not model.__module__.startswith("serendip.") and meta.app_label != "auth":
            continue  # other projects' admin pages speak their own catalogues
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
    return urls


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Data]:
    """The demo club, built once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_demo_club(seed=2027)
            build_live_seminar(seed=2027)
            build_network_demo(seed=2027)
            _an_outcome_of_the_members()
            refresh_planner_statistics()
            yield Data()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _an_outcome_of_the_members() -> None:
    """A deal of the demo member's, confirmed, and a question put to her: the outcome pages."""
    from django.utils import timezone

    from serendip.network.graph import connection_ids
    from serendip.outcomes.models import OutcomeQuestion
    from serendip.outcomes.services import confirm_outcome, record_outcome

    member = Member.objects.get(email=MEMBER_EMAIL)
    first, second = Member.objects.filter(pk__in=connection_ids(member)).order_by("pk")[:2]
    now = timezone.now()
    outcome = record_outcome(
        by=member, kind="deal", happened_on=timezone.localdate(now), parties=[first], amount=12000,
        currency="EUR", note="Contrat pilote", now=now,
    )  # fmt: skip
    confirm_outcome(outcome=outcome, by=first, now=now)
    OutcomeQuestion.objects.create(member=member, other=second, asked_at=now)


def _read(client: Client, url: str) -> str | None:
    """The page's HTML, or None when it is no HTML page for this reader (refused, moved)."""
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


def _reader(role: str) -> Member:
    """The demo's organiser, its member Camille (a boss), or a sponsor at the live seminar."""
    if role == "organiser":
        return Member.objects.get(email=ORGANISER_EMAIL)
    if role == "member":
        return Member.objects.get(email=MEMBER_EMAIL)
    live = Event.objects.get(slug="autumn-seminar-live")
    return live.meetings.order_by("pk").first().sponsor


def _foreign_on_pages(member: Member, language: str, data: Data, with_admin: bool) -> list[str]:
    english, french = _lexicons()
    lexicon = english if language == "fr" else french
    client = Client()
    client.force_login(member.user)
    client.post(reverse("set-language"), {"language": language})
    urls = page_urls(member) + (admin_urls() if with_admin else [])
    found, read = [], 0
    for url in urls:
        html = _read(client, url)
        if html is None:
            continue
        read += 1
        found += [
            f"{url}: {line}" for line in foreign_sentences(visible_texts(html), lexicon, data)
        ]
    assert read > 20, f"only {read} pages read"
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["organiser", "member", "sponsor"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_speak_the_readers_language_only(
    demo: Data, role: str, language: str, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    found = _foreign_on_pages(_reader(role), language, demo, with_admin=role == "organiser")
    assert not found, f"{len(found)} sentences in the wrong language:\n" + "\n".join(found)


def test_the_lexicon_catches_the_words_the_club_saw_in_french_pages() -> None:
    english, _french = _lexicons()
    data = Data.__new__(Data)
    data.by_word = defaultdict(list)
    with translation.override("fr"):
        caught = foreign_sentences(["Terminé · done", "12 meetings", "Planning"], english, data)
    assert len(caught) == 3
    assert not foreign_sentences(["Rotation 3 · table 4", "Terminé"], english, data)
