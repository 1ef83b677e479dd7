"""No dead ends: refusals in the site's own pages, a plan that can be cleared, meals that can be
changed or deleted, tabs that lead somewhere, the organiser's way in to today's seminar."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db.models.signals import post_save
from django.template import Context, Template
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from serendip.events.models import Event, EventKind
from serendip.events.services import PastIsFrozen, set_rounds
from serendip.meals.models import Meal
from serendip.meals.services import plan_meal
from serendip.programme.models import Meeting
from serendip.programme.planning import clear_plan, publish
from tests.factories import (
    PASSWORD,
    EventFactory,
    MemberFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.programme.seminar import build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    """A signed-in staff member listed as an organiser of every event the test builds."""
    user = UserFactory(is_staff=True)
    MemberFactory(user=user, side="staff", language="en")
    client.login(username=user.username, password=PASSWORD)

    def organise(sender, instance, created, **kwargs):
        if created:
            instance.organisers.add(user)

    post_save.connect(organise, sender=Event, weak=False, dispatch_uid="test-ways-out")
    yield user
    post_save.disconnect(sender=Event, dispatch_uid="test-ways-out")


def sign_in(client, member, language="en"):
    client.logout()
    member.language = language
    member.save(update_fields=["language"])
    assert client.login(username=member.user.username, password=PASSWORD)


# --- Refusals are the site's own pages, in the reader's language -----------------------------


@override_settings(DEBUG=False)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_member_who_opens_an_organiser_page_gets_the_sites_refusal_page(client, language):
    seminar = build_seminar()
    member = seminar.bosses[0]
    sign_in(client, member, language)
    answer = client.get(reverse("organise", args=[seminar.event.slug]))
    assert answer.status_code == 403
    page = answer.content.decode()
    assert f'<html lang="{language}">' in page
    assert 'class="topbar"' in page  # the site's layout, with its menu
    with translation.override(language):
        assert gettext("Not open to you") in page
        assert gettext("Home") in page
    assert "Django" not in page and "admin" not in page.lower().split("<main>")[1]


@override_settings(DEBUG=False)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_form_sent_without_its_security_token_gets_the_sites_page_saying_what_to_do(language):
    # A sign-in page left open for a day, or cookies refused: Django's own page would say
    # "CSRF verification failed" and talk of DEBUG.
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": language})
    answer = client.post("/accounts/login/", {"username": "ada@acme.fr", "password": "x"})
    assert answer.status_code == 403
    page = answer.content.decode()
    assert f'<html lang="{language}">' in page and 'class="topbar"' in page
    with translation.override(language):
        assert gettext("Not open to you") in page
        said = gettext(
            "The form was not sent: it had expired, or your browser did not send this site's "
            "cookie. Go back, load the page again and send it again; if it happens every time, "
            "allow this site's cookies."
        )
        assert said in page
    assert "CSRF" not in page and "DEBUG" not in page


@override_settings(DEBUG=False)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_missing_page_is_the_sites_not_found_page(client, language):
    member = MemberFactory(side="boss")
    sign_in(client, member, language)
    answer = client.get("/events/no-such-event/agenda/")
    assert answer.status_code == 404
    page = answer.content.decode()
    assert f'<html lang="{language}">' in page and 'class="topbar"' in page
    with translation.override(language):
        assert gettext("Page not found") in page
        assert gettext("Events") in page


@override_settings(DEBUG=False)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_server_error_is_the_sites_own_page(client, language, monkeypatch):
    member = MemberFactory(side="boss")
    sign_in(client, member, language)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("serendip.web.views.suggestions_for", broken)
    client.raise_request_exception = False
    answer = client.get(reverse("people"))
    assert answer.status_code == 500
    page = answer.content.decode()
    assert f'<html lang="{language}">' in page and 'class="topbar"' in page
    with translation.override(language):
        assert gettext("Something went wrong") in page
    assert "boom" not in page


# --- Clearing a plan -------------------------------------------------------------------------


def test_clearing_a_plan_before_the_first_round_frees_the_set_up_and_tells_attendees(
    client, organiser, django_capture_on_commit_callbacks
):
    seminar = build_seminar()
    plan_beforehand(seminar)
    publish(seminar.event, actor=organiser)
    planned = set(seminar.event.meetings.values_list("boss_id", flat=True))
    assert planned
    url = reverse("organise-clear", args=[seminar.event.slug])
    # The dashboard offers it; the link asks first and clears nothing.
    assert url in client.get(reverse("organise", args=[seminar.event.slug])).content.decode()
    confirm = client.get(url)
    assert b"confirm-clear" in confirm.content
    assert seminar.event.meetings.exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"clear": "1"})
    assert answer.status_code == 302
    assert not seminar.event.meetings.exists()
    told = {m.to[0] for m in mail.outbox}
    assert told >= {b.email for b in seminar.bosses if b.pk in planned}
    assert seminar.event.activity.filter(action="clear plan").exists()
    # The set-up can change again.
    venue_day = timezone.localtime(seminar.event.start).date()
    set_rounds(
        seminar.event,
        days=[venue_day],
        session_starts=[dt.time(10, 0)],
        rounds_per_session=3,
        minutes=10,
        changeover=5,
        actor=organiser,
    )


def test_a_plan_cannot_be_cleared_once_a_round_has_started(client, organiser):
    seminar = build_seminar()
    plan_beforehand(seminar)
    first = seminar.event.rounds.order_by("number").first()
    count = seminar.event.meetings.count()
    with time_machine.travel(first.start + dt.timedelta(minutes=1), tick=False):
        with pytest.raises(PastIsFrozen):
            clear_plan(seminar.event, actor=organiser)
        page = client.get(reverse("organise-clear", args=[seminar.event.slug])).content.decode()
        assert "confirm-clear" not in page
        dashboard = client.get(reverse("organise", args=[seminar.event.slug])).content.decode()
        assert reverse("organise-clear", args=[seminar.event.slug]) not in dashboard
        client.post(reverse("organise-clear", args=[seminar.event.slug]), {"clear": "1"})
    assert seminar.event.meetings.count() == count


# --- Meals can be changed and deleted until they are history ---------------------------------


def _lunch(seminar, start):
    return Meal.objects.create(
        event=seminar.event, name="Lunch", start=start, tables=[4, 4, 4], rotations=2
    )


def test_an_organiser_changes_a_meal_and_a_new_layout_clears_its_seating(client, organiser):
    seminar = build_seminar()
    meal = _lunch(seminar, seminar.event.start + dt.timedelta(hours=3))
    plan_meal(meal, actor=organiser)
    assert meal.seats.exists()
    url = reverse("organise-meal-edit", args=[seminar.event.slug, meal.pk])
    meals_page = client.get(reverse("organise-meals", args=[seminar.event.slug])).content.decode()
    assert url in meals_page
    form = client.get(url).content.decode()
    assert 'value="4, 4, 4"' in form
    answer = client.post(
        url,
        {
            "save": "1",
            "name": "Long lunch",
            "start": timezone.localtime(meal.start, ZoneInfo(seminar.event.timezone)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "tables": "5, 5",
            "rotations": 2,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    meal.refresh_from_db()
    assert meal.name == "Long lunch" and meal.tables == [5, 5]
    assert not meal.seats.exists()  # seated for other tables: seated again by the organiser


def test_an_organiser_deletes_a_meal_after_confirming(client, organiser):
    seminar = build_seminar()
    meal = _lunch(seminar, seminar.event.start + dt.timedelta(hours=3))
    url = reverse("organise-meal-edit", args=[seminar.event.slug, meal.pk])
    assert b"confirm-delete" not in client.get(url).content
    assert b"confirm-delete" in client.get(url + "?delete=1").content
    assert Meal.objects.filter(pk=meal.pk).exists()
    client.post(url, {"delete": "1"})
    assert not Meal.objects.filter(pk=meal.pk).exists()
    assert seminar.event.activity.filter(action="meal removed").exists()


def test_a_seated_meal_under_way_can_be_neither_changed_nor_deleted(client, organiser):
    seminar = build_seminar()
    meal = _lunch(seminar, seminar.event.start + dt.timedelta(hours=3))
    plan_meal(meal, actor=organiser)
    # The services' refusals are tested in tests/meals/test_services.py: here, the page's.
    with time_machine.travel(meal.start + dt.timedelta(minutes=5), tick=False):
        url = reverse("organise-meal-edit", args=[seminar.event.slug, meal.pk])
        assert client.post(url, {"delete": "1"}).status_code == 302
        meals_page = client.get(reverse("organise-meals", args=[seminar.event.slug]))
        assert url not in meals_page.content.decode()
    meal.refresh_from_db()
    assert meal.name == "Lunch" and meal.seats.exists()


# --- Attendee tabs lead somewhere, the current one marked -------------------------------------


def _tab_links(page: str) -> list[str]:
    nav = page.split('<nav class="tabs"')[1].split("</nav>")[0]
    return re.findall(r'href="([^"]+)"', nav)


def test_a_dinner_shows_no_seminar_tabs_and_every_tab_opens(client):
    dinner = EventFactory(kind=EventKind.DINNER, tables=0)
    member = MemberFactory(side="boss")
    RegistrationFactory(event=dinner, member=member, side="boss")
    sign_in(client, member)
    page = client.get(reverse("agenda", args=[dinner.slug])).content.decode()
    links = _tab_links(page)
    assert reverse("now", args=[dinner.slug]) not in links
    assert reverse("preferences", args=[dinner.slug]) not in links
    assert f'href="{reverse("agenda", args=[dinner.slug])}" aria-current="page"' in page
    assert all(client.get(link).status_code == 200 for link in links)


def test_an_unpublished_seminar_offers_no_tab_that_would_be_missing(client):
    seminar = build_seminar()
    plan_beforehand(seminar)
    sponsor = seminar.sponsors[0]
    sign_in(client, sponsor)
    page = client.get(reverse("tomorrow", args=[seminar.event.slug])).content.decode()
    links = _tab_links(page)
    assert reverse("now", args=[seminar.event.slug]) not in links
    assert reverse("bulletin", args=[seminar.event.slug, sponsor.pk]) in links
    assert f'href="{reverse("tomorrow", args=[seminar.event.slug])}" aria-current="page"' in page
    assert all(client.get(link).status_code == 200 for link in links)
    publish(seminar.event, actor=None)
    page = client.get(reverse("agenda", args=[seminar.event.slug])).content.decode()
    assert reverse("now", args=[seminar.event.slug]) in _tab_links(page)


def test_the_bulletin_page_has_a_way_back_for_the_sponsor_and_the_organiser(client, organiser):
    seminar = build_seminar()
    plan_beforehand(seminar)
    sponsor = seminar.sponsors[0]
    url = reverse("bulletin", args=[seminar.event.slug, sponsor.pk])
    as_organiser = client.get(url).content.decode()
    assert reverse("organise-report", args=[seminar.event.slug]) in _tab_links(as_organiser)
    sign_in(client, sponsor)
    as_sponsor = client.get(url).content.decode()
    assert reverse("agenda", args=[seminar.event.slug]) in _tab_links(as_sponsor)
    assert f'href="{url}" aria-current="page"' in as_sponsor


# --- The organiser's way in, and a way to write ----------------------------------------------


def test_the_organisers_home_leads_to_the_events_they_run_this_week(client, organiser):
    today = build_seminar(start=timezone.now() + dt.timedelta(hours=1)).event
    later = EventFactory(start=timezone.now() + dt.timedelta(days=40))
    someone_elses = EventFactory(start=timezone.now() + dt.timedelta(hours=2))
    someone_elses.organisers.clear()
    page = client.get(reverse("home")).content.decode()
    section = page.split('id="organising"')[1].split("</section>")[0]
    assert reverse("organise", args=[today.slug]) in section
    assert reverse("organise-day", args=[today.slug]) in section
    assert reverse("organise", args=[later.slug]) not in section
    assert reverse("organise", args=[someone_elses.slug]) not in section
    # A member who organises nothing sees no such section.
    sign_in(client, MemberFactory(side="boss"))
    assert 'id="organising"' not in client.get(reverse("home")).content.decode()


def _contact(viewer, member) -> str:
    request = RequestFactory().get("/")
    request.user = viewer.user
    return Template("{% load serendip_nav %}{% contact_links member %}").render(
        Context({"request": request, "member": member})
    )


def test_write_to_them_gives_the_contact_details_the_member_lets_the_reader_see():
    reader = MemberFactory(side="boss")
    open_to_members = MemberFactory(side="sponsor", contact_visibility="members")
    private = MemberFactory(side="sponsor", contact_visibility="nobody")
    shown = _contact(reader, open_to_members)
    assert f'href="mailto:{open_to_members.email}"' in shown
    hidden = _contact(reader, private)
    assert private.email not in hidden and private.phone not in hidden
    assert private.get_absolute_url() in hidden


# --- The organiser's meetings: a grid of rounds by tables, with filters -----------------------


def test_the_meetings_grid_has_a_row_per_round_and_filters_by_person_and_round(client, organiser):
    seminar = build_seminar(rounds=4, tables=4)
    plan_beforehand(seminar)
    url = reverse("organise-meetings", args=[seminar.event.slug])
    page = client.get(url).content.decode()
    assert page.count('<section class="round grid-row"') == 4
    assert page.count('class="grid-cell') >= 4 * 4
    everyone = Meeting.objects.filter(event=seminar.event).select_related("boss")
    assert all(m.boss.full_name in page for m in everyone)
    boss = seminar.bosses[0]
    mine = everyone.filter(boss=boss)
    others = everyone.exclude(boss=boss).exclude(sponsor__in=mine.values("sponsor"))
    page = client.get(url, {"person": boss.pk}).content.decode()
    assert page.count("grid-meeting") == mine.count()
    assert not any(f'name="remove" value="{m.pk}"' in page for m in others)
    page = client.get(url, {"round": 2}).content.decode()
    assert page.count('<section class="round grid-row"') == 1
    assert 'id="round-2"' in page
