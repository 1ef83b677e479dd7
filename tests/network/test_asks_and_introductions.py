"""Asks reach their audience, are routed to helpers through introducers, and introductions
share contact details only after both say yes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from serendip.members.services import are_connected, connect
from serendip.network.access import can_see_ask as can_see
from serendip.network.asks import create_ask, helpers_for, matching_offers, visible_asks
from serendip.network.introductions import (
    IntroductionRefused,
    answer_introduction,
    contacts_shared,
    expire_and_remind,
    propose_introduction,
    request_introduction,
)
from serendip.network.models import Audience, IntroductionState, Notification, Offer
from tests.network.club import circle

pytestmark = pytest.mark.django_db


def ask(member, audience=Audience.SECOND_DEGREE, topic="a penetration testing partner"):
    return create_ask(member, kind="contact", topic=topic, details="", audience=audience)


def test_an_ask_reaches_exactly_its_audience():
    c = circle()
    for audience, readers in (
        (Audience.CONNECTIONS, {c.ana, c.ben, c.cleo}),
        (Audience.SECOND_DEGREE, {c.ana, c.ben, c.cleo, c.dan}),
        (Audience.CLUB, {c.ana, c.ben, c.cleo, c.dan, c.eve}),
    ):
        posted = ask(c.ana, audience)
        everyone = [c.ana, c.ben, c.cleo, c.dan, c.eve]
        assert {m for m in everyone if can_see(m, posted)} == readers
        assert {m for m in everyone if posted in visible_asks(m)} == readers
        posted.delete()


def test_helpers_come_with_their_introducer_and_offers_match():
    c = circle()
    Offer.objects.create(member=c.eve, kind="service", title="Penetration testing for SMEs")
    posted = ask(c.ana)
    helpers = helpers_for(posted)
    assert [(h.helper, h.introducer) for h in helpers] == [(c.dan, c.ben)]
    assert [o.member for o in matching_offers(posted, c.ana)] == [c.eve]


def test_the_requested_introduction_runs_double_opt_in():
    c = circle()
    posted = ask(c.ana)
    requested = request_introduction(c.ana, helper=c.dan, introducer=c.ben, ask=posted)
    assert requested.state == IntroductionState.REQUESTED
    assert Notification.objects.filter(member=c.ben).exists()
    proposed = propose_introduction(
        c.ben, seeker=c.ana, helper=c.dan, note="You two should talk", requested=requested
    )
    assert proposed.state == IntroductionState.PROPOSED
    answer_introduction(proposed, c.dan, yes=True)
    proposed.refresh_from_db()
    assert not contacts_shared(proposed) and not are_connected(c.ana, c.dan)
    answer_introduction(proposed, c.ana, yes=True)
    proposed.refresh_from_db()
    assert contacts_shared(proposed) and are_connected(c.ana, c.dan)
    assert list(proposed.steps.values_list("what", flat=True)) == [
        "requested",
        "proposed",
        "accepted",
        "accepted",
    ]


def test_one_no_closes_the_introduction_without_sharing_anything():
    c = circle()
    proposed = propose_introduction(c.ana, seeker=c.ben, helper=c.cleo, note="Meet")
    answer_introduction(proposed, c.cleo, yes=False)
    proposed.refresh_from_db()
    assert proposed.state == IntroductionState.DECLINED and not contacts_shared(proposed)
    with pytest.raises(IntroductionRefused):
        answer_introduction(proposed, c.ben, yes=True)
    assert not are_connected(c.ben, c.cleo)


def test_introductions_that_cannot_be_made_are_refused():
    c = circle()
    with pytest.raises(IntroductionRefused, match="know both"):
        propose_introduction(c.ana, seeker=c.ben, helper=c.eve, note="")
    with pytest.raises(IntroductionRefused, match="three different people"):
        propose_introduction(c.ben, seeker=c.ana, helper=c.ana, note="")
    with pytest.raises(IntroductionRefused, match="Only the two"):
        answer_introduction(
            propose_introduction(c.ana, seeker=c.ben, helper=c.cleo, note=""), c.dan, yes=True
        )
    with pytest.raises(IntroductionRefused, match="already under way"):
        propose_introduction(c.ana, seeker=c.cleo, helper=c.ben, note="")
    connect(c.ben, c.cleo)
    with pytest.raises(IntroductionRefused, match="already connected"):
        propose_introduction(c.ana, seeker=c.ben, helper=c.cleo, note="")


def test_unanswered_introductions_get_a_reminder_then_expire():
    c = circle()
    proposed = propose_introduction(c.ana, seeker=c.ben, helper=c.cleo, note="Meet")
    half_way = timezone.now() + dt.timedelta(days=8)
    assert expire_and_remind(now=half_way) == (0, 1)
    assert expire_and_remind(now=half_way) == (0, 0)  # one reminder, not one a day
    assert expire_and_remind(now=timezone.now() + dt.timedelta(days=15)) == (1, 0)
    proposed.refresh_from_db()
    assert proposed.state == IntroductionState.EXPIRED
