"""The two languages all the way: planning steps, the back office's names of things."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from serendip.members.services import connect
from serendip.network.relationships import tie_in_words
from serendip.programme.models import PlanningRun, step_in_words
from tests.factories import MemberFactory


@pytest.mark.parametrize("written_in", ["en", "fr"])
def test_a_planning_step_reads_in_the_readers_language_whoever_started_the_run(
    written_in: str,
) -> None:
    with translation.override(written_in):
        saving = translation.gettext("saving")
        replanning = translation.gettext("re-planning from round %(n)s") % {"n": 4}
    with translation.override("fr"):
        assert step_in_words(saving) == "enregistrement"
        assert step_in_words(replanning) == "replanification à partir de la rotation 4"
    with translation.override("en"):
        assert step_in_words(saving) == "saving"
        assert step_in_words(replanning) == "re-planning from round 4"
    assert step_in_words("something the planner said") == "something the planner said"


def test_a_finished_run_shows_its_status_alone() -> None:
    run = PlanningRun(status=PlanningRun.Status.DONE, step="done", progress=100)
    with translation.override("fr"):
        assert run.shown_status_label == "Terminé"
        assert run.shown_step == ""


def test_every_model_and_field_of_the_club_has_a_translatable_name() -> None:
    unnamed = []
    for model in apps.get_models():
        if not model.__module__.startswith("serendip."):
            continue
        meta = model._meta
        for what in ("verbose_name", "verbose_name_plural"):
            if not isinstance(getattr(meta, what), Promise):
                unnamed.append(f"{model.__name__}.Meta.{what}")
        for field in meta.get_fields():
            if (field.auto_created and not field.concrete) or field.name == "id":
                continue
            if not isinstance(getattr(field, "verbose_name", None), Promise):
                unnamed.append(f"{model.__name__}.{field.name}")
    assert unnamed == []


@pytest.mark.parametrize(
    ("strength", "french", "english"),
    [
        (4.94, "fort", "strong"),
        (2.0, "chaleureux", "warm"),
        (0.7, "qui s\u2019estompe", "fading"),
        (0.1, "froid", "cold"),
        (0.0, "froid", "cold"),
    ],
)
def test_tie_strength_reads_as_words_not_figures(
    strength: float, french: str, english: str
) -> None:
    with translation.override("fr"):
        assert tie_in_words(strength) == french
    with translation.override("en"):
        assert tie_in_words(strength) == english


@pytest.mark.django_db
def test_the_contacts_page_says_how_strong_each_tie_is_in_words(client: Client) -> None:
    camille, friend = MemberFactory(language="fr"), MemberFactory()
    connect(camille, friend)
    client.force_login(camille.user)
    page = client.get(reverse("contacts")).content.decode()
    assert friend.full_name in page
    assert re.search(r"<td>(fort|chaleureux|qui s.estompe|froid)</td>", page)
    assert not re.search(r"<td>\d+[,.]\d+</td>", page)


def _hosts_in(html: str) -> set[str]:
    """The hosts the page's src and href attributes point at (none for local paths)."""
    return {
        urlsplit(url).netloc
        for url in re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
        if urlsplit(url).netloc
    }


@pytest.mark.django_db
def test_the_api_docs_page_works_offline_with_the_apps_own_assets(client: Client) -> None:
    page = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert _hosts_in(page) == set()
    for url in re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", page):
        assert finders.find(url.removeprefix("/static/")), url


@pytest.mark.django_db
def test_the_site_has_a_favicon_linked_from_every_page(client: Client) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)
    page = client.get(reverse("login")).content.decode()
    assert re.search(r'<link rel="icon" href="/static/serendip/favicon.svg"', page)
