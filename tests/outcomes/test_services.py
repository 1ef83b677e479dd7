"""Recording, confirming, declining, editing and withdrawing outcomes; chains and credits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from serendip.network.models import Notification
from serendip.outcomes.chains import timeline_for, touches_for
from serendip.outcomes.models import (
    Outcome,
    OutcomeChange,
    OutcomeCredit,
    OutcomeStatus,
    PartyAnswer,
)
from serendip.outcomes.services import (
    OutcomeRefused,
    confirm_on_word_of,
    confirm_outcome,
    decline_outcome,
    edit_outcome,
    record_outcome,
    withdraw_outcome,
)
from tests.outcomes.club import Club, build_club

pytestmark = pytest.mark.django_db


@pytest.fixture
def club() -> Club:
    return build_club()


def deal(club: Club, **kwargs: object) -> Outcome:
    now = timezone.now()
    fields: dict[str, object] = {
        "by": club.ada,
        "kind": "deal",
        "happened_on": (now - dt.timedelta(days=10)).date(),
        "parties": [club.sam],
        "amount": Decimal("25000.00"),
        "currency": "eur",
        "note": "Three-year contract",
        "meeting": club.spring_meeting,
        "now": now,
    }
    fields.update(kwargs)
    return record_outcome(**fields)  # type: ignore[arg-type]


def credits(outcome: Outcome, rule: str) -> dict[tuple[int | None, int | None], float]:
    return {(c.event_id, c.introducer_id): c.share for c in outcome.credits.filter(rule=rule)}


def test_a_deal_recorded_from_a_held_meeting_waits_for_the_other_party(club: Club) -> None:
    outcome = deal(club)
    assert outcome.status == OutcomeStatus.PROPOSED
    assert outcome.currency == "EUR"
    answers = {p.member_id: p.answer for p in outcome.parties.all()}
    assert answers == {club.ada.pk: PartyAnswer.CONFIRMED, club.sam.pk: PartyAnswer.PENDING}
    # The sponsor's organisation at the time is kept with the party.
    assert outcome.parties.get(member=club.sam).organisation.name == "SponsorCo"
    assert not OutcomeCredit.objects.exists()
    assert Notification.objects.filter(member=club.sam, url=outcome.get_absolute_url()).exists()
    assert list(outcome.changes.values_list("action", flat=True)) == ["recorded"]


def test_the_other_party_confirms_and_the_credits_are_written(club: Club) -> None:
    outcome = deal(club)
    confirm_outcome(outcome=outcome, by=club.sam, now=timezone.now())
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.CONFIRMED
    assert outcome.confirmed_at is not None
    # Met at the spring seminar, and again at the autumn one before the deal.
    assert [t.event_id for t in touches_for(outcome)] == [club.spring.pk, club.autumn.pk]
    assert credits(outcome, "first") == {(club.spring.pk, None): 1.0}
    assert credits(outcome, "last") == {(club.autumn.pk, None): 1.0}
    assert credits(outcome, "linear") == {(club.spring.pk, None): 0.5, (club.autumn.pk, None): 0.5}
    assert [c.action for c in outcome.changes.all()] == ["recorded", "confirmed"]


def test_a_confirmed_outcome_cannot_be_deleted_with_its_parties_and_history(club: Club) -> None:
    outcome = deal(club)
    confirm_outcome(outcome=outcome, by=club.sam, now=timezone.now())
    with pytest.raises(ProtectedError), transaction.atomic():
        Outcome.objects.filter(pk=outcome.pk).delete()
    assert outcome.parties.count() == 2 and outcome.changes.count() == 2


def test_encounters_after_the_outcome_do_not_count(club: Club) -> None:
    outcome = deal(club, happened_on=(timezone.now() - dt.timedelta(days=60)).date())
    confirm_outcome(outcome=outcome, by=club.sam, now=timezone.now())
    assert credits(outcome, "last") == {(club.spring.pk, None): 1.0}


def test_a_meal_table_and_an_introduction_are_in_the_chain(club: Club) -> None:
    outcome = record_outcome(
        by=club.ben,
        kind="partnership",
        happened_on=timezone.localdate() - dt.timedelta(days=5),
        parties=[club.ada],
        introduction=club.introduction,
        now=timezone.now(),
    )
    confirm_outcome(outcome=outcome, by=club.ada, now=timezone.now())
    assert [t.kind for t in touches_for(outcome)] == ["meal", "introduction"]
    assert credits(outcome, "first") == {(club.spring.pk, None): 1.0}
    assert credits(outcome, "last") == {(None, club.camille.pk): 1.0}
    assert credits(outcome, "linear") == {(club.spring.pk, None): 0.5, (None, club.camille.pk): 0.5}


def test_outcome_with_no_encounter_is_the_clubs(club: Club) -> None:
    outcome = record_outcome(
        by=club.yves,
        kind="help",
        happened_on=timezone.localdate(),
        parties=[club.zoe],
        now=timezone.now(),
    )
    confirm_outcome(outcome=outcome, by=club.zoe, now=timezone.now())
    assert credits(outcome, "linear") == {(None, None): 1.0}


def test_decline_keeps_the_outcome_and_it_is_never_credited(club: Club) -> None:
    outcome = deal(club)
    decline_outcome(outcome=outcome, by=club.sam, now=timezone.now())
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.DECLINED
    with pytest.raises(OutcomeRefused):
        confirm_outcome(outcome=outcome, by=club.sam, now=timezone.now())
    assert not outcome.credits.exists()


def test_only_parties_answer(club: Club) -> None:
    outcome = deal(club)
    with pytest.raises(OutcomeRefused):
        confirm_outcome(outcome=outcome, by=club.yves, now=timezone.now())
    with pytest.raises(OutcomeRefused):
        decline_outcome(outcome=outcome, by=club.zoe, now=timezone.now())


def test_an_organiser_confirms_on_the_sponsors_word_shown_as_such(club: Club) -> None:
    outcome = deal(club, by=club.sam, parties=[club.ada])
    with pytest.raises(OutcomeRefused):
        confirm_on_word_of(outcome=outcome, organiser=club.yves.user, now=timezone.now())
    confirm_on_word_of(outcome=outcome, organiser=club.organiser, now=timezone.now())
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.CONFIRMED
    assert outcome.confirmed_on_word_of_id == club.organiser.pk
    # Ada has not answered herself; she still may.
    assert outcome.parties.get(member=club.ada).answer == PartyAnswer.PENDING
    confirm_outcome(outcome=outcome, by=club.ada, now=timezone.now())
    assert outcome.parties.get(member=club.ada).answer == PartyAnswer.CONFIRMED
    assert outcome.credits.filter(rule="first").count() == 1


def test_editing_a_confirmed_outcome_keeps_a_trace_and_rewrites_the_credits(club: Club) -> None:
    outcome = deal(club)
    confirm_outcome(outcome=outcome, by=club.sam, now=timezone.now())
    edit_outcome(
        outcome=outcome,
        by=club.sam,
        now=timezone.now(),
        amount=Decimal("30000"),
        happened_on=timezone.localdate() - dt.timedelta(days=60),
        note="changed privately",
    )
    outcome.refresh_from_db()
    assert outcome.amount == Decimal("30000")
    edit = outcome.changes.get(action="edited")
    assert edit.params["was"]["amount"] == "25000.00"
    assert "note" in edit.params["changed"] and "note" not in edit.params["was"]
    assert edit.actor_id == club.sam.user_id
    # The autumn meeting is now after the deal: it no longer gets the last touch.
    assert credits(outcome, "last") == {(club.spring.pk, None): 1.0}
    with pytest.raises(OutcomeRefused):
        edit_outcome(outcome=outcome, by=club.yves, now=timezone.now(), amount=Decimal(1))


def test_withdrawing_keeps_the_row_and_removes_the_credits(club: Club) -> None:
    outcome = deal(club)
    confirm_outcome(outcome=outcome, by=club.sam, now=timezone.now())
    withdraw_outcome(outcome=outcome, by=club.ada, now=timezone.now())
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.WITHDRAWN
    assert not outcome.credits.exists()
    assert OutcomeChange.objects.filter(outcome=outcome, action="withdrawn").exists()
    assert Outcome.objects.filter(pk=outcome.pk).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"happened_on": dt.date(2999, 1, 1)}, "once it has happened"),
        ({"amount": Decimal("-1")}, "negative"),
        ({"currency": "euro"}, "three-letter"),
        ({"currency": ""}, "currency"),
        ({"parties": []}, "at least two"),
    ],
)
def test_what_cannot_be_recorded(club: Club, change: dict[str, object], message: str) -> None:
    with pytest.raises(OutcomeRefused, match=message):
        deal(club, **change)


def test_a_meeting_not_ones_own_or_not_held_is_refused(club: Club) -> None:
    with pytest.raises(OutcomeRefused):
        deal(club, by=club.yves, parties=[club.sam])
    with pytest.raises(OutcomeRefused):
        deal(club, parties=[club.ben])  # Ada did not meet Ben at that meeting


def test_the_members_timeline_shows_the_chain_and_the_introducers(club: Club) -> None:
    first = deal(club)
    confirm_outcome(outcome=first, by=club.sam, now=timezone.now())
    second = record_outcome(
        by=club.ben,
        kind="hire",
        happened_on=timezone.localdate(),
        parties=[club.ada],
        introduction=club.introduction,
        now=timezone.now(),
    )
    confirm_outcome(outcome=second, by=club.ada, now=timezone.now())
    entries = timeline_for(club.ada)
    assert [e.outcome.pk for e in entries] == [first.pk, second.pk]
    assert [s.touch.kind for s in entries[1].steps] == ["meal", "introduction"]
    assert entries[1].introducers == ["Introduced by Camille Connector"]
    assert [m.pk for m in entries[0].others] == [club.sam.pk]
    # Someone else's timeline holds nothing of Ada's.
    assert timeline_for(club.yves) == []


def test_erasing_a_member_keeps_confirmed_outcomes_and_withdraws_pending_ones(club: Club) -> None:
    from serendip.members.privacy import erase_member, export_member

    confirmed = deal(club)
    confirm_outcome(outcome=confirmed, by=club.sam, now=timezone.now())
    pending = record_outcome(
        by=club.ada,
        kind="help",
        happened_on=timezone.localdate(),
        parties=[club.ben],
        note="Ada's words",
        now=timezone.now(),
    )
    assert [o["kind"] for o in export_member(club.ada)["outcomes"]] == ["deal", "help"]
    erase_member(club.ada, actor=club.organiser)  # type: ignore[arg-type]
    confirmed.refresh_from_db()
    pending.refresh_from_db()
    assert confirmed.status == OutcomeStatus.CONFIRMED
    assert confirmed.parties.count() == 2 and confirmed.credits.exists()
    assert confirmed.amount == Decimal("25000.00") and confirmed.note == ""
    assert pending.status == OutcomeStatus.WITHDRAWN
    assert confirmed.parties.get(member=club.ada).member.first_name != "Ada"
