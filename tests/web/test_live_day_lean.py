"""The live day made lean (issue 20): briefs explained once for every process, a rating that
reads two registrations, the organiser's day page filtered and paged, the agenda's outcome links."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from serendip.engines.recommend import brief
from serendip.engines.recommend import briefs as many_briefs
from serendip.events.models import RegistrationStatus
from serendip.events.services import set_attendance
from serendip.members import recommendations
from serendip.members.recommendations import club_index
from serendip.members.services import are_connected
from serendip.programme import briefing
from serendip.programme.models import Meeting, Rating
from serendip.programme.planning import publish
from serendip.programme.services import CannotRate, rate
from serendip.web import organise
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import Seminar, build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar() -> Seminar:
    seminar = build_seminar(bosses=6, sponsors=3, rounds=4, tables=3)
    plan_beforehand(seminar)
    publish(seminar.event, actor=UserFactory(is_staff=True, is_superuser=True))
    return seminar


def signed_in(member) -> Client:
    client = Client()
    assert client.login(username=member.user.username, password=PASSWORD)
    return client


def test_the_batch_of_briefs_says_what_one_brief_at_a_time_says(seminar: Seminar) -> None:
    index = club_index()
    ids = [p.id for p in index.profiles]
    pairs = [(a, b) for a in ids[:5] for b in ids[5:9]] + [("nobody", ids[0])]
    together = many_briefs(index, pairs)
    assert ("nobody", ids[0]) not in together
    assert together == {pair: brief(index, *pair) for pair in pairs[:-1]}


def test_a_pair_explained_once_is_read_by_every_process(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[int, int]] = []
    original = briefing.meeting_briefs

    def counting(pairs, *, index=None):
        asked.extend(pairs)
        return original(pairs, index=index)

    monkeypatch.setattr(briefing, "meeting_briefs", counting)
    boss = seminar.bosses[0]
    first = briefing.briefs(seminar.event, boss)
    assert asked and {b.other.pk for b in first} == {other for _me, other in asked}
    asked.clear()
    recommendations._memo.clear()  # another process: its own memo is empty, the cache is shared
    again = briefing.briefs(seminar.event, boss)
    assert asked == []
    assert [(b.reason, b.icebreakers) for b in again] == [(b.reason, b.icebreakers) for b in first]
    assert any(b.reason for b in again)


def test_the_warm_up_explains_every_pair_of_the_programme(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    meetings = Meeting.objects.filter(event=seminar.event).count()
    assert briefing.warm_briefs(seminar.event) == 2 * meetings
    assert briefing.warm_briefs(seminar.event) == 0  # already warmed: nothing to do again
    asked: list[tuple[int, int]] = []
    monkeypatch.setattr(briefing, "meeting_briefs", lambda pairs, index=None: asked.extend(pairs))
    for member in seminar.bosses + seminar.sponsors:
        briefing.briefs(seminar.event, member)
    assert asked == []


def test_a_rating_reads_the_two_registrations_and_keeps_the_rules(seminar: Seminar) -> None:
    first = seminar.event.rounds.get(number=1)
    meeting = Meeting.objects.filter(round=first).select_related("round").first()
    absent = Meeting.objects.filter(round=first).exclude(pk=meeting.pk).first()
    with time_machine.travel(first.end + dt.timedelta(minutes=1), tick=False):
        set_attendance(seminar.registration(absent.boss), RegistrationStatus.NO_SHOW, actor=None)
        with CaptureQueriesContext(connection) as queries:
            rate(meeting, meeting.boss, colour="green", note="", follow_up=False)
        read = [q["sql"] for q in queries if "events_registration" in q["sql"]]
        assert read and all('"member_id" IN (' in sql for sql in read)
        rate(meeting, meeting.sponsor, colour="green", note="", follow_up=False)
        with pytest.raises(CannotRate):
            rate(absent, absent.boss, colour="green", note="", follow_up=False)
        with pytest.raises(CannotRate):
            rate(absent, absent.sponsor, colour="green", note="", follow_up=False)
    assert Rating.objects.filter(meeting=meeting).count() == 2
    assert are_connected(meeting.boss, meeting.sponsor)  # two greens
    assert not Rating.objects.filter(meeting=absent).exists()


def test_the_agenda_offers_to_record_an_outcome_for_meetings_held_only(seminar: Seminar) -> None:
    boss = seminar.bosses[0]
    mine = list(Meeting.objects.filter(boss=boss).select_related("round").order_by("round__number"))
    assert len(mine) >= 2
    client = signed_in(boss)
    url = reverse("agenda", args=[seminar.event.slug])
    record = reverse("outcome-record")
    with time_machine.travel(mine[0].round.start - dt.timedelta(minutes=1), tick=False):
        before = client.get(url).content.decode()
    with time_machine.travel(mine[0].round.end + dt.timedelta(seconds=30), tick=False):
        after = client.get(url).content.decode()
    assert f"{record}?meeting={mine[0].pk}" not in before
    assert f"{record}?meeting={mine[0].pk}" in after
    assert f"{record}?meeting={mine[1].pk}" not in after


def test_the_day_page_is_filtered_and_paged_and_a_check_in_comes_back_to_it(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    organiser = UserFactory(is_staff=True)
    seminar.event.organisers.add(organiser)
    client = Client()
    assert client.login(username=organiser.username, password=PASSWORD)
    url = reverse("organise-day", args=[seminar.event.slug])
    monkeypatch.setattr(organise, "DAY_PAGE_SIZE", 4)
    everyone = seminar.bosses + seminar.sponsors
    first = client.get(url)
    assert first.context["page"].paginator.count == len(everyone)
    assert len(first.context["registrations"]) == 4
    assert 'rel="next"' in first.content.decode()
    sponsor = seminar.sponsors[1]
    found = client.get(url, {"q": sponsor.last_name})
    assert sponsor in [r.member for r in found.context["registrations"]]
    registration = seminar.registration(sponsor)
    answer = client.post(
        f"{url}?q={sponsor.last_name}",
        {"registration": registration.pk, "status": RegistrationStatus.CHECKED_IN},
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"{url}?q={sponsor.last_name}#registration-{registration.pk}"
    present = client.get(url, {"status": RegistrationStatus.CHECKED_IN})
    assert [r.member for r in present.context["registrations"]] == [sponsor]
    in_round = client.get(url, {"round": "1"})
    seated = set(
        Meeting.objects.filter(round__number=1, event=seminar.event).values_list("boss", "sponsor")
    )
    assert {r.member_id for r in in_round.context["page"].paginator.object_list} == {
        m for pair in seated for m in pair
    }
