"""The two languages all the way: planning steps, the back office's names of things."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from serendip.programme.models import PlanningRun, step_in_words


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
