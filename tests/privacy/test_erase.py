"""Delete my account: personal data erased, login useless, everyone else's history whole."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from serendip.events.models import ActivityLog, Registration
from serendip.members.models import ApiToken, Connection, Member
from serendip.members.privacy import erase_member, erased_email, is_erased
from serendip.members.services import member_for_token
from serendip.network.ledger import record_help
from serendip.network.models import (
    Ask,
    ContactNote,
    Gratitude,
    Introduction,
    KeepInTouch,
    Notification,
    Offer,
)
from serendip.programme.models import Meeting, Rating, Wish
from serendip.programme.reports import bulletin_of, event_figures
from tests.factories import PASSWORD, MemberFactory
from tests.privacy.history import History, build_history, contact_notes_about, thank_yous_from

pytestmark = pytest.mark.django_db


def _report(history: History) -> dict[str, Any]:
    """What the organiser and the sponsor read about the seminar."""
    lines = bulletin_of(history.event, history.sponsor)
    return {
        "figures": event_figures(history.event),
        "bulletin": [
            (
                line.meeting.pk,
                line.boss.pk,
                line.held,
                line.rating.colour if line.rating else None,
                line.follow_up,
            )
            for line in lines
        ],
        "meetings": Meeting.objects.count(),
        "ratings": sorted(Rating.objects.values_list("meeting", "rater", "colour", "follow_up")),
    }


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_erasure_keeps_the_bulletin_and_the_report_and_others_history() -> None:
    history = build_history()
    boss = history.boss
    before = _report(history)
    assert before["figures"]["held"] == 3
    assert [line[3:] for line in before["bulletin"]] == [("green", True), ("red", False)]

    assert bulletin_of(history.event, history.sponsor)[0].contact["email"] == boss.email

    erase_member(boss, actor=None)

    assert _report(history) == before
    boss.refresh_from_db()
    # The sponsor still sees the follow-up asked for, but no placeholder address as a contact.
    assert bulletin_of(history.event, history.sponsor)[0].contact == {}
    assert boss.full_name == f"Former member #{boss.pk}"
    assert boss.email == erased_email(boss) and is_erased(boss)
    assert (boss.phone, boss.bio, boss.keywords, boss.offers, boss.needs) == ("", "", [], [], [])
    assert boss.organisation is None
    # Their private things are gone; the ratings they gave stay, without the private note.
    assert Rating.objects.get(rater=boss).note == ""
    assert not ContactNote.objects.filter(owner=boss).exists()
    assert not Gratitude.objects.filter(receiver=boss).exists()
    assert not KeepInTouch.objects.filter(owner=boss).exists()
    assert not KeepInTouch.objects.filter(contact=boss).exists()
    assert not Wish.objects.filter(member=boss).exists()
    assert not Offer.objects.filter(member=boss).exists()
    assert not Notification.objects.filter(member=boss).exists()
    assert not ApiToken.objects.filter(member=boss).exists()
    assert not Connection.objects.filter(member_a=boss).exists()
    assert not Connection.objects.filter(member_b=boss).exists()
    ask = Ask.objects.get(member=boss)
    assert (ask.open, ask.details) == (False, "")
    assert "Ada" not in ask.topic
    # Others' data stays: their notes, the thank-you notes they received from Ada.
    assert contact_notes_about(boss) == ["Grace's note about Ada"]
    assert thank_yous_from(boss) == ["Thank you Ada!"]
    introduction = Introduction.objects.get(seeker=boss)
    assert (introduction.note, introduction.state) == ("Meet!", "expired")
    # The past seminar still counts them; the coming one does not any more.
    assert Registration.objects.get(member=boss, event=history.event).status == "confirmed"
    assert Registration.objects.get(member=boss, event=history.upcoming).status == "cancelled"
    assert ActivityLog.objects.filter(event=history.event, action="member-erased").count() == 1
    # Nothing of Ada is left on the record.
    assert "Lovelace" not in str(Member.objects.filter(pk=boss.pk).values().get())
    user = get_user_model().objects.filter(pk=boss.user_id)
    names = user.values_list("username", "email", "first_name", "last_name").get()
    assert not any("Ada" in n or "Lovelace" in n for n in names)


def test_after_erasure_the_password_session_and_token_no_longer_work() -> None:
    history = build_history()
    email = history.boss.user.username
    session = _signed_in(email)
    assert session.get("/profile/").status_code == 200
    api = Client(headers={"Authorization": f"Bearer {history.token}"})
    assert api.get("/api/members/me").status_code == 200

    erase_member(history.boss, actor=None)

    assert session.get("/profile/").status_code == 302
    directory = _signed_in(history.friend.user.username).get("/members/", {"q": "Former"})
    assert f"Former member #{history.boss.pk}" not in directory.content.decode()
    assert not Client().login(username=email, password=PASSWORD)
    assert not Client().login(username=erased_email(history.boss), password=PASSWORD)
    assert member_for_token(history.token) is None
    assert api.get("/api/members/me").status_code == 401
    user = get_user_model().objects.get(pk=history.boss.user_id)
    assert not user.is_active and not user.has_usable_password()


def test_erasing_twice_changes_nothing_more() -> None:
    history = build_history()
    erase_member(history.boss, actor=None)
    # One line in the log of each event they were registered for, the past and the coming one.
    assert ActivityLog.objects.filter(action="member-erased").count() == 2
    erase_member(history.boss, actor=None)
    assert ActivityLog.objects.filter(action="member-erased").count() == 2


def test_a_member_deletes_their_account_with_their_password() -> None:
    history = build_history()
    client = _signed_in(history.boss.user.username)
    assert b"/profile/account/delete/" in client.get("/profile/account/").content

    refused = client.post(
        "/profile/account/delete/", {"password": "not my password", "confirm": "on"}
    )
    assert refused.status_code == 200
    assert b"This is not your current password." in refused.content
    unconfirmed = client.post("/profile/account/delete/", {"password": PASSWORD})
    assert unconfirmed.status_code == 200
    history.boss.refresh_from_db()
    assert not is_erased(history.boss)

    response = client.post("/profile/account/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/profile/account/deleted/"
    history.boss.refresh_from_db()
    assert is_erased(history.boss)
    assert client.get("/profile/").status_code == 302  # signed out
    assert client.get("/profile/account/deleted/").status_code == 200


def test_the_command_erases_and_refuses_an_unknown_email_writing_nothing() -> None:
    history = build_history()
    rows_before = (Member.objects.count(), ActivityLog.objects.count())
    with pytest.raises(CommandError) as refused:
        call_command("member", "erase", "nobody@example.org")
    assert refused.value.returncode == 2
    assert "no member with the email 'nobody@example.org'" in str(refused.value)
    assert (Member.objects.count(), ActivityLog.objects.count()) == rows_before
    history.boss.refresh_from_db()
    assert not is_erased(history.boss)

    call_command("member", "erase", history.boss.email)
    history.boss.refresh_from_db()
    assert is_erased(history.boss)


@pytest.fixture
def organiser() -> Client:
    staff = MemberFactory(user__is_staff=True, user__is_superuser=True)
    return _signed_in(staff.user.username)


def test_the_admin_cannot_delete_members_or_their_accounts_and_erases_instead(
    organiser: Client,
) -> None:
    history = build_history()
    boss = history.boss
    before = _report(history)
    assert organiser.get(f"/admin/members/member/{boss.pk}/delete/").status_code == 403
    assert organiser.get(f"/admin/auth/user/{boss.user_id}/delete/").status_code == 403
    changelist = organiser.get("/admin/members/member/")
    assert b"delete_selected" not in changelist.content
    assert b"erase_members" in changelist.content
    assert b"delete_selected" not in organiser.get("/admin/auth/user/").content

    action = {"action": "erase_members", "_selected_action": [boss.pk]}
    confirm = organiser.post("/admin/members/member/", action)
    assert confirm.status_code == 200
    assert b"Lovelace" in confirm.content  # the organiser sees whom they are about to erase
    boss.refresh_from_db()
    assert not is_erased(boss)

    done = organiser.post("/admin/members/member/", {**action, "confirmed": "yes"}, follow=True)
    assert b"1 member erased" in done.content
    boss.refresh_from_db()
    assert is_erased(boss)
    assert _report(history) == before
    assert Member.objects.filter(pk=boss.pk).exists()


def test_an_account_without_a_member_profile_can_still_be_deleted(organiser: Client) -> None:
    lone = get_user_model().objects.create_user(username="lone@example.org", password="x" * 12)
    page = organiser.get(f"/admin/auth/user/{lone.pk}/delete/")
    assert page.status_code == 200


def test_a_thank_you_the_erased_member_sent_stays_with_its_giver() -> None:
    history = build_history()
    boss, friend = history.boss, history.friend
    record_help(
        receiver=boss,
        giver=friend,
        what="Ada's private memo of the help",
        when=timezone.localdate(),
        thank_you="Thank you Grace, truly.",
    )
    erase_member(boss, actor=None)
    kept = Gratitude.objects.get(receiver=boss)
    assert (kept.giver, kept.thank_you) == (friend, "Thank you Grace, truly.")
    assert "memo" not in kept.what
