"""Background jobs of the programme: planning an event, with progress the page can poll.

Jobs go through django-tasks: by default they run at once in the web process
(the demo and tests); production sets ``SERENDIP_TASKS_BACKEND`` to
``django_tasks_db.DatabaseBackend`` and runs workers (``serendip db_worker``), and the
page then shows the bar moving.

A run's progress lives in the database, so it outlives the process that works on it.
A worker can die mid-run (a restart, a time-out, out of memory): the run beats
(``PlanningRun.heartbeat``) at each step and every few seconds while the engine
searches, and a run silent for ``SERENDIP_PLANNING_STALE_SECONDS`` counts as dead:
the organiser sees it failed and planning again gives it up and starts afresh.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from serendip.engines.meetings import Plan, ProblemError, Stats, solve
from serendip.events.models import Event, Round
from serendip.events.services import (
    PastIsFrozen,
    User,
    event_under_way,
    first_open_round,
    lock,
    log,
    signed_in,
)
from serendip.events.signals import agendas_replanned
from serendip.jobs import WARM_PRIORITY
from serendip.programme import runs
from serendip.programme.briefing import warm_briefs
from serendip.programme.models import PlanningRun, dead_run_message
from serendip.programme.planning import programme_of, refuse_if_started, replan_from, save_plan
from serendip.programme.refusals import refusal_in_words

logger = logging.getLogger(__name__)

Status = PlanningRun.Status


@contextmanager
def _beating(run: PlanningRun) -> Iterator[None]:
    """Beat every few seconds while the engine searches (it offers no progress callback)."""
    if connection.in_atomic_block:
        # Inside a caller's transaction the run is invisible to other connections (and on
        # SQLite a second writer would wait for the lock): there is nothing to keep alive.
        yield
        return
    stop = threading.Event()
    every = settings.SERENDIP_PLANNING_STALE_SECONDS / 4

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    PlanningRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
                        heartbeat=timezone.now()
                    )
                except DatabaseError:
                    # A missed beat is no failure: the next one may pass, and the run only
                    # counts as dead after several.
                    logger.warning("planning run %s: heartbeat not written", run.pk, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    beater = threading.Thread(target=beat, name=f"planning-run-{run.pk}-heartbeat", daemon=True)
    beater.start()
    try:
        yield
    finally:
        stop.set()
        beater.join()


def _still_ours(run: PlanningRun) -> None:
    """Inside the saving transaction: the event is locked, so the run cannot be given up now."""
    # bump=False: the save that follows bumps the programme's version when it changes it.
    lock(run.event, bump=False)
    if not PlanningRun.objects.filter(pk=run.pk, status=Status.RUNNING).exists():
        raise runs.GivenUp


def _record(run: PlanningRun, stats: Stats, **fields: Any) -> None:
    """Write the saved plan's figures on the run (in the saving transaction), and ``fields``.

    Its figures are what makes a run saved (``PlanningRun.is_saved``).
    """
    PlanningRun.objects.filter(pk=run.pk).update(
        meetings=stats.meetings,
        value=stats.value,
        upper_bound=stats.upper_bound,
        below_min=len(stats.below_min),
        heartbeat=timezone.now(),
        **fields,
    )


def _done_fields() -> dict[str, Any]:
    """What a run that is done says."""
    now = timezone.now()
    return {"status": Status.DONE, "progress": 100, "step": _("done"), "finished": now}


def _done(run: PlanningRun) -> None:
    """Mark a run whose plan is saved and figures recorded done."""
    PlanningRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
        heartbeat=timezone.now(), **_done_fields()
    )


def _fail(run: PlanningRun, message: str) -> None:
    """Mark the run failed with a message for the organiser (unless it was already given up).

    A run whose plan is saved is done, whatever stopped it after (a re-plan preparing pages).
    """
    try:
        busy = PlanningRun.objects.filter(pk=run.pk, status__in=PlanningRun.BUSY)
        failed = busy.filter(value__isnull=True).update(
            status=Status.FAILED, error=message, finished=timezone.now()
        )
        if failed:
            log(run.event, run.started_by, "plan failed", message)
        else:
            _done(run)
    except DatabaseError:
        # The database itself is failing: the run stops beating and will count as dead.
        logger.exception("planning run %s: could not record its failure", run.pk)


def _plan(run: PlanningRun) -> None:
    """Plan the whole programme from the preferences (hand-placed meetings stay)."""
    runs.step(run, 10, _("reading preferences"))
    programme = programme_of(run.event)
    runs.step(run, 30, _("planning"))
    with _beating(run):
        plan = solve(programme.problem, time_limit=settings.SERENDIP_PLANNING_SECONDS, seed=0)
    runs.step(run, 90, _("saving"))
    with transaction.atomic():
        _still_ours(run)
        save_plan(run.event, plan, programme, actor=run.started_by)
        _record(run, plan.stats, **_done_fields())


def _replan_ahead(run: PlanningRun) -> None:
    """Re-plan the run's event from the round it asked for, else from its first open round.

    Whoever's agenda changed is e-mailed after the commit (replan_from); the run records how
    many meetings moved and how many people were told.
    """
    with transaction.atomic():
        # The round is read again under the event's lock: it may have started while the job
        # waited in the queue (then it is refused, naming the round to re-plan from).
        _still_ours(run)
        if run.from_round is not None:
            start = run.event.rounds.filter(number=run.from_round).first()
            if start is None:
                raise PastIsFrozen(
                    _("round %(n)s is no longer in the programme") % {"n": run.from_round}
                )
            refuse_if_started(run.event, start)
        else:
            start = first_open_round(run.event)
            if start is None:
                raise PastIsFrozen(_("every round has started: there is nothing left to plan"))
    runs.step(run, 30, _("re-planning from round %(n)s") % {"n": start.number})

    told: set[int] = set()

    def bookkeeping(plan: Plan, affected: set[int]) -> None:
        # In the transaction that saves the plan: a run given up meanwhile saves nothing.
        _still_ours(run)
        _record(
            run,
            plan.stats,
            progress=95,
            step=_("preparing the attendees' pages"),
            from_round=start.number,
            moved=plan.stats.moved,
            people_told=len(affected),
        )
        told.update(affected)

    with _beating(run):
        # No transaction around the engine's search: see replan_from.
        replan_from(
            run.event,
            start,
            actor=run.started_by,
            time_limit=settings.SERENDIP_PLANNING_SECONDS,
            also=bookkeeping,
        )
        # The plan is saved; the run says "done" once the moved attendees' pages are ready,
        # since their phones read them as soon as the organiser's page says so.
        # Robust: a page that fails to render ahead renders on demand, and the plan is saved;
        # the run must not say "failed" for it.
        for _receiver, error in agendas_replanned.send_robust(
            sender=PlanningRun, event_id=run.event_id, member_ids=sorted(told)
        ):
            if isinstance(error, Exception):
                logger.error("planning run %s: pages not rendered ahead", run.pk, exc_info=error)
    _done(run)


@task()
def plan_programme(run_id: int) -> None:
    """Plan the run's event from its preferences; the run records progress and figures.

    Whatever happens the run ends done or failed: the engine's refusals and any unexpected
    error are recorded in the organiser's words; unexpected errors are logged with their
    traceback and raised again, so the queue records the job as failed too.
    """
    run = (
        PlanningRun.objects.select_related("event", "started_by__member").filter(pk=run_id).first()
    )
    if run is None:
        return  # its event was deleted meanwhile
    with translation.override(runs.language_of(run.started_by) or translation.get_language()):
        if not runs.claim(PlanningRun, run_id, _("starting")):
            logger.info("planning run %s: already taken or given up, nothing to do", run_id)
            return
        run.status = Status.RUNNING
        try:
            if run.from_round is not None or event_under_way(run.event):
                # A re-plan asked from a round (the day page), or an event under way: the
                # past is history, only the rounds ahead are planned again.
                _replan_ahead(run)
            else:
                _plan(run)
        except runs.GivenUp:
            logger.warning("planning run %s was given up as dead while it worked", run_id)
        except ProblemError as refused:
            # The engine speaks to programmers; the organiser reads the club's words.
            _fail(run, refusal_in_words(refused))
        except PastIsFrozen as refused:
            _fail(run, str(refused))
        except Exception:
            logger.exception("planning run %s failed", run_id)
            _fail(
                run,
                _(
                    "The planner stopped on an unexpected error; start again. If it happens "
                    "again, tell the site's administrator (the details are in the server's log)."
                ),
            )
            raise
        except BaseException:
            # The worker is being stopped (a second Ctrl+C, a forced shutdown): say so now
            # rather than wait for the run to go stale.
            logger.warning("planning run %s: the worker stopped mid-run", run_id)
            _fail(run, dead_run_message(Status.RUNNING))
            raise


def _give_up_dead_runs(event: Event) -> None:
    """Mark the event's dead runs failed, or done if saved (the caller holds the event's lock)."""
    # The worker died preparing the moved attendees' pages: the plan stands.
    event.planning_runs.dead().saved().update(**_done_fields())
    now = timezone.now()
    for status in PlanningRun.BUSY:
        dead = event.planning_runs.dead().filter(status=status)
        message = dead_run_message(status)
        # The filter is evaluated again by the update: a run that beat meanwhile is spared.
        if dead.update(status=Status.FAILED, error=message, finished=now):
            log(event, None, "plan failed", message)


class PlanningBusy(Exception):
    """A planning run of the event is already waiting or running: one at a time."""

    def __init__(self, run: PlanningRun) -> None:
        super().__init__(
            _("A planning run is already under way (%(status)s): wait until it has finished.")
            % {"status": run.shown_status_label}
        )
        self.run = run


def start_planning(event: Event, *, actor: User) -> PlanningRun:
    """Queue a planning run for the event, unless one is already waiting or running.

    A run already busy is returned instead of a new one. A run whose planner died (silent
    for ``SERENDIP_PLANNING_STALE_SECONDS``) does not block: it is marked failed and a new
    run starts.
    """
    with transaction.atomic():
        # bump=False: asking for a run changes nothing attendees see (the save bumps it).
        lock(event, bump=False)
        _give_up_dead_runs(event)
        busy = event.planning_runs.busy().first()
        if busy is not None:
            return busy
        run = _new_run(event, actor, from_round=None)
    return _enqueued(run)


def start_replanning(event: Event, from_round: Round, *, actor: User) -> PlanningRun:
    """Queue a re-plan of the event from ``from_round`` on (the day page and the API).

    The job keeps the rounds before it, refills the slots freed by absences and e-mails
    whoever's agenda changed; the run says how far it got, then how many meetings moved and
    how many people were told. Raises PastIsFrozen for a round that has started (the message
    names the round to re-plan from) and PlanningBusy while another run is waiting or running.
    """
    with transaction.atomic():
        lock(event, bump=False)
        _give_up_dead_runs(event)
        busy = event.planning_runs.busy().first()
        if busy is not None:
            raise PlanningBusy(busy)
        refuse_if_started(event, from_round)
        run = _new_run(event, actor, from_round=from_round.number)
    return _enqueued(run)


def _new_run(event: Event, actor: User, *, from_round: int | None) -> PlanningRun:
    """A waiting run (the caller holds the event's lock), logged as asked."""
    run = PlanningRun.objects.create(
        event=event,
        started_by=signed_in(actor),
        heartbeat=timezone.now(),
        from_round=from_round,
    )
    log(event, actor, "plan requested", params={"from_round": from_round} if from_round else None)
    return run


def _enqueued(run: PlanningRun) -> PlanningRun:
    """Hand the run to the queue; read back (the immediate backend has run it already)."""
    plan_programme.enqueue(run.pk)
    run.refresh_from_db()
    return run


@task(priority=WARM_PRIORITY)
def warm_event_briefs(event_id: int) -> int:
    """Explain every pair of the event's programme into the cache the servers share.

    Asked by the live pages once per version of the programme (publication, re-plan, a
    profile edited, a server restarted with an empty cache): the phones' pages after the
    gong then read the why and how of their meetings instead of computing them.
    """
    event = Event.objects.filter(pk=event_id).first()
    return warm_briefs(event) if event is not None else 0
