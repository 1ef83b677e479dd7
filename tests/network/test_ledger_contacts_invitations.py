"""The gratitude ledger, keep-in-touch follow-ups, exports and invitations."""

from __future__ import annotations

import datetime as dt

import pytest
import vobject
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serendip.network.invitations import InvitationRefused, decide, invite
from serendip.network.ledger import ledger_of, record_help, thank_yous_for
from serendip.network.models import FollowUp, Invitation, Notification
from serendip.network.relationships import (
    NotAContact,
    contacts_of,
    follow_up_done,
    follow_ups_due,
    set_cadence,
)
from tests.factories import PASSWORD, UserFactory
from tests.network.club import circle

pytestmark = pytest.mark.django_db


def signed_in(member) -> Client:
    client = Client()
    assert client.login(username=member.user.username, password=PASSWORD)
    return client


def test_the_receiver_remembers_and_the_giver_sees_only_the_thank_you():
    c = circle()
    today = timezone.localdate()
    record_help(c.ana, giver=c.ben, what="Reviewed our cloud bill", when=today, thank_you="Thanks!")
    record_help(c.ana, giver=c.ben, what="Lent a meeting room", when=today)
    record_help(c.cleo, giver=c.ben, what="Intro to a CFO", when=today, thank_you="Merci Ben")
    assert [e.what for e in ledger_of(c.ana)] == ["Lent a meeting room", "Reviewed our cloud bill"]
    assert sorted(n.thank_you for n in thank_yous_for(c.ben)) == ["Merci Ben", "Thanks!"]
    assert Notification.objects.filter(member=c.ben).count() == 2
    page = signed_in(c.ben).get(reverse("thanks")).content.decode()
    assert "Thanks!" in page and "Merci Ben" in page
    # No tally and nothing of what was given: neither the count nor the receivers' words.
    assert "Reviewed our cloud bill" not in page and "Lent a meeting room" not in page
    assert " 3 " not in page and " 2 " not in page
    # A ledger is its owner's only.
    assert "Reviewed our cloud bill" not in signed_in(c.ben).get(reverse("ledger")).content.decode()


def test_help_warms_the_tie():
    c = circle()
    before = {x.member: x.strength for x in contacts_of(c.ana)}
    record_help(c.ana, giver=c.ben, what="Advice", when=timezone.localdate())
    after = {x.member: x.strength for x in contacts_of(c.ana)}
    assert after[c.ben] > before[c.ben] and after[c.cleo] == before[c.cleo]
    assert next(x.member for x in contacts_of(c.ana)) == c.ben


def test_a_cadence_makes_follow_ups_that_come_back_once_done():
    c = circle()
    first = set_cadence(c.ana, c.ben, 30)
    assert first.due == timezone.localdate()  # never in touch since the connection: due now
    assert follow_ups_due(c.ana) == [first]
    after = follow_up_done(first)
    assert after.due == timezone.localdate() + dt.timedelta(days=30)
    assert follow_ups_due(c.ana) == []
    assert FollowUp.objects.filter(rule__owner=c.ana).count() == 2
    with pytest.raises(NotAContact):
        set_cadence(c.ana, c.eve, 30)


def test_exports_show_contact_details_only_where_allowed():
    c = circle()
    c.cleo.contact_visibility = "nobody"
    c.cleo.save()
    client = signed_in(c.ana)
    cards = list(vobject.readComponents(client.get("/network/contacts.vcf").content.decode()))
    by_name = {card.fn.value: card for card in cards}
    assert set(by_name) == {c.ben.full_name, c.cleo.full_name}
    assert by_name[c.ben.full_name].email.value == c.ben.email
    assert not hasattr(by_name[c.cleo.full_name], "email")
    rows = client.get("/network/contacts.csv").content.decode().splitlines()
    assert rows[0] == "first_name,last_name,organisation,job_title,email,phone"
    assert any(c.ben.email in row for row in rows) and not any(c.cleo.email in r for r in rows)
    assert client.get("/network/contacts.exe").status_code == 404


def test_an_invitation_approved_creates_the_member_who_joins_and_the_inviter_hears(
    django_capture_on_commit_callbacks,
):
    c = circle()
    invitation = invite(c.ana, email="Zoe@Example.org", name="Zoé Martin", note="Come along!")
    with pytest.raises(InvitationRefused):
        invite(c.ben, email="zoe@example.org", name="Zoé", note="")
    # A member's address is taken like any other (nothing revealed); approving it is refused.
    cleo_again = invite(c.ben, email=c.cleo.email, name="Cleo", note="")
    with pytest.raises(InvitationRefused):
        decide(cleo_again, approve=True, by=UserFactory(is_staff=True))
    organiser = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        decide(invitation, approve=True, by=organiser)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.APPROVED
    assert mail.outbox[-1].to == ["zoe@example.org"] and "Come along!" in mail.outbox[-1].body
    zoe = invitation.member
    zoe.user.set_password("a-new-long-password")
    zoe.user.save()
    assert Client().login(username="zoe@example.org", password="a-new-long-password")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.JOINED
    assert Notification.objects.filter(member=c.ana, text__contains="Zoé").exists()
    profile = signed_in(c.ben).get(zoe.get_absolute_url()).content.decode()
    assert "Brought in by" in profile and c.ana.full_name in profile
