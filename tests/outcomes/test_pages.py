"""The outcome pages: record from a held meeting, confirm from "my outcomes", who sees what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serendip.members.models import Member
from serendip.outcomes.models import Outcome, OutcomeStatus
from serendip.outcomes.services import confirm_outcome, record_outcome
from tests.outcomes.club import Club, build_club

pytestmark = pytest.mark.django_db


@pytest.fixture
def club() -> Club:
    return build_club()


def signed_in(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def confirmed_deal(club: Club) -> Outcome:
    outcome = record_outcome(
        by=club.ada,
        kind="deal",
        happened_on=timezone.localdate() - dt.timedelta(days=3),
        parties=[club.sam],
        amount=Decimal("42000"),
        currency="EUR",
        note="secret terms",
        meeting=club.spring_meeting,
        now=timezone.now(),
    )
    return confirm_outcome(outcome=outcome, by=club.sam, now=timezone.now())


def test_record_from_a_held_meeting_then_the_other_party_confirms(club: Club) -> None:
    ada = signed_in(club.ada)
    url = reverse("outcome-record") + f"?meeting={club.spring_meeting.pk}"
    page = ada.get(url)
    assert page.status_code == 200
    assert "Sam Seller" in page.content.decode()
    posted = ada.post(
        url,
        {
            "other": club.sam.pk,
            "kind": "deal",
            "happened_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
            "amount": "12000",
            "currency": "eur",
            "note": "",
        },
    )
    outcome = Outcome.objects.get()
    assert posted.status_code == 302 and posted["Location"] == outcome.get_absolute_url()
    assert outcome.meeting == club.spring_meeting and outcome.currency == "EUR"

    sam = signed_in(club.sam)
    mine = sam.get(reverse("outcomes")).content.decode()
    assert 'id="waiting"' in mine and outcome.get_absolute_url() in mine
    sam.post(outcome.get_absolute_url(), {"action": "confirm"})
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.CONFIRMED
    detail = sam.get(outcome.get_absolute_url()).content.decode()
    assert club.spring.name in detail and club.autumn.name in detail  # the chain
    assert "12000" in detail


def test_someone_elses_meeting_cannot_be_recorded_from(club: Club) -> None:
    page = signed_in(club.yves).get(
        reverse("outcome-record") + f"?meeting={club.spring_meeting.pk}"
    )
    assert page.status_code == 404


def test_the_links_from_the_contact_introduction_and_ask_prefill_the_other(club: Club) -> None:
    ben = signed_in(club.ben)
    page = ben.get(reverse("outcome-record") + f"?introduction={club.introduction.pk}")
    assert page.status_code == 200
    assert f'<option value="{club.ada.pk}" selected>' in page.content.decode()
    # An introduction one was not part of is not found.
    assert (
        signed_in(club.zoe)
        .get(reverse("outcome-record") + f"?introduction={club.introduction.pk}")
        .status_code
        == 404
    )


def test_who_sees_the_outcome_its_amount_and_note(club: Club) -> None:
    outcome = confirmed_deal(club)
    url = outcome.get_absolute_url()
    # The parties: amount and note.
    for member in (club.ada, club.sam):
        page = signed_in(member).get(url).content.decode()
        assert "42000" in page and "secret terms" in page
    # A colleague of Sam's on the sponsor side: the outcome and its amount, not the note.
    colleague = type(club.sam).objects.create(
        user=type(club.sam.user).objects.create(username="colleague@example.org"),
        first_name="Col",
        last_name="League",
        email="colleague@example.org",
        side="sponsor",
        organisation=club.sam.organisation,
    )
    page = signed_in(colleague).get(url)
    assert page.status_code == 200
    assert "42000" in page.content.decode() and "secret terms" not in page.content.decode()
    # Another organisation's sponsor and a bystander: not found at all.
    assert signed_in(club.zoe).get(url).status_code == 404
    assert signed_in(club.yves).get(url).status_code == 404
    # A bystander cannot answer for it or withdraw it either.
    assert signed_in(club.yves).post(url, {"action": "withdraw"}).status_code == 404
    assert signed_in(club.zoe).get(reverse("outcome-edit", args=[outcome.pk])).status_code == 404


def test_an_organiser_sees_everything_and_confirms_on_word(club: Club) -> None:
    outcome = record_outcome(
        by=club.sam,
        kind="deal",
        happened_on=timezone.localdate(),
        parties=[club.ada],
        amount=Decimal("9"),
        currency="EUR",
        note="on the phone",
        now=timezone.now(),
    )
    organiser = Client()
    organiser.force_login(club.organiser)  # type: ignore[arg-type]
    organiser_member = Member.objects.create(
        user=club.organiser, first_name="Olga", last_name="Organiser", email="o@example.org"
    )
    waiting = organiser.get(reverse("outcomes")).content.decode()
    assert 'id="unconfirmed"' in waiting and outcome.get_absolute_url() in waiting
    assert organiser_member.pk
    page = organiser.get(outcome.get_absolute_url()).content.decode()
    assert "on the phone" in page and 'value="word"' in page
    organiser.post(outcome.get_absolute_url(), {"action": "word"})
    page = organiser.get(outcome.get_absolute_url()).content.decode()
    assert 'id="on-word"' in page


def test_edit_and_withdraw_from_the_pages(club: Club) -> None:
    outcome = confirmed_deal(club)
    sam = signed_in(club.sam)
    edit = reverse("outcome-edit", args=[outcome.pk])
    assert sam.get(edit).status_code == 200
    sam.post(
        edit,
        {
            "kind": "partnership",
            "happened_on": outcome.happened_on.isoformat(),
            "amount": "",
            "currency": "",
            "note": "secret terms",
        },
    )
    outcome.refresh_from_db()
    assert outcome.kind == "partnership" and outcome.amount is None
    history = sam.get(outcome.get_absolute_url()).content.decode()
    assert 'id="history"' in history
    sam.post(outcome.get_absolute_url(), {"action": "withdraw"})
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.WITHDRAWN
