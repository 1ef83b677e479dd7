"""Background jobs of the meals: seating a meal with the mixer, with progress the page can poll.

Like the programme's planning (``programme.tasks``), jobs go through django-tasks: at once in
the process that asks by default (the demo and tests), on the database queue with workers in
production. The mixer stops as soon as its plan reaches the bound (no seating can do better)
and otherwise uses its time limit; it reports how far it is, and every report is written with
a sign of life, so a run whose worker died is seen failed and seating again starts afresh.
"""

from __future__ import annotations

import logging
import math
import time

from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from serendip.engines.mixer import ProblemError
from serendip.events.services import PastIsFrozen, User, lock, log, signed_in
from serendip.meals.models import Meal, SeatingRun
from serendip.meals.refusals import refusal_in_words
from serendip.meals.services import (
    MealStats,
    SeatingOutdated,
    find_seating,
    refuse_if_history,
    save_seating,
)
from serendip.programme import runs
from serendip.programme.models import dead_run_message

logger = logging.getLogger(__name__)

Status = SeatingRun.Status

# The mixer's time for one meal (seconds): it stops earlier once no seating can do better.
SEATING_SECONDS = 5.0
# The share of the bar the mixer's search fills (the rest: reading the attendees, saving).
SEARCH_FROM, SEARCH_TO = 10, 90
# Progress is written at most this often (seconds): enough for a bar polled every second.
WRITE_EVERY = 0.5


class _Reporter:
    """The mixer's progress callback: the bar moves and the run beats while the mixer seats."""

    def __init__(self, run: SeatingRun) -> None:
        self.run = run
        self.last = -math.inf  # the first report is written at once

    def __call__(self, share: float) -> None:
        """Write the search's share of its time as the run's progress, now and then."""
        now = time.monotonic()
        progress = SEARCH_FROM + round(share * (SEARCH_TO - SEARCH_FROM))
        if now - self.last < WRITE_EVERY or progress <= self.run.progress:
            return
        self.last = now
        try:
            runs.step(self.run, progress, "seating")
        except DatabaseError:
            # A missed report is no failure: the next one may pass, and the run only counts
            # as dead after a long silence.
            logger.warning("seating run %s: progress not written", self.run.pk, exc_info=True)


def _still_ours(run: SeatingRun) -> None:
    """Inside the saving transaction: the event is locked, so the run cannot be given up now."""
    lock(run.meal.event)
    if not SeatingRun.objects.filter(pk=run.pk, status=Status.RUNNING).exists():
        raise runs.GivenUp


def _finish(run: SeatingRun, stats: MealStats) -> None:
    """Mark the run done with the seating's figures."""
    now = timezone.now()
    SeatingRun.objects.filter(pk=run.pk).update(
        status=Status.DONE,
        progress=100,
        step="done",
        new_pairs=stats.new_pairs,
        new_pairs_bound=stats.new_pairs_bound,
        known_together=stats.known_together,
        together=stats.together,
        broken_rules=stats.broken,
        warnings=list(stats.warnings),
        heartbeat=now,
        finished=now,
    )


def _fail(run: SeatingRun, message: str) -> None:
    """Mark the run failed with a message for the organiser (unless it was already given up)."""
    try:
        failed = SeatingRun.objects.filter(pk=run.pk, status__in=SeatingRun.BUSY).update(
            status=Status.FAILED, error=message, finished=timezone.now()
        )
        if failed:
            log(
                run.meal.event,
                run.started_by,
                "meal plan failed",
                f"{run.meal.name}: {message}",
                params={"meal": run.meal.name, "reason": message},
            )
    except DatabaseError:
        # The database itself is failing: the run stops beating and will count as dead.
        logger.exception("seating run %s: could not record its failure", run.pk)


def _seat(run: SeatingRun) -> None:
    """Seat the run's meal: read the attendees, let the mixer search, save the seating."""
    runs.step(run, SEARCH_FROM, "reading the attendees")
    seating = find_seating(run.meal, time_limit=SEATING_SECONDS, progress=_Reporter(run))
    runs.step(run, SEARCH_TO, "saving")
    with transaction.atomic():
        _still_ours(run)
        stats = save_seating(run.meal, seating, actor=run.started_by)
        _finish(run, stats)


@task()
def seat_meal(run_id: int) -> None:
    """Seat the run's meal with the mixer; the run records progress and figures.

    Whatever happens the run ends done or failed: the mixer's refusals and a meal that has
    become history are recorded in the organiser's words; unexpected errors are logged with
    their traceback and raised again, so the queue records the job as failed too.
    """
    run = (
        SeatingRun.objects.select_related("meal__event", "started_by__member")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        return  # its meal was deleted meanwhile
    with translation.override(runs.language_of(run.started_by) or translation.get_language()):
        if not runs.claim(SeatingRun, run_id, "starting"):
            logger.info("seating run %s: already taken or given up, nothing to do", run_id)
            return
        run.status = Status.RUNNING
        try:
            _seat(run)
        except runs.GivenUp:
            logger.warning("seating run %s was given up as dead while it worked", run_id)
        except ProblemError as refused:
            # The mixer speaks to programmers; the organiser reads the club's words.
            _fail(run, refusal_in_words(refused, run.meal.name))
        except (PastIsFrozen, SeatingOutdated) as refused:
            _fail(run, str(refused))
        except Exception:
            logger.exception("seating run %s failed", run_id)
            _fail(
                run,
                _(
                    "The planner stopped on an unexpected error; start again. If it happens "
                    "again, tell the site's administrator (the details are in the server's log)."
                ),
            )
            raise
        except BaseException:
            # The worker is being stopped: say so now rather than wait for the run to go stale.
            logger.warning("seating run %s: the worker stopped mid-run", run_id)
            _fail(run, dead_run_message(Status.RUNNING))
            raise


def _give_up_dead_runs(meal: Meal) -> None:
    """Mark the meal's dead runs failed (the caller holds the event's lock)."""
    for status in SeatingRun.BUSY:
        dead = meal.seating_runs.dead().filter(status=status)
        if not dead.exists():
            continue
        message = dead_run_message(status)
        # The filter is evaluated again by the update: a run that beat meanwhile is spared.
        if dead.update(status=Status.FAILED, error=message, finished=timezone.now()):
            log(
                meal.event,
                None,
                "meal plan failed",
                f"{meal.name}: {message}",
                params={"meal": meal.name, "reason": message},
            )


def start_seating(meal: Meal, *, actor: User) -> SeatingRun:
    """Queue a seating run for the meal, unless one is already waiting or running (that one).

    A run whose worker died (silent for ``SERENDIP_PLANNING_STALE_SECONDS``) does not block: it
    is marked failed and a new run starts. Raises PastIsFrozen for a meal that has started with
    people seated: who sat with whom is history.
    """
    with transaction.atomic():
        lock(meal.event)
        refuse_if_history(meal, None)
        _give_up_dead_runs(meal)
        busy = meal.seating_runs.busy().first()
        if busy is not None:
            return busy
        run = SeatingRun.objects.create(
            meal=meal, started_by=signed_in(actor), heartbeat=timezone.now()
        )
        log(meal.event, actor, "meal plan requested", meal.name, params={"meal": meal.name})
    seat_meal.enqueue(run.pk)
    run.refresh_from_db()
    return run
