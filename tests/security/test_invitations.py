"""Inviting someone never reveals whether their address is a member's."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from serendip.members.models import Member
from serendip.network.models import Invitation
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_inviting_a_members_address_answers_as_for_a_new_one() -> None:
    hidden = MemberFactory(email="hidden@example.org", contact_visibility="nobody")
    inviter = MemberFactory()
    client = signed_in(inviter.user)
    answers = []
    for email in ("newcomer@example.org", "HIDDEN@example.org"):
        response = client.post(
            "/network/invitations/",
            {"email": email, "name": "Some One", "note": "Come along"},
            follow=True,
        )
        page = response.content.decode()
        assert "already a member" not in page
        thanked = "Thank you: an organiser will send your invitation." in page
        answers.append((response.status_code, response.redirect_chain, thanked))
    assert answers[0] == answers[1] == (200, [("/network/invitations/", 302)], True)
    # The organiser sees it, and approving it creates nobody.
    invitation = Invitation.objects.get(email="hidden@example.org")
    organiser = signed_in(UserFactory(is_staff=True))
    listing = organiser.get("/organise/invitations/").content.decode()
    assert listing.count("Already a member") == 1
    users, members = get_user_model().objects.count(), Member.objects.count()
    organiser.post("/organise/invitations/", {"invitation": invitation.pk, "approve": "1"})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING and invitation.member is None
    assert (get_user_model().objects.count(), Member.objects.count()) == (users, members)
    assert Member.objects.filter(email__iexact=hidden.email).count() == 1
    organiser.post("/organise/invitations/", {"invitation": invitation.pk, "approve": "0"})
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
