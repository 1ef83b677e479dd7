"""What a background job does with its run's row (a planning run, a seating run) as it works:
take it, say how far it is, and stop when the run was given up meanwhile."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from serendip.programme.models import BackgroundRun

Status = BackgroundRun.Status


class GivenUp(Exception):
    """The run was given up as dead while its job still worked: the job's result is dropped."""


def language_of(user: Any) -> str | None:
    """The language of the organiser who asked for the run (the job has no request)."""
    member = getattr(user, "member", None)
    return getattr(member, "language", None)


def claim(model: type[BackgroundRun], run_id: int, first_step: str) -> bool:
    """Take a waiting run; False when it was taken already or given up while it waited."""
    taken = model._default_manager.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, progress=5, step=first_step, heartbeat=timezone.now()
    )
    return taken == 1


def step(run: BackgroundRun, progress: int, step: str) -> None:
    """Record the run's progress and a sign of life; raise GivenUp if it was given up."""
    moved = (
        type(run)
        ._default_manager.filter(pk=run.pk, status=Status.RUNNING)
        .update(progress=progress, step=step, heartbeat=timezone.now())
    )
    if not moved:
        raise GivenUp
    run.progress, run.step = progress, step
