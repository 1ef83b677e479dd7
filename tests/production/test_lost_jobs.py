"""A worker killed mid-job leaves its queue row "running": after the time-out the job goes back
to the queue and another worker finishes it; lost twice, it is recorded as failed; a periodic
job's unfinished claim is given back so that its period is sent after all."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from serendip.web import periodic
from serendip.web.lost_jobs import give_up_lost_jobs
from serendip.web.models import PeriodicRun

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE
    settings.SERENDIP_JOB_TIMEOUT_SECONDS = 600


def taken_by_a_worker_that_died(worker: str, minutes_ago: float) -> DBTaskResult:
    """A job claimed by ``worker`` that started ``minutes_ago`` and never finished."""
    result = periodic.introduction_clock.using(backend="default").enqueue()
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim(worker)
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    job.refresh_from_db()
    return job


# The worker opens its own exclusive transactions (as in production): no test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_job_lost_by_its_worker_is_queued_again_and_finished_by_another(queue) -> None:
    lost = taken_by_a_worker_that_died("killed-worker", minutes_ago=11)
    recent = taken_by_a_worker_that_died("busy-worker", minutes_ago=9)  # may still be working
    # The next worker sweeps as it starts, then runs what is ready.
    call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "new-worker")
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == TaskResultStatus.SUCCESSFUL
    assert lost.worker_ids == ["killed-worker", "new-worker"]
    assert recent.status == TaskResultStatus.RUNNING and recent.worker_ids == ["busy-worker"]


def test_a_job_lost_twice_is_recorded_as_failed_not_tried_for_ever(queue) -> None:
    job = taken_by_a_worker_that_died("first", minutes_ago=30)
    assert give_up_lost_jobs().requeued == 1
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY
    job.claim("second")
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=11)
    )
    swept = give_up_lost_jobs()
    assert (swept.requeued, swept.failed) == (0, 1)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED and job.finished_at is not None
    assert job.exception_class_path == "serendip.web.lost_jobs.LostJob"
    assert "first, second" in job.traceback
    assert give_up_lost_jobs() == give_up_lost_jobs().__class__(0, 0, 0)  # nothing left to do


def test_periodic_releases_a_dead_workers_claim_so_the_period_is_sent(queue) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=2)
    PeriodicRun.objects.create(job=periodic.DIGEST, period="2031-W20", claimed=long_ago)
    PeriodicRun.objects.create(
        job=periodic.DIGEST, period="2031-W19", claimed=long_ago, finished=long_ago
    )
    taken_by_a_worker_that_died("killed-worker", minutes_ago=60)
    lines = periodic.run_periodic()
    assert "lost jobs: 1 queued again, 0 failed, 1 periodic claims released" in lines
    assert list(PeriodicRun.objects.values_list("period", flat=True)) == ["2031-W19"]
    assert periodic.claim(periodic.DIGEST, "2031-W20")  # the next run may send it
