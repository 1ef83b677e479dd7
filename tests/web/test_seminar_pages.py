"""The seminar's pages through the test client: organiser, attendee, who may see what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from serendip.events.models import Event, RegistrationStatus
from serendip.meals.models import Meal
from serendip.members.services import are_connected
from serendip.programme.models import Meeting, PlanningRun, Wish
from serendip.programme.planning import publish
from serendip.programme.services import rate
from serendip.programme.tasks import start_planning
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client):
    """A signed-in staff member listed as an organiser of every event the test builds."""
    user = UserFactory(is_staff=True)
    client.login(username=user.username, password=PASSWORD)

    def organise(sender, instance, created, **kwargs):
        if created:
            instance.organisers.add(user)

    post_save.connect(organise, sender=Event, weak=False, dispatch_uid="test-organiser")
    yield user
    post_save.disconnect(sender=Event, dispatch_uid="test-organiser")


def sign_in(client, member):
    client.logout()
    assert client.login(username=member.user.username, password=PASSWORD)


def test_organiser_sets_up_plans_and_publishes(client, organiser):
    seminar = build_seminar()
    url = reverse("organise", args=[seminar.event.slug])
    day = timezone.localtime(seminar.event.start).date().isoformat()
    answer = client.post(
        url,
        {
            "setup": "1",
            "tables": 5,
            "boss_min_meetings": 3,
            "boss_max_meetings": 4,
            "days": day,
            "session_starts": "09:00, 14:00",
            "rounds_per_session": 3,
            "minutes": 7,
            "changeover": 3,
        },
    )
    assert answer.status_code == 302
    assert seminar.event.rounds.count() == 6
    client.post(reverse("organise-plan", args=[seminar.event.slug]))
    run = PlanningRun.objects.get(event=seminar.event)
    assert run.status == PlanningRun.Status.DONE and run.below_min == 0
    page = client.get(url).content.decode()
    assert f"{run.value} / {run.upper_bound}" in page
    client.post(reverse("organise-publish", args=[seminar.event.slug]))
    seminar.event.refresh_from_db()
    assert seminar.event.published is not None
    actions = set(seminar.event.activity.values_list("action", flat=True))
    assert {"rounds", "setup", "plan requested", "plan", "publish"} <= actions


def test_bad_setup_names_the_field_and_changes_nothing(client, organiser):
    seminar = build_seminar()
    before = list(seminar.event.rounds.values_list("start", flat=True))
    answer = client.post(
        reverse("organise", args=[seminar.event.slug]),
        {
            "setup": "1",
            "tables": 5,
            "boss_min_meetings": 5,
            "boss_max_meetings": 2,
            "days": "2027-02-30",
            "session_starts": "9h",
            "rounds_per_session": 3,
            "minutes": 7,
            "changeover": 3,
        },
    )
    assert answer.status_code == 200
    form = answer.context["form"]
    assert set(form.errors) == {"days", "session_starts", "boss_max_meetings"}
    assert list(seminar.event.rounds.values_list("start", flat=True)) == before


def test_sponsor_packages_are_saved_all_or_nothing(client, organiser):
    seminar = build_seminar(sponsors=2)
    first, second = (seminar.registration(s) for s in seminar.sponsors)
    url = reverse("organise", args=[seminar.event.slug])

    def post(second_representatives):
        return client.post(
            url,
            {
                "packages": "1",
                "packages-TOTAL_FORMS": 2,
                "packages-INITIAL_FORMS": 2,
                "packages-0-id": first.pk,
                "packages-0-guaranteed_meetings": 12,
                "packages-0-representatives": 3,
                "packages-1-id": second.pk,
                # 4 rounds with 1 representative hold at most 4 meetings.
                "packages-1-guaranteed_meetings": 4,
                "packages-1-representatives": second_representatives,
            },
        )

    refused = post(0)
    assert refused.status_code == 200
    assert "representatives" in refused.context["packages"].forms[1].errors
    first.refresh_from_db()
    assert (first.guaranteed_meetings, first.representatives) == (3, 2)
    assert post(1).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.guaranteed_meetings, first.representatives) == (12, 3)
    assert (second.guaranteed_meetings, second.representatives) == (4, 1)
    assert seminar.event.activity.filter(action="packages").exists()


def test_members_cannot_reach_the_organiser_pages(client):
    seminar = build_seminar()
    sign_in(client, seminar.bosses[0])
    for name in (
        "organise",
        "organise-meetings",
        "organise-day",
        "organise-gong",
        "organise-report",
    ):
        answer = client.get(reverse(name, args=[seminar.event.slug]))
        assert answer.status_code == 403
    assert client.post(reverse("organise-plan", args=[seminar.event.slug])).status_code == 403
    assert not PlanningRun.objects.exists()


def test_hand_edit_refused_shows_the_reason_next_to_the_form(client, organiser):
    seminar = build_seminar(sponsors=4)
    start_planning(seminar.event, actor=None)
    taken = Meeting.objects.filter(event=seminar.event).first()
    before = Meeting.objects.count()
    answer = client.post(
        reverse("organise-meetings", args=[seminar.event.slug]),
        {
            "place": "1",
            "place-round": taken.round.pk,
            "place-table": seminar.event.tables,
            "place-boss": taken.boss.pk,
            "place-sponsor": taken.sponsor.pk,
        },
    )
    assert answer.status_code == 200
    assert str(taken.boss) in str(answer.context["place"].non_field_errors())
    assert Meeting.objects.count() == before


def test_attendee_agenda_ics_feed_and_rating(client):
    start = timezone.now() - dt.timedelta(minutes=45)  # every round has started
    seminar = build_seminar(start=start)
    plan_beforehand(seminar)
    boss = seminar.bosses[0]
    sign_in(client, boss)
    agenda = reverse("agenda", args=[seminar.event.slug])
    assert b"not published yet" in client.get(agenda).content
    assert client.get(reverse("agenda-ics", args=[seminar.event.slug])).status_code == 404
    publish(seminar.event, actor=None)
    page = client.get(agenda).content.decode()
    mine = Meeting.objects.filter(boss=boss).select_related("sponsor")
    for meeting in mine:
        assert meeting.sponsor.full_name in page
    client.post(agenda)
    token = seminar.registration(boss).__class__.objects.get(pk=seminar.registration(boss).pk)
    feed = client.get(reverse("calendar-feed", args=[token.calendar_token]))
    assert feed.status_code == 200 and feed.content.count(b"BEGIN:VEVENT") == mine.count()
    client.post(agenda)  # a new link revokes the old one
    assert client.get(reverse("calendar-feed", args=[token.calendar_token])).status_code == 404
    first = mine.order_by("round__number").first()
    assert first.round.start <= timezone.now()
    client.post(
        reverse("rate", args=[seminar.event.slug, first.pk]),
        {"colour": "green", "note": "talk again in March", "follow_up": "on"},
    )
    rate(first, first.sponsor, colour="green", note="", follow_up=False)
    assert are_connected(boss, first.sponsor)
    # The sponsor's bulletin: the boss's green, the follow-up and the boss's email.
    sign_in(client, first.sponsor)
    bulletin = reverse("bulletin", args=[seminar.event.slug, first.sponsor.pk])
    page = client.get(bulletin).content.decode()
    assert boss.email in page
    pdf = client.get(bulletin + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert boss.full_name in text and "Green" in text and boss.email in text
    # Another sponsor may not read it; nobody may rate someone else's meeting.
    sign_in(client, seminar.sponsors[1])
    assert client.get(bulletin).status_code == 404
    answer = client.post(reverse("rate", args=[seminar.event.slug, first.pk]), {"colour": "red"})
    assert answer.status_code == 404


def test_cannot_come_frees_rounds_and_day_before_letter(client):
    seminar = build_seminar()
    start_planning(seminar.event, actor=None)
    publish(seminar.event, actor=None)
    call_command("remind", seminar.event.slug)
    sent = len(mail.outbox)
    organiser = UserFactory(is_staff=True)
    seminar.event.organisers.add(organiser)
    client.login(username=organiser.username, password=PASSWORD)
    client.post(reverse("organise-letters", args=[seminar.event.slug]))
    assert len(mail.outbox) == 2 * sent
    assert seminar.event.activity.filter(action="letters").exists()
    letters = {m.to[0]: m for m in mail.outbox}
    boss = seminar.bosses[0]
    assert set(letters) >= {m.email for m in seminar.bosses}
    assert "/tomorrow/" in letters[boss.email].body
    sign_in(client, boss)
    client.post(reverse("tomorrow", args=[seminar.event.slug]), {"answer": "cannot"})
    assert seminar.registration(boss).status == RegistrationStatus.CANCELLED
    assert not Meeting.objects.filter(boss=boss).exists()


def test_preferences_before_the_deadline_only(client):
    seminar = build_seminar()
    boss, sponsor = seminar.bosses[0], seminar.sponsors[0]
    sign_in(client, boss)
    url = reverse("preferences", args=[seminar.event.slug])
    client.post(url, {f"p{sponsor.pk}": "must", f"p{seminar.sponsors[1].pk}": "no"})
    assert Wish.objects.get(member=boss, wanted=sponsor, event=seminar.event).weight == 5
    assert boss.declines.filter(declined=seminar.sponsors[1]).exists()
    seminar.event.preferences_deadline = timezone.now() - dt.timedelta(hours=1)
    seminar.event.save()
    client.post(url, {f"p{sponsor.pk}": ""})
    assert Wish.objects.filter(member=boss, wanted=sponsor).exists()


def test_meal_seats_green_pairs_together_and_colleagues_apart(client, organiser):
    start = timezone.now() - dt.timedelta(hours=1)
    seminar = build_seminar(start=start)
    plan_beforehand(seminar)
    held = Meeting.objects.filter(event=seminar.event, round__number=1).first()
    rate(held, held.boss, colour="green", note="", follow_up=False)
    rate(held, held.sponsor, colour="green", note="", follow_up=False)
    client.post(
        reverse("organise-meals", args=[seminar.event.slug]),
        {
            "name": "Lunch",
            "start": timezone.localtime(timezone.now()).strftime("%Y-%m-%dT%H:%M"),
            "tables": "4, 4, 3",
            "rotations": 2,
        },
    )
    meal = Meal.objects.get(event=seminar.event)
    client.post(reverse("organise-meals", args=[seminar.event.slug]), {"plan": meal.pk})
    seats = {s.member_id: s.table for s in meal.seats.filter(rotation=1)}
    assert len(seats) == 9
    assert seats[held.boss_id] == seats[held.sponsor_id]
    page = client.get(reverse("organise-meal", args=[seminar.event.slug, meal.pk]))
    assert held.boss.full_name in page.content.decode()


def test_planning_without_rounds_is_refused_with_the_reason(client, organiser):
    seminar = build_seminar()
    seminar.event.rounds.all().delete()
    answer = client.post(reverse("organise-plan", args=[seminar.event.slug]), follow=True)
    run = PlanningRun.objects.get(event=seminar.event)
    assert run.status == PlanningRun.Status.FAILED and "rounds" in run.error
    assert "The planner refused" in answer.content.decode()
    assert not Meeting.objects.filter(event=seminar.event).exists()


def test_left_early_without_a_round_and_garbage_ids_change_nothing(client, organiser):
    seminar = build_seminar()
    registration = seminar.registration(seminar.bosses[0])
    day = reverse("organise-day", args=[seminar.event.slug])
    answer = client.post(
        day,
        {"registration": registration.pk, "status": "left_early", "left_after": ""},
        follow=True,
    )
    assert "Say after which round they left." in answer.content.decode()
    assert client.post(day, {"registration": "x", "status": "no_show"}).status_code == 400
    replan = reverse("organise-replan", args=[seminar.event.slug])
    assert client.post(replan, {"from_round": "first"}).status_code == 400
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
