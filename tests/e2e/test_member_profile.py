"""A member signs in, switches to French, edits their profile and sees it after reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from serendip.demo.club import DEMO_PASSWORD, MEMBER_EMAIL, build_demo_club
from serendip.members.models import Member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_demo_member_edits_their_profile_in_french(live_server: object, page: Page) -> None:
    build_demo_club(seed=2027)
    base = str(live_server)
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.get_by_label("Email").fill(MEMBER_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # The demo member chose French in their profile, so the home page greets them in French.
    expect(page.get_by_role("heading", name="Bonjour Camille")).to_be_visible()

    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Hello Camille")).to_be_visible()
    page.get_by_role("button", name="FR").click()
    expect(page.get_by_role("heading", name="Bonjour Camille")).to_be_visible()

    page.get_by_role("link", name="Mon profil").click()
    expect(page.get_by_role("heading", name="Mon profil")).to_be_visible()
    page.get_by_label("Accroche").fill("DSI qui aime les rencontres imprévues")
    page.get_by_label("Thèmes").fill("FinOps, cloud souverain, numérique responsable")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre profil est enregistré.")).to_be_visible()

    page.reload()
    expect(page.get_by_label("Accroche")).to_have_value("DSI qui aime les rencontres imprévues")
    expect(page.get_by_label("Thèmes")).to_have_value(
        "FinOps\ncloud souverain\nnumérique responsable"
    )
    page.get_by_role("link", name="Voir mon profil public").click()
    expect(page.get_by_text("numérique responsable")).to_be_visible()
    member = Member.objects.get(email=MEMBER_EMAIL)
    assert member.headline == "DSI qui aime les rencontres imprévues"
    assert member.language == "fr"

    # The changed topics feed the recommendations at once, with a reason and icebreakers.
    page.get_by_role("link", name="Qui rencontrer").click()
    first = page.locator("article.suggestion").first
    expect(first.locator(".reason")).not_to_be_empty()
    first.get_by_text("Comment engager la conversation").click()
    expect(first.locator("details li").first).to_contain_text("?")
    first.get_by_role("button", name="Pas maintenant").click()
    expect(page.get_by_text("ne vous sera plus proposé pendant 90 jours")).to_be_visible()


def test_an_organiser_sees_the_event_registrations(live_server: object, page: Page) -> None:
    build_demo_club(seed=2027)
    base = str(live_server)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill("organiser@serendip.demo")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # The organiser's profile says French: the interface switches on sign-in.
    page.get_by_role("link", name="Événements").first.click()
    page.get_by_role("link", name="Séminaire BigBoss de printemps").click()
    expect(page.get_by_role("heading", name="Décideur")).to_be_visible()
    expect(page.get_by_role("heading", name="Partenaire (40)")).to_be_visible()
    # Counts agree in French: "1 représentant", "3 représentants".
    expect(page.get_by_text(re.compile(r"\d+ représentants?\b")).first).to_be_visible()
