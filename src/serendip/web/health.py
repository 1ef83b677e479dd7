"""``/healthz``: is the database answering, and can jobs be queued? 200 when both, else 503.
And are the workers taking the jobs (``workers``: "ok" or "late")?

Load balancers, systemd watchdogs and container orchestrators poll it without signing in: it
says only "ok" or what is failing, never data of the club.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    """The database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("health: the database does not answer")
        return False


def _database_queue() -> bool:
    """Whether jobs wait in the database queue for workers (not run in the web process)."""
    return type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__module__.startswith("django_tasks_db")


def queue_ok() -> bool:
    """The task backend can take jobs: the database queue's table is readable."""
    try:
        database_queue = _database_queue()
    except Exception:
        logger.exception("health: the task backend cannot be loaded")
        return False
    if database_queue:
        from django_tasks_db.models import DBTaskResult

        try:
            DBTaskResult.objects.exists()
        except DatabaseError:
            logger.exception("health: the job queue's table cannot be read")
            return False
    # The in-process backends (immediate, dummy) have nothing that could be down.
    return True


def workers_late() -> bool:
    """A job has waited in the queue, due, for longer than ``SERENDIP_WORKERS_LATE_SECONDS``
    (120 by default): no worker is taking jobs (none running, or all stuck)."""
    if not _database_queue():
        return False  # jobs run in the web process: there are no workers to be late
    from django_tasks_db.models import DBTaskResult, get_date_max

    due_since = timezone.now() - dt.timedelta(seconds=settings.SERENDIP_WORKERS_LATE_SECONDS)
    waiting = DBTaskResult.objects.ready().filter(
        Q(run_after=get_date_max(), enqueued_at__lt=due_since) | Q(run_after__lt=due_since)
    )
    try:
        return waiting.exists()
    except DatabaseError:
        return False  # said by queue_ok


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ok", ...}`` when the database and the queue answer, else 503.

    Late workers (``"workers": "late"``) make the status "degraded" but keep the 200: the web
    server itself serves, and a load balancer must not take it out of the rotation for that.
    """
    checks = {"database": database_ok(), "queue": queue_ok()}
    healthy = all(checks.values())
    late = healthy and workers_late()
    body = {
        "status": ("degraded" if late else "ok") if healthy else "failing",
        **{name: "ok" if passed else "failing" for name, passed in checks.items()},
        "workers": ("late" if late else "ok") if healthy else "unknown",
    }
    return JsonResponse(body, status=200 if healthy else 503)
