"""Jobs whose worker died: given back to the queue once, then recorded as failed.

django-tasks-db marks a job "running" when a worker takes it and "successful" or "failed"
when that worker finishes it; a worker killed in between (out of memory, a machine lost,
``kill -9``) leaves the row "running" for ever, and a periodic job's claim for its period
(``PeriodicRun``) unfinished, so the period would never be sent. After
``SERENDIP_JOB_TIMEOUT_SECONDS`` (longer than any job runs: 30 minutes by default) such a job
goes back to the queue for another worker; lost a second time it is recorded as failed, so that
a job that kills its worker cannot take the workers down one after the other. ``serendip
periodic`` and every worker, as it starts, sweep.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from serendip.web.models import PeriodicRun

logger = logging.getLogger(__name__)

# How many workers may lose a job before it is recorded as failed.
ATTEMPTS = 2


class LostJob(Exception):
    """The worker running the job stopped before finishing it (recorded as the job's error)."""


@dataclass(frozen=True)
class Swept:
    """What one sweep did."""

    requeued: int
    failed: int
    claims_released: int


def job_timeout() -> dt.timedelta:
    """How long a job may run before its worker counts as dead."""
    seconds = getattr(settings, "SERENDIP_JOB_TIMEOUT_SECONDS", None)
    if seconds is None:
        seconds = float(os.environ.get("SERENDIP_JOB_TIMEOUT_SECONDS", "1800"))
    return dt.timedelta(seconds=float(seconds))


def give_up_lost_jobs(now: dt.datetime | None = None) -> Swept:
    """Requeue (or, lost twice, fail) the jobs running for longer than the time-out."""
    now = now or timezone.now()
    cutoff = now - job_timeout()
    requeued = failed = 0
    for job in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        # Each change is conditional on the row as read: two sweepers (periodic on two
        # machines, a worker starting) never both requeue or fail the same job.
        same = DBTaskResult.objects.filter(
            pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at
        )
        if len(job.worker_ids) < ATTEMPTS:
            if same.update(status=TaskResultStatus.READY):
                requeued += 1
                logger.warning(
                    "job %s (%s) lost by worker %s: queued again",
                    job.pk,
                    job.task_name,
                    job.worker_ids[-1] if job.worker_ids else "-",
                )
            continue
        lost = LostJob(
            f"lost by {len(job.worker_ids)} workers ({', '.join(job.worker_ids)}): each stopped "
            f"answering for more than {job_timeout().total_seconds():.0f} s"
        )
        if same.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{LostJob.__module__}.{LostJob.__qualname__}",
            traceback=f"{LostJob.__qualname__}: {lost}",
        ):
            failed += 1
            logger.error("job %s (%s) %s: failed", job.pk, job.task_name, lost)
    # A periodic job's claim left unfinished by a dead worker: the period is free again.
    released, _ = PeriodicRun.objects.filter(finished__isnull=True, claimed__lt=cutoff).delete()
    return Swept(requeued=requeued, failed=failed, claims_released=released)
