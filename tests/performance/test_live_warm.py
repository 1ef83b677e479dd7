"""The now parts after a gong are rendered ahead by a queue worker, and a rating is sent in
place: the two waves that follow each gong cost the servers no page renders."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse
from django_tasks import task_backends

from serendip.events.models import Event, RegistrationStatus
from serendip.events.services import set_attendance
from serendip.programme.models import Meeting, PlanningRun
from serendip.programme.planning import publish
from serendip.programme.tasks import plan_programme, start_replanning, warm_event_briefs
from serendip.web import attendee, live
from serendip.web import tasks as web_tasks
from serendip.web.tasks import warm_now_parts
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import Seminar, build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db
DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def seminar() -> Seminar:
    seminar = build_seminar(bosses=4, sponsors=2, rounds=3, tables=2)
    plan_beforehand(seminar)
    publish(seminar.event, actor=UserFactory(is_staff=True, is_superuser=True))
    return seminar


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many now parts and agenda meetings the pages rendered themselves."""
    counted: list[int] = []
    real_now, real_agenda = attendee._now_part, attendee.render_agenda_part

    def counting_now(request, slug, csrf_token):
        counted.append(1)
        return real_now(request, slug, csrf_token)

    def counting_agenda(event, member, *, now):
        counted.append(2)
        return real_agenda(event, member, now=now)

    monkeypatch.setattr(attendee, "_now_part", counting_now)
    monkeypatch.setattr(attendee, "render_agenda_part", counting_agenda)
    return counted


def test_the_first_reader_asks_a_worker_for_the_parts_after_the_next_gong(
    seminar: Seminar, settings
) -> None:
    settings.TASKS = DUMMY_QUEUE
    settings.SERENDIP_WARM_AHEAD_SECONDS = 40
    first, second = seminar.event.rounds.order_by("number")[:2]
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    boss, other = seminar.bosses[0], seminar.bosses[1]
    with time_machine.travel(first.start + dt.timedelta(minutes=1), tick=False):
        signed_in(boss.user).get(url)
        # The desk marks a no-show (the programme's version moves), a second reader comes:
        # the parts after the gong are asked for once.
        version = Event.objects.get(pk=seminar.event.pk).programme_version
        set_attendance(
            seminar.registration(seminar.bosses[3]),
            RegistrationStatus.NO_SHOW,
            actor=UserFactory(is_staff=True, is_superuser=True),
        )
        assert Event.objects.get(pk=seminar.event.pk).programme_version > version
        signed_in(other.user).get(url)
    queued = [r for r in task_backends["default"].results if r.task.name == "warm_now_parts"]
    assert len(queued) == 1
    assert queued[0].args == [seminar.event.pk, first.end.isoformat()]
    assert queued[0].task.run_after == first.end - dt.timedelta(seconds=40)
    assert first.end <= second.start


def test_parts_rendered_ahead_are_served_after_the_gong_without_a_render(
    seminar: Seminar, renders: list[int]
) -> None:
    first = seminar.event.rounds.order_by("number").first()
    meeting = Meeting.objects.filter(round=first).select_related("boss", "sponsor").first()
    boss = meeting.boss
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    with time_machine.travel(first.end - dt.timedelta(seconds=40), tick=False):
        made = warm_now_parts.call(seminar.event.pk, first.end.isoformat())
    # A now part and an agenda's meetings per attendee.
    assert made == 2 * seminar.event.registrations.count()
    with time_machine.travel(first.end + dt.timedelta(seconds=5), tick=False):
        poll = signed_in(boss.user).get(url)
        page = signed_in(boss.user).get(url.replace("?part=live", ""))
        agenda = signed_in(boss.user).get(reverse("agenda", args=[seminar.event.slug]))
    assert renders == []
    # The agenda as at the gong: the meeting just held offers to record what came of it.
    assert f"?meeting={meeting.pk}" in agenda.content.decode()
    # Rendered as at the gong: the meeting just held is one to rate, with a working form.
    assert f'id="rate-{meeting.pk}"' in poll.content.decode()
    assert f'id="rate-{meeting.pk}"' in page.content.decode()
    assert live.CSRF_PLACEHOLDER not in poll.content.decode()
    # A second run finds every part kept and renders nothing again.
    with time_machine.travel(first.end - dt.timedelta(seconds=30), tick=False):
        assert warm_now_parts.call(seminar.event.pk, first.end.isoformat()) == 0


def test_a_part_rendered_ahead_speaks_each_members_language(
    seminar: Seminar, renders: list[int]
) -> None:
    first = seminar.event.rounds.order_by("number").first()
    meeting = Meeting.objects.filter(round=first).select_related("boss").first()
    meeting.boss.language = "fr"
    meeting.boss.save(update_fields=["language"])
    with time_machine.travel(first.end - dt.timedelta(seconds=40), tick=False):
        warm_now_parts.call(seminar.event.pk, first.end.isoformat())
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    with time_machine.travel(first.end + dt.timedelta(seconds=5), tick=False):
        poll = signed_in(meeting.boss.user).get(url).content.decode()
    assert renders == []
    assert "Comment c'était ?" in poll and "How was it?" not in poll


def test_a_rating_sent_in_place_answers_in_json_and_renders_no_page(
    seminar: Seminar, renders: list[int]
) -> None:
    first = seminar.event.rounds.order_by("number").first()
    meeting = Meeting.objects.filter(round=first).select_related("boss").first()
    client = signed_in(meeting.boss.user)
    url = reverse("rate", args=[seminar.event.slug, meeting.pk])
    json = {"HTTP_ACCEPT": "application/json"}
    with time_machine.travel(first.end + dt.timedelta(seconds=5), tick=False):
        wrong = client.post(url, {"colour": "purple"}, **json)
        answer = client.post(url, {"colour": "green", "note": "call back"}, **json)
    assert wrong.status_code == 400 and "Choose red, orange or green" in wrong.json()["error"]
    assert answer.status_code == 200
    assert answer.json()["colour"] == "green" and answer.json()["label"] == "Green"
    assert "rating is saved" in answer.json()["message"]
    assert meeting.ratings.get(rater=meeting.boss).note == "call back"
    assert renders == []


def test_a_rating_refused_in_place_says_why_with_a_conflict(seminar: Seminar) -> None:
    later = seminar.event.rounds.order_by("-number").first()
    meeting = Meeting.objects.filter(round=later).select_related("boss").first()
    client = signed_in(meeting.boss.user)
    url = reverse("rate", args=[seminar.event.slug, meeting.pk])
    with time_machine.travel(later.start - dt.timedelta(minutes=5), tick=False):
        answer = client.post(url, {"colour": "green"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 409 and answer.json()["error"]
    assert not meeting.ratings.exists()


def test_a_programme_change_asks_once_for_the_parts_as_they_are_now(
    seminar: Seminar, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = DUMMY_QUEUE
    settings.SERENDIP_WARM_AFTER_CHANGE_SECONDS = 3
    first = seminar.event.rounds.order_by("number").first()
    organiser = UserFactory(is_staff=True, is_superuser=True)
    backend = task_backends["default"]
    backend.clear()
    with time_machine.travel(first.start + dt.timedelta(minutes=1), tick=False):
        # The desk marks two no-shows in a row: one job, after the burst.
        for boss in seminar.bosses[2:4]:
            with django_capture_on_commit_callbacks(execute=True):
                set_attendance(
                    seminar.registration(boss), RegistrationStatus.NO_SHOW, actor=organiser
                )
        asked_at = dt.datetime.now(dt.UTC)
    queued = [r for r in backend.results if r.task.name == "warm_now_parts"]
    assert len(queued) == 1 and queued[0].args == [seminar.event.pk, ""]
    assert queued[0].task.run_after == asked_at + dt.timedelta(seconds=3)


def test_the_parts_as_they_are_now_are_rendered_only_on_the_seminars_day(
    seminar: Seminar, renders: list[int]
) -> None:
    first = seminar.event.rounds.order_by("number").first()
    meeting = Meeting.objects.filter(round=first).select_related("boss").first()
    with time_machine.travel(first.start - dt.timedelta(days=2), tick=False):
        assert warm_now_parts.call(seminar.event.pk, "") == 0
    with time_machine.travel(first.start + dt.timedelta(minutes=1), tick=False):
        made = warm_now_parts.call(seminar.event.pk, "")
        assert made == 2 * seminar.event.registrations.count()
        url = reverse("now", args=[seminar.event.slug])
        page = signed_in(meeting.boss.user).get(url).content.decode()
    assert renders == []
    assert f'id="meeting-{meeting.pk}"' in page  # the meeting under way, shown from the part


def test_a_run_that_finds_another_at_work_comes_back_later_and_renders_nothing(
    seminar: Seminar, settings, renders: list[int]
) -> None:
    settings.TASKS = DUMMY_QUEUE
    backend = task_backends["default"]
    backend.clear()
    first = seminar.event.rounds.order_by("number").first()
    mark = f"serendip:warming-now:{seminar.event.pk}"
    with time_machine.travel(first.start + dt.timedelta(minutes=1), tick=False):
        caches["marks"].add(mark, True)  # another worker at work
        assert warm_now_parts.call(seminar.event.pk, first.end.isoformat()) == 0
        asked_at = dt.datetime.now(dt.UTC)
        caches["marks"].delete(mark)
        assert warm_now_parts.call(seminar.event.pk, first.end.isoformat()) > 0
    again = [r for r in backend.results if r.task.name == "warm_now_parts"]
    assert len(again) == 1 and again[0].args == [seminar.event.pk, first.end.isoformat()]
    assert again[0].task.run_after == asked_at + dt.timedelta(seconds=2)


def test_a_poll_served_from_the_parts_rendered_ahead_asks_for_the_next_gong(
    seminar: Seminar, settings, renders: list[int]
) -> None:
    first, second = seminar.event.rounds.order_by("number")[:2]
    meeting = Meeting.objects.filter(round=first).select_related("boss").first()
    with time_machine.travel(first.end - dt.timedelta(seconds=40), tick=False):
        warm_now_parts.call(seminar.event.pk, first.end.isoformat())
    settings.TASKS = DUMMY_QUEUE
    task_backends["default"].clear()
    url = reverse("now", args=[seminar.event.slug]) + "?part=live"
    with time_machine.travel(first.end + dt.timedelta(seconds=5), tick=False):
        assert signed_in(meeting.boss.user).get(url).status_code == 200
    assert renders == []  # nobody rendered, and yet the chain goes on
    queued = [r for r in task_backends["default"].results if r.task.name == "warm_now_parts"]
    # The next change by the clock: the second round starts (or ends, if back to back).
    after = min(t for t in (second.start, second.end) if t > first.end + dt.timedelta(seconds=5))
    assert [r.args for r in queued] == [[seminar.event.pk, after.isoformat()]]


def test_the_whole_page_is_kept_and_each_reader_gets_their_own_token(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages: list[int] = []
    real = attendee._now_page
    monkeypatch.setattr(attendee, "_now_page", lambda *a: pages.append(1) or real(*a))
    first = seminar.event.rounds.order_by("number").first()
    meeting = Meeting.objects.filter(round=first).select_related("boss").first()
    url = reverse("now", args=[seminar.event.slug])
    with time_machine.travel(first.end + dt.timedelta(seconds=5), tick=False):
        phone, laptop = signed_in(meeting.boss.user), signed_in(meeting.boss.user)
        one, two = phone.get(url).content.decode(), laptop.get(url).content.decode()
    assert pages == [1]
    assert f'id="rate-{meeting.pk}"' in two and "Sign out" in two
    assert live.CSRF_PLACEHOLDER not in two
    token = 'name="csrfmiddlewaretoken" value="'
    assert one.split(token)[1][:64] != two.split(token)[1][:64]


def test_the_warm_up_explains_the_whole_programme_in_one_batch_first(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    from serendip.programme import briefing

    batches: list[int] = []
    real = briefing.meeting_briefs

    def counting(pairs, *, index=None):
        batches.append(len(pairs))
        return real(pairs, index=index)

    monkeypatch.setattr(briefing, "meeting_briefs", counting)
    cache.clear()  # nothing explained yet, as on a server started with an empty cache
    first = seminar.event.rounds.order_by("number").first()
    with time_machine.travel(first.end - dt.timedelta(seconds=40), tick=False):
        warm_now_parts.call(seminar.event.pk, first.end.isoformat())
    # Each meeting is explained from both sides, all in one batch before any part renders.
    assert batches == [2 * seminar.event.meetings.count()]


def test_the_warm_up_leaves_the_clubs_index_built_for_the_servers(
    seminar: Seminar, settings, tmp_path
) -> None:
    from serendip.members import recommendations
    from serendip.members.models import Connection

    settings.SERENDIP_INDEX_DIR = str(tmp_path / "index")
    first = seminar.event.rounds.order_by("number").first()
    with time_machine.travel(first.end - dt.timedelta(seconds=40), tick=False):
        warm_now_parts.call(seminar.event.pk, first.end.isoformat())  # every pair explained
    # Two greens at the gong: a new connection, a new state of the club; every pair of the
    # programme is explained already, so only the index needs the change.
    Connection.objects.create(member_a=seminar.bosses[0], member_b=seminar.sponsors[1])
    recommendations._cache.clear()  # a worker started afresh (no minute of grace)
    with time_machine.travel(first.end + dt.timedelta(seconds=20), tick=False):
        warm_now_parts.call(seminar.event.pk, "")
        name = recommendations._digest(recommendations._community())
    # A server process asking for the index now loads this file instead of building it.
    assert (tmp_path / "index" / f"club-{name}.pickle").exists()


def test_a_replan_is_done_once_the_moved_attendees_pages_are_ready(
    seminar: Seminar, settings, renders: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # After a re-plan the moved attendees' phones read their pages at once (the benchmark's
    # 81 agendas at 450 attendees): rendered by the re-planning job, before it says "done".
    settings.TASKS = DUMMY_QUEUE
    first, second = seminar.event.rounds.order_by("number")[:2]
    organiser = UserFactory(is_staff=True, is_superuser=True)
    absent = seminar.sponsors[0]
    seen: list[str] = []
    real = web_tasks._render_all

    def watching(event, moment, *, members=None):
        seen.append(PlanningRun.objects.get(pk=run.pk).status)
        return real(event, moment, members=members)

    monkeypatch.setattr(web_tasks, "_render_all", watching)
    with time_machine.travel(first.start + dt.timedelta(minutes=1), tick=False):
        set_attendance(seminar.registration(absent), RegistrationStatus.NO_SHOW, actor=organiser)
        run = start_replanning(seminar.event, second, actor=organiser)
        plan_programme.call(run.pk)
        run.refresh_from_db()
        assert run.status == PlanningRun.Status.DONE, run.error
        assert seen == [PlanningRun.Status.RUNNING]  # rendered before the run said "done"
        moved = Meeting.objects.filter(round__number__gte=2).exclude(sponsor=absent)
        boss = moved.select_related("boss").first().boss
        agenda = signed_in(boss.user).get(reverse("agenda", args=[seminar.event.slug]))
        poll = signed_in(boss.user).get(reverse("now", args=[seminar.event.slug]) + "?part=live")
    assert agenda.status_code == poll.status_code == 200
    assert renders == []
    assert run.people_told >= 1


def test_a_warm_up_gives_way_to_a_more_urgent_job_and_comes_back_behind_it(
    seminar: Seminar, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 450 attendees a warm-up runs 10-20 s: a re-plan queued meanwhile waited for it, and
    # reached the phones after the 15 s of the target.
    settings.TASKS = DUMMY_QUEUE
    backend = task_backends["default"]
    backend.clear()
    first = seminar.event.rounds.order_by("number").first()
    monkeypatch.setattr(web_tasks, "_urgent_job_waiting", lambda: True)
    with time_machine.travel(first.start + dt.timedelta(minutes=1), tick=False):
        assert warm_now_parts.call(seminar.event.pk, "") == 0
    again = [r for r in backend.results if r.task.name == "warm_now_parts"]
    assert len(again) == 1 and again[0].args == [seminar.event.pk, ""]
    monkeypatch.setattr(web_tasks, "_urgent_job_waiting", lambda: False)
    with time_machine.travel(first.start + dt.timedelta(minutes=1), tick=False):
        # It left nothing busy behind: the run that comes back renders every part.
        assert warm_now_parts.call(seminar.event.pk, "") == 2 * seminar.event.registrations.count()


def test_only_a_job_more_urgent_than_the_warm_up_counts_as_waiting(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert not web_tasks._urgent_job_waiting()
    # Other jobs that prepare pages ahead wait: no reason to stop (each check-in at the desk
    # asks for the briefs again, and a warm-up that gave way to them never reached the gong).
    warm_now_parts.enqueue(0, "")
    warm_event_briefs.enqueue(0)
    assert not web_tasks._urgent_job_waiting()
    plan_programme.enqueue(0)  # a re-plan waits
    assert web_tasks._urgent_job_waiting()


def test_a_worker_starting_during_the_seminar_asks_for_the_next_gongs_parts_once(
    seminar: Seminar, settings
) -> None:
    # The benchmark's server and workers start 40 s before the room's first poll: asked by
    # that poll, the parts of the first gong had 20 s to be rendered instead of 40.
    settings.TASKS = DUMMY_QUEUE
    settings.SERENDIP_WARM_AHEAD_SECONDS = 40
    backend = task_backends["default"]
    backend.clear()
    first = seminar.event.rounds.order_by("number").first()
    during = first.start + dt.timedelta(minutes=2)
    phone = signed_in(seminar.bosses[0].user)  # signed in before: a sign-in edits the profile
    assert live.warm_gongs_under_way(now=first.start - dt.timedelta(days=1)) == 0  # not the day
    with time_machine.travel(during, tick=False):
        assert live.warm_gongs_under_way() == 1
        assert live.warm_gongs_under_way() == 0  # the second worker finds it asked
        # The room's first poll finds the gong asked for: no second run walks the room.
        url = reverse("now", args=[seminar.event.slug]) + "?part=live"
        assert phone.get(url).status_code == 200
    queued = [r for r in backend.results if r.task.name == "warm_now_parts"]
    assert len(queued) == 1
    assert queued[0].args == [seminar.event.pk, first.end.isoformat()]
    assert queued[0].task.run_after == first.end - dt.timedelta(seconds=40)


def test_a_run_that_finds_every_part_kept_reads_each_attendee_once(
    seminar: Seminar, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = seminar.event.rounds.order_by("number").first()
    with time_machine.travel(first.end - dt.timedelta(seconds=40), tick=False):
        assert warm_now_parts.call(seminar.event.pk, first.end.isoformat()) > 0
        reads: list[int] = []
        real = live.attending_of
        monkeypatch.setattr(live, "attending_of", lambda s, u: reads.append(u) or real(s, u))
        assert warm_now_parts.call(seminar.event.pk, first.end.isoformat()) == 0
    assert len(reads) == seminar.event.registrations.count()


def replan_without(seminar: Seminar, sponsor, organiser) -> PlanningRun:
    """A minute into the first round, mark a sponsor absent and re-plan from the second."""
    first, second = seminar.event.rounds.order_by("number")[:2]
    with time_machine.travel(first.start + dt.timedelta(minutes=1), tick=False):
        set_attendance(seminar.registration(sponsor), RegistrationStatus.NO_SHOW, actor=organiser)
        run = start_replanning(seminar.event, second, actor=organiser)
        try:
            plan_programme.call(run.pk)
        finally:
            run.refresh_from_db()
    return run


@pytest.mark.parametrize(
    "stop", [RuntimeError("a template error"), SystemExit(1)], ids=["error", "worker stopped"]
)
def test_a_replan_whose_pages_are_not_rendered_ahead_is_still_done(
    seminar: Seminar, settings, monkeypatch: pytest.MonkeyPatch, stop: BaseException
) -> None:
    # The plan is saved and the letters queued: the organiser must not read "failed", whether
    # rendering the moved attendees' pages failed or the worker was stopped (a forced shutdown)
    # while it rendered them.
    settings.TASKS = DUMMY_QUEUE
    organiser = UserFactory(is_staff=True, is_superuser=True)

    def stopped(event, moment, *, members=None):
        raise stop

    monkeypatch.setattr(web_tasks, "_render_all", stopped)
    if isinstance(stop, SystemExit):
        with pytest.raises(SystemExit):  # the worker's own stop goes on up
            replan_without(seminar, seminar.sponsors[0], organiser)
    else:
        replan_without(seminar, seminar.sponsors[0], organiser)
    run = seminar.event.planning_runs.first()  # the latest: the re-plan
    assert run.status == PlanningRun.Status.DONE and run.is_saved, run.error
    assert run.people_told is not None and not run.error
    assert not Meeting.objects.filter(sponsor=seminar.sponsors[0], round__number__gte=2).exists()


def test_a_saved_replan_whose_worker_died_shows_done_and_is_cleared_as_done(
    seminar: Seminar, settings
) -> None:
    settings.TASKS = DUMMY_QUEUE
    first, second = seminar.event.rounds.order_by("number")[:2]
    organiser = UserFactory(is_staff=True, is_superuser=True)
    client = signed_in(organiser)
    run = replan_without(seminar, seminar.sponsors[0], organiser)
    # What a worker killed while rendering the pages leaves: saved, still "preparing".
    PlanningRun.objects.filter(pk=run.pk).update(
        status=PlanningRun.Status.RUNNING, progress=95, finished=None
    )
    later = first.start + dt.timedelta(
        minutes=1, seconds=settings.SERENDIP_PLANNING_STALE_SECONDS + 1
    )
    with time_machine.travel(later, tick=False):
        status = client.get(reverse("organise-run", args=[seminar.event.slug, run.pk])).json()
        assert status["status"] == "done" and status["done"] and not status["error"]
        set_attendance(
            seminar.registration(seminar.sponsors[1]), RegistrationStatus.NO_SHOW, actor=organiser
        )
        again = start_replanning(seminar.event, second, actor=organiser)
    assert again.pk != run.pk  # the dead run no longer blocks re-planning
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.DONE and run.finished is not None and not run.error
