"""Background jobs of the programme: planning an event, with progress the page can poll.

Jobs go through django-tasks: by default they run at once in the web process
(the demo and tests); production points ``SERENDIP_TASKS_BACKEND`` at a real
queue with separate workers, and the page then shows the bar moving.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from serendip.engines.checks import ProblemError
from serendip.engines.meetings import solve
from serendip.events.models import Event
from serendip.events.services import User, log
from serendip.programme.models import PlanningRun
from serendip.programme.planning import programme_of, save_plan


def _step(run: PlanningRun, progress: int, step: str) -> None:
    run.status, run.progress, run.step = PlanningRun.Status.RUNNING, progress, step
    run.save(update_fields=["status", "progress", "step"])


@task()
def plan_programme(run_id: int) -> None:
    """Plan the run's event from its preferences; the run records progress and figures."""
    run = PlanningRun.objects.select_related("event", "started_by").get(pk=run_id)
    try:
        _step(run, 10, "reading preferences")
        programme = programme_of(run.event)
        _step(run, 30, "planning")
        plan = solve(programme.problem, time_limit=settings.SERENDIP_PLANNING_SECONDS, seed=0)
        _step(run, 90, "saving")
        save_plan(run.event, plan, programme, actor=run.started_by)
    except ProblemError as exc:
        run.status, run.error, run.finished = PlanningRun.Status.FAILED, str(exc), timezone.now()
        run.save()
        log(run.event, run.started_by, "plan failed", str(exc))
        return
    s = plan.stats
    run.status, run.progress, run.step = PlanningRun.Status.DONE, 100, "done"
    run.meetings, run.value, run.upper_bound = s.meetings, s.value, s.upper_bound
    run.below_min, run.finished = len(s.below_min), timezone.now()
    run.save()


def start_planning(event: Event, *, actor: User) -> PlanningRun:
    """Queue a planning run for the event, unless one is already waiting or running."""
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        busy = event.planning_runs.filter(
            status__in=[PlanningRun.Status.QUEUED, PlanningRun.Status.RUNNING]
        ).first()
        if busy is not None:
            return busy
        run = PlanningRun.objects.create(
            event=event, started_by=actor if actor and actor.is_authenticated else None
        )
        log(event, actor, "plan requested")
    plan_programme.enqueue(run.pk)
    run.refresh_from_db()
    return run
