"""The live pages answer conditional requests: a 304 until the programme, the clock's round,
the attendee's ratings or the club's profiles change; every process sees the same version."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.events.services import set_attendance
from serendip.members.services import update_profile
from serendip.programme.planning import publish
from serendip.programme.services import rate
from serendip.web import live
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import Seminar, build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar() -> Seminar:
    seminar = build_seminar(bosses=4, sponsors=2, rounds=3, tables=2)
    plan_beforehand(seminar)
    organiser = UserFactory(is_staff=True, is_superuser=True)
    publish(seminar.event, actor=organiser)
    seminar.organiser = organiser  # type: ignore[attr-defined]
    return seminar


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def during_round(seminar: Seminar, number: int) -> dt.datetime:
    return seminar.event.rounds.get(number=number).start + dt.timedelta(minutes=2)


def test_the_now_page_is_not_sent_again_until_something_changed(seminar: Seminar) -> None:
    meeting = seminar.event.meetings.order_by("round__number").first()
    boss = meeting.boss
    client = signed_in(boss.user)
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    with time_machine.travel(meeting.round.start + dt.timedelta(minutes=2), tick=False):
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"]
        assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
    # The round ends: the meeting is now one to rate.
    with time_machine.travel(meeting.round.end + dt.timedelta(minutes=1), tick=False):
        after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert after.status_code == 200
        assert f'id="rate-{meeting.pk}"' in after.content.decode()
        page = client.get(url.replace("?part=live", ""))
        rate(meeting, boss, colour="green", note="", follow_up=False)
        # The poll leaves the forms already on the page as they are (now.js): a rating
        # changes nothing it shows, so the wave of ratings after a gong renders nothing.
        assert client.get(url, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304
        # The whole page, read afresh, shows the rating.
        rated = client.get(url.replace("?part=live", ""), HTTP_IF_NONE_MATCH=page["ETag"])
        assert rated.status_code == 200 and rated["ETag"] != page["ETag"]
        assert 'class="status green"' in rated.content.decode()
        assert 'class="status green"' not in page.content.decode()


def test_a_programme_change_made_anywhere_changes_the_version_every_process_reads(
    seminar: Seminar,
) -> None:
    boss = seminar.event.meetings.first().boss
    client = signed_in(boss.user)
    url = reverse("agenda", args=[seminar.event.slug])
    before = Event.objects.get(pk=seminar.event.pk).programme_version
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # The desk marks a sponsor as a no-show (in another process: only the database is shared).
    sponsor = seminar.event.meetings.filter(boss=boss).first().sponsor
    set_attendance(
        seminar.registration(sponsor),
        RegistrationStatus.NO_SHOW,
        actor=seminar.organiser,
        now=seminar.event.rounds.order_by("number").first().start - dt.timedelta(hours=1),
    )
    assert Event.objects.get(pk=seminar.event.pk).programme_version > before
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert sponsor.full_name not in changed.content.decode()


def test_a_profile_edit_changes_the_agenda_version(seminar: Seminar) -> None:
    boss = seminar.event.meetings.first().boss
    client = signed_in(boss.user)
    url = reverse("agenda", args=[seminar.event.slug])
    first = client.get(url)
    other = seminar.event.meetings.filter(boss=boss).first().sponsor
    update_profile(other, first_name="Renamed")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "Renamed" in changed.content.decode()


def test_the_gong_is_not_sent_again_until_the_programme_changes(seminar: Seminar) -> None:
    client = signed_in(seminar.organiser)
    url = reverse("organise-gong", args=[seminar.event.slug])
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    set_attendance(
        seminar.registration(seminar.bosses[1]),
        RegistrationStatus.NO_SHOW,
        actor=seminar.organiser,
        now=seminar.event.rounds.order_by("number").first().start - dt.timedelta(hours=1),
    )
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_message_to_show_is_never_answered_with_a_304(seminar: Seminar) -> None:
    boss = seminar.bosses[0]
    client = signed_in(boss.user)
    url = reverse("agenda", args=[seminar.event.slug])
    first = client.get(url)
    client.post(url)  # a new calendar link, and a message saying so
    page = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert page.status_code == 200 and "new private calendar link" in page.content.decode()
    assert timezone.now()  # the clock is the real one here: nothing depends on the hour


def test_an_unchanged_poll_costs_the_sign_in_and_one_query(
    seminar: Seminar, django_assert_max_num_queries
) -> None:
    meeting = seminar.event.meetings.order_by("round__number").first()
    client = signed_in(meeting.boss.user)
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    with time_machine.travel(meeting.round.start + dt.timedelta(minutes=2), tick=False):
        first = client.get(url)
        # The session, the account, the member (their language), then the one version query.
        with django_assert_max_num_queries(4):
            assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        # Another phone of the same attendee, without the ETag: the part kept, nothing rendered.
        with django_assert_max_num_queries(4):
            again = client.get(url)
    assert again.status_code == 200 and again["ETag"] == first["ETag"]


@pytest.fixture
def shared_cache(settings, tmp_path) -> str:
    """Django's cache as ``serendip serve`` sets it: files in a folder all processes share."""
    folder = str(tmp_path / "cache")
    settings.CACHES = {
        "default": {"BACKEND": "serendip.web.cache.SharedFileCache", "LOCATION": folder},
        "marks": {"BACKEND": "serendip.web.cache.SharedFileCache", "LOCATION": f"{folder}/marks"},
    }
    return folder


def test_a_part_rendered_by_one_process_is_served_by_another_until_the_programme_changes(
    seminar: Seminar, shared_cache: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from serendip.web import attendee

    rendered: list[int] = []
    real = attendee._now_part

    def counting(request, slug, csrf_token):
        rendered.append(1)
        return real(request, slug, csrf_token)

    monkeypatch.setattr(attendee, "_now_part", counting)
    first_round = seminar.event.rounds.order_by("number").first()
    meeting = seminar.event.meetings.filter(round=first_round).first()
    boss, sponsor = meeting.boss, meeting.sponsor  # the sponsor of the boss's next meeting
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    with time_machine.travel(first_round.start - dt.timedelta(hours=1), tick=False):
        phone, laptop = signed_in(boss.user), signed_in(boss.user)
        assert sponsor.full_name in phone.get(url).content.decode()
        assert rendered == [1]
        # Another process: its own memory is empty, the folder is the same.
        live._rounds.clear()
        cache.close()
        assert sponsor.full_name in laptop.get(url).content.decode()
        assert rendered == [1]
        set_attendance(
            seminar.registration(sponsor),
            RegistrationStatus.NO_SHOW,
            actor=seminar.organiser,
        )
        changed = laptop.get(url).content.decode()
    assert rendered == [1, 1]
    assert sponsor.full_name not in changed
    assert list(Path(shared_cache).glob("*.djcache"))


def test_a_kept_part_carries_each_readers_own_csrf_token(
    seminar: Seminar, shared_cache: str
) -> None:
    meeting = seminar.event.meetings.order_by("round__number").first()
    with time_machine.travel(meeting.round.end + dt.timedelta(minutes=1), tick=False):
        tokens = []
        for _ in range(2):
            client = Client(enforce_csrf_checks=True)
            assert client.login(username=meeting.boss.user.username, password=PASSWORD)
            page = client.get(reverse("now", args=[seminar.event.slug])).content.decode()
            assert f'id="rate-{meeting.pk}"' in page
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            tokens.append(token)
        assert live.CSRF_PLACEHOLDER not in page
        # The second reader got the first one's rendering, with their own token: it is accepted.
        answer = client.post(
            reverse("rate", args=[seminar.event.slug, meeting.pk]),
            {"colour": "green", "note": "", "csrfmiddlewaretoken": tokens[1]},
        )
    assert answer.status_code == 302
    assert tokens[0] != tokens[1]
    assert meeting.ratings.filter(rater=meeting.boss, colour="green").exists()


def test_the_agenda_is_kept_until_the_calendar_link_changes(seminar: Seminar) -> None:
    boss = seminar.bosses[0]
    client = signed_in(boss.user)
    url = reverse("agenda", args=[seminar.event.slug])
    first = client.get(url)
    client.post(url)  # a new private calendar link
    token = Registration.objects.get(event=seminar.event, member=boss).calendar_token
    client.get(url)  # the message shown once
    page = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert page.status_code == 200 and token in page.content.decode()


def test_a_no_show_elsewhere_leaves_my_now_page_unchanged(seminar: Seminar) -> None:
    first_round = seminar.event.rounds.order_by("number").first()
    mine = seminar.event.meetings.filter(round=first_round).first()
    stranger = seminar.event.meetings.exclude(boss=mine.boss).order_by("round__number").first().boss
    me = signed_in(mine.boss.user)
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    with time_machine.travel(first_round.start - dt.timedelta(hours=1), tick=False):
        first = me.get(url)
        before = Event.objects.get(pk=seminar.event.pk).programme_version
        set_attendance(
            seminar.registration(stranger), RegistrationStatus.NO_SHOW, actor=seminar.organiser
        )
        assert Event.objects.get(pk=seminar.event.pk).programme_version > before
        # Another boss's meetings are freed: mine are as they were, so is my page.
        assert me.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        set_attendance(
            seminar.registration(mine.sponsor), RegistrationStatus.NO_SHOW, actor=seminar.organiser
        )
        changed = me.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and mine.sponsor.full_name not in changed.content.decode()


def test_a_no_show_elsewhere_leaves_my_agendas_meetings_kept(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    from serendip.web import attendee

    rendered: list[int] = []
    real = attendee.render_agenda_part
    monkeypatch.setattr(
        attendee, "render_agenda_part", lambda *a, **k: rendered.append(1) or real(*a, **k)
    )
    first_round = seminar.event.rounds.order_by("number").first()
    mine = seminar.event.meetings.filter(round=first_round).first()
    stranger = seminar.event.meetings.exclude(boss=mine.boss).order_by("round__number").first().boss
    me = signed_in(mine.boss.user)
    url = reverse("agenda", args=[seminar.event.slug])
    with time_machine.travel(first_round.start - dt.timedelta(hours=1), tick=False):
        first = me.get(url)
        assert rendered == [1] and f'id="meeting-{mine.pk}"' in first.content.decode()
        set_attendance(
            seminar.registration(stranger), RegistrationStatus.NO_SHOW, actor=seminar.organiser
        )
        # The page is sent again (a programme change may move my meal tables), but my
        # meetings, unchanged, are not rendered again.
        again = me.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 200 and rendered == [1]
        assert f'id="meeting-{mine.pk}"' in again.content.decode()
        set_attendance(
            seminar.registration(mine.sponsor), RegistrationStatus.NO_SHOW, actor=seminar.organiser
        )
        changed = me.get(url)
    assert rendered == [1, 1] and f'id="meeting-{mine.pk}"' not in changed.content.decode()
