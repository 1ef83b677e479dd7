"""``/healthz``: is the database answering, and can jobs be queued? 200 when both, else 503.

Load balancers, systemd watchdogs and container orchestrators poll it without signing in: it
says only "ok" or what is failing, never data of the club.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
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


def queue_ok() -> bool:
    """The task backend can take jobs: the database queue's table is readable."""
    try:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    except Exception:
        logger.exception("health: the task backend cannot be loaded")
        return False
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        try:
            DBTaskResult.objects.exists()
        except DatabaseError:
            logger.exception("health: the job queue's table cannot be read")
            return False
    # The in-process backends (immediate, dummy) have nothing that could be down.
    return True


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 ``{"status": "ok", ...}`` when the database and the queue answer, else 503."""
    checks = {"database": database_ok(), "queue": queue_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "failing",
        **{name: "ok" if passed else "failing" for name, passed in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
