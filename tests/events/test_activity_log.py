"""The activity log is written as events and read in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from serendip.events.models import ActivityLog, RegistrationStatus
from serendip.events.services import log, set_attendance
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_a_logged_action_reads_in_french_and_in_english() -> None:
    event = EventFactory()
    line = log(
        event,
        None,
        "replan",
        "from round 2: 5 meetings moved, 1 people affected",
        params={"from_round": 2, "moved": 5, "affected": 1},
    )
    line = ActivityLog.objects.get(pk=line.pk)
    with translation.override("fr"):
        french = line.sentence
    with translation.override("en"):
        english = line.sentence
    assert (
        french
        == "Replanifié : à partir de la rotation 2 : 5 rendez-vous déplacés, 1 personne concernée"
    )
    assert english == "Re-planned: from round 2: 5 meetings moved, 1 person affected"


def test_attendance_is_logged_with_its_status_in_the_readers_words() -> None:
    registration = RegistrationFactory()
    set_attendance(registration, RegistrationStatus.NO_SHOW, actor=None)
    line = registration.event.activity.get(action="attendance")
    assert line.params["status"] == "no_show"
    with translation.override("fr"):
        assert "Absent" in line.sentence or "absent" in line.sentence
        assert "No-show" not in line.sentence


def test_an_old_line_without_params_shows_its_stored_text_after_the_translated_action() -> None:
    event = EventFactory()
    line = log(event, None, "publish", "12 meetings")
    with translation.override("fr"):
        assert line.sentence == "Publié : 12 meetings"
    line = log(event, None, "something new", "as it was written")
    assert line.sentence == "something new: as it was written"


def test_the_callers_positional_details_still_work() -> None:
    line = log(EventFactory(), None, "setup", "tables and minimums saved")
    assert line.details == "tables and minimums saved" and line.params == {}
