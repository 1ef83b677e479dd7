"""The member-facing pages, through Django's test client."""

from __future__ import annotations

import pytest
from django.test import Client

from serendip.members.models import Member
from serendip.members.services import connect
from tests.factories import PASSWORD, EventFactory, MemberFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def signed_in(member: Member) -> Client:
    client = Client()
    assert client.login(username=member.user.username, password=PASSWORD)
    return client


def test_pages_need_a_sign_in() -> None:
    for url in ["/", "/profile/", "/members/", "/events/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_home_lists_my_upcoming_events_and_what_my_profile_lacks() -> None:
    registration = RegistrationFactory(member__needs=[], status="confirmed")
    page = signed_in(registration.member).get("/").content.decode()
    assert registration.event.name in page
    assert "Confirmed" in page
    assert "what you are looking for" in page


def test_a_member_edits_their_profile_and_the_account_follows_but_not_the_email() -> None:
    member = MemberFactory(language="en")
    client = signed_in(member)
    form = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "Ada@Example.org",
        "language": "fr",
        "headline": "DSI",
        "keywords": "FinOps, zero trust, FinOps",
        "offers": "mentoring\naudit, with care",
        "needs": "",
        "contact_visibility": "members",
    }
    response = client.post("/profile/", form)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.keywords == ["FinOps", "zero trust"]
    assert member.offers == ["mentoring", "audit, with care"]
    # The sign-in email changes only with the password and a confirmed link (tests/privacy).
    assert member.email != "ada@example.org" and member.user.username == member.email
    assert (member.user.first_name, member.user.last_name) == ("Ada", "Lovelace")
    assert member.language == "fr"
    assert "Votre profil est enregistré." in client.get("/profile/").content.decode()


def test_contact_details_follow_the_members_choice() -> None:
    viewer = MemberFactory()
    private = MemberFactory(contact_visibility="nobody", email="private@example.org")
    friends_only = MemberFactory(contact_visibility="connections", email="friend@example.org")
    public = MemberFactory(contact_visibility="members", email="public@example.org")
    client = signed_in(viewer)

    def shows_email(member: Member) -> bool:
        return member.email in client.get(member.get_absolute_url()).content.decode()

    assert not shows_email(private)
    assert not shows_email(friends_only)
    assert shows_email(public)
    connect(viewer, friends_only)
    assert shows_email(friends_only)
    assert not shows_email(private)


def test_seniority_is_never_shown_on_a_profile() -> None:
    member = MemberFactory(seniority="intern", job_title="Stagiaire DSI")
    page = signed_in(MemberFactory()).get(member.get_absolute_url()).content.decode()
    assert "Stagiaire DSI" in page
    assert "Intern" not in page


def test_the_event_page_lists_who_is_registered_by_side_without_cancellations() -> None:
    event = EventFactory()
    boss = RegistrationFactory(event=event, side="boss", status="confirmed")
    sponsor = RegistrationFactory(
        event=event, side="sponsor", guaranteed_meetings=30, representatives=2
    )
    gone = RegistrationFactory(event=event, status="cancelled")
    page = signed_in(boss.member).get(event.get_absolute_url()).content.decode()
    assert boss.member.full_name in page and sponsor.member.full_name in page
    assert gone.member.full_name not in page
    assert "2 people registered" in page
    assert "30 meetings guaranteed" not in page  # packages are for organisers


def test_organisers_see_statuses_and_packages() -> None:
    event = EventFactory()
    RegistrationFactory(event=event, side="sponsor", guaranteed_meetings=30, representatives=2)
    staff = MemberFactory(user__is_staff=True)
    event.organisers.add(staff.user)
    page = signed_in(staff).get(event.get_absolute_url()).content.decode()
    assert "30 meetings guaranteed, 2 representatives" in page
    other_staff = MemberFactory(user__is_staff=True)  # organises other events, not this one
    assert (
        "30 meetings guaranteed"
        not in signed_in(other_staff).get(event.get_absolute_url()).content.decode()
    )


def test_the_directory_searches_names_and_organisations() -> None:
    viewer = MemberFactory()
    ada = MemberFactory(first_name="Ada", organisation__name="Acme Banque")
    bob = MemberFactory(first_name="Bob")
    page = signed_in(viewer).get("/members/", {"q": "acme"}).content.decode()
    assert ada.full_name in page and bob.full_name not in page


def test_the_language_switch_is_kept_in_the_members_profile() -> None:
    member = MemberFactory(language="en")
    client = signed_in(member)
    response = client.post("/language/", {"language": "fr", "next": "/events/"})
    assert response["Location"] == "/events/"
    member.refresh_from_db()
    assert member.language == "fr"
    assert "Événements" in client.get("/events/").content.decode()
    client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert "Événements" not in client.get("/events/").content.decode()


def test_a_visitor_can_switch_the_sign_in_page_to_french() -> None:
    client = Client()
    client.post("/language/", {"language": "fr", "next": "/accounts/login/"})
    assert "Se connecter" in client.get("/accounts/login/").content.decode()
