"""``serendip outcome``: record, confirm (also on an organiser's word) and list."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from serendip.outcomes.models import Outcome, OutcomeStatus
from tests.outcomes.club import Club, build_club

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("outcome", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def club() -> Club:
    return build_club()


def test_record_confirm_and_list_from_the_command_line(club: Club) -> None:
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    said = run(
        "record", club.ada.email, "--with", club.sam.email, "--kind", "deal", "--date", day,
        "--amount", "1200", "--currency", "eur", "--meeting", str(club.spring_meeting.pk),
    )  # fmt: skip
    outcome = Outcome.objects.get()
    assert f"Outcome {outcome.pk} recorded" in said
    assert run("confirm", str(outcome.pk), club.sam.email).strip().endswith("confirmed.")
    listed = run("list", club.sam.email, "--status", "confirmed")
    assert listed.split("\t")[:5] == [str(outcome.pk), day, "deal", "confirmed", "1200.00 EUR"]
    assert club.ada.full_name in listed


def test_an_organiser_confirms_on_the_word_of_a_party(club: Club) -> None:
    run("record", club.sam.email, "--with", club.ada.email, "--kind", "hire", "--date",
        timezone.localdate().isoformat())  # fmt: skip
    outcome = Outcome.objects.get()
    club.organiser.email = "organiser@example.org"
    club.organiser.save()
    run("confirm", str(outcome.pk), "--on-word-of", "organiser@example.org")
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.CONFIRMED and outcome.confirmed_on_word_of_id


def test_refusals_are_said_plainly(club: Club) -> None:
    with pytest.raises(CommandError, match="No member"):
        run("list", "nobody@example.org")
    with pytest.raises(CommandError, match="once it has happened"):
        run("record", club.ada.email, "--with", club.sam.email, "--kind", "deal", "--date",
            "2999-01-01")  # fmt: skip
    run("record", club.ada.email, "--with", club.sam.email, "--kind", "deal", "--date",
        timezone.localdate().isoformat())  # fmt: skip
    with pytest.raises(CommandError, match="answer for it"):
        run("confirm", str(Outcome.objects.get().pk), club.yves.email)
