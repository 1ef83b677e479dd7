"""The organiser's pages for one event: set-up, planning, hand edits, the day, meals, reports."""

from __future__ import annotations

import zoneinfo
from collections import Counter, defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_POST

from serendip.engines.meetings import ProblemError
from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.events.services import (
    PastIsFrozen,
    event_under_way,
    first_open_round,
    save_packages,
    set_attendance,
    set_up_programme,
)
from serendip.meals.models import Meal, SeatingRun, last_seating_run
from serendip.meals.services import (
    add_meal,
    change_meal,
    delete_meal,
    plan_figures,
    seating_of,
)
from serendip.meals.tasks import start_seating
from serendip.members.choices import Side
from serendip.programme.letters import NotPublished, remind
from serendip.programme.models import Meeting, PlanningRun
from serendip.programme.planning import (
    RefusedChange,
    clear_plan,
    figures,
    place_meeting,
    publish,
    remove_meeting,
)
from serendip.programme.refusals import refusal_in_words
from serendip.programme.reports import event_figures
from serendip.programme.services import set_pair_rule
from serendip.programme.tasks import PlanningBusy, start_planning, start_replanning
from serendip.web import live
from serendip.web.access import organiser_required
from serendip.web.answers import answer, in_place, refusal
from serendip.web.organise_forms import (
    MealForm,
    PairRuleForm,
    PlaceForm,
    SetupForm,
    SponsorPackages,
)
from serendip.web.posted import posted_int


def _event(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug)


def _setup_initial(event: Event) -> dict[str, Any]:
    venue = zoneinfo.ZoneInfo(event.timezone)
    rounds = list(event.rounds.all())
    if not rounds:
        local = timezone.localtime(event.start, venue)
        return {
            "days": local.date().isoformat(),
            "session_starts": "09:00, 14:00",
            "rounds_per_session": 10,
            "minutes": 7,
            "changeover": 3,
        }
    days = sorted({timezone.localtime(r.start, venue).date() for r in rounds})
    firsts: dict[int, Any] = {}
    for r in rounds:
        firsts.setdefault(r.session, timezone.localtime(r.start, venue))
    starts = sorted({t.time() for t in firsts.values()})
    per_session = Counter(r.session for r in rounds)
    gap = (
        (rounds[1].start - rounds[0].start).seconds // 60 if len(rounds) > 1 else rounds[0].minutes
    )
    return {
        "days": ", ".join(d.isoformat() for d in days),
        "session_starts": ", ".join(t.strftime("%H:%M") for t in starts),
        "rounds_per_session": max(per_session.values()),
        "minutes": rounds[0].minutes,
        "changeover": max(0, gap - rounds[0].minutes),
    }


@organiser_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Set-up, planning with progress, figures, publication and the activity log."""
    event = _event(slug)
    sponsors = event.registrations.filter(side=Side.SPONSOR).select_related("member")
    if "packages" in request.POST:
        packages = SponsorPackages(request.POST, queryset=sponsors, prefix="packages")
        if packages.is_valid():
            save_packages(event, changed=packages.save(commit=False), actor=request.user)
            messages.success(request, _("The sponsors' packages are saved."))
            return redirect("organise", slug=slug)
    else:
        packages = SponsorPackages(queryset=sponsors, prefix="packages")
    form = SetupForm(
        request.POST if "setup" in request.POST else None,
        instance=event,
        initial=_setup_initial(event),
    )
    if "setup" in request.POST and form.is_valid():
        try:
            set_up_programme(event, actor=request.user, **form.cleaned_data)
        except ValueError:
            form.add_error(None, _("Meetings are planned on these rounds: clear the plan first."))
        else:
            messages.success(request, _("The programme's set-up is saved."))
            return redirect("organise", slug=slug)
    counts = dict(
        event.registrations.values_list("side").annotate(n=Count("id")).values_list("side", "n")
    )
    run = event.planning_runs.first()
    context: dict[str, Any] = {
        "event": event,
        "form": form,
        "packages": packages,
        "rounds": event.rounds.count(),
        "counts": counts,
        "run": run,
        # Once a round has started, planning re-plans only what is ahead.
        "under_way": event_under_way(event),
        "upcoming": first_open_round(event),
        "activity": event.activity.select_related("actor")[:30],
    }
    if event.meetings.exists():
        try:
            context["figures"] = figures(event)
        except ProblemError as exc:
            context["figures_error"] = refusal_in_words(exc)
    return render(request, "web/organise/dashboard.html", context)


@organiser_required
@require_POST
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    """Start planning in the background; the dashboard shows its progress."""
    event = _event(slug)
    run = start_planning(event, actor=request.user)
    if run.status == PlanningRun.Status.FAILED:
        messages.error(request, _("The planner refused: %(reason)s") % {"reason": run.error})
    return redirect("organise", slug=slug)


@organiser_required
def run_status(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """A planning run's progress, polled by the dashboard (a run whose planner died is failed)."""
    run = get_object_or_404(PlanningRun, pk=pk, event__slug=slug)
    status = run.shown_status
    return JsonResponse(
        {
            "status": status,
            "progress": run.progress,
            "label": run.shown_status_label,
            "step": run.shown_step,
            "error": run.shown_error if status == PlanningRun.Status.FAILED else "",
            "done": status in (PlanningRun.Status.DONE, PlanningRun.Status.FAILED),
        }
    )


@organiser_required
@require_POST
def publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Make the programme visible to attendees."""
    event = _event(slug)
    publish(event, actor=request.user)
    messages.success(request, _("The programme is published: attendees see their agenda."))
    return redirect("organise", slug=slug)


@organiser_required
@require_POST
def send_letters(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the day-before letter to everyone with meetings (the programme must be published)."""
    event = _event(slug)
    try:
        sent = remind(event, actor=request.user)
    except NotPublished as refused:
        messages.error(request, str(refused))
        return redirect("organise", slug=slug)
    messages.success(
        request,
        ngettext("%(n)s day-before letter sent.", "%(n)s day-before letters sent.", sent)
        % {"n": sent},
    )
    return redirect("organise", slug=slug)


@organiser_required
@require_POST
def replan(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue a re-plan from a round on; the day page shows its progress, then its result.

    The engine searches for seconds: in the request it held a server thread and a core at
    the gong, when the room's phones need them. A worker re-plans (programme.tasks) and
    e-mails whoever's agenda changed.
    """
    event = _event(slug)
    first = event.rounds.filter(number=posted_int(request, "from_round")).first()
    if first is None:
        messages.error(request, _("Choose the round to re-plan from."))
        return redirect("organise-day", slug=slug)
    try:
        start_replanning(event, first, actor=request.user)
    except (PastIsFrozen, PlanningBusy) as refused:
        messages.error(request, str(refused))
    return redirect(reverse("organise-day", args=[slug]) + "#run")


def _replanning(event: Event) -> tuple[PlanningRun | None, str]:
    """The run the day page shows (a busy one, or the last re-plan) and its result in words."""
    run = event.planning_runs.first()
    if run is None or (run.from_round is None and run.shown_status not in PlanningRun.BUSY):
        return None, ""  # a whole-programme planning of the days before: the dashboard's
    if run.shown_status != PlanningRun.Status.DONE or run.people_told is None:
        return run, ""
    return run, _(
        "Re-planned from round %(n)s: %(moved)s meetings moved, %(people)s people told."
    ) % {"n": run.from_round, "moved": run.moved, "people": run.people_told}


def meetings_grid(event: Event, *, person: str | None, round: str | None) -> dict[str, Any]:
    """The programme as a grid of rounds (rows) by tables (columns), filtered by person or round.

    One row per round keeps a 20-round, 36-table seminar on a screen or two instead of a
    15,000-pixel list; the filters narrow it to one person's day or one round.
    """
    rounds = event.rounds.prefetch_related(
        "meetings__boss__organisation", "meetings__sponsor__organisation"
    )
    people = [
        r.member
        for r in event.registrations.select_related("member").order_by(
            "side", "member__last_name", "member__first_name"
        )
    ]
    chosen = next((m for m in people if str(m.pk) == (person or "")), None)
    if round and round.isdigit():
        rounds = rounds.filter(number=int(round))
    rows = []
    widest = event.tables
    for r in rounds:
        meetings = list(r.meetings.all())
        if chosen is not None:
            meetings = [m for m in meetings if chosen.pk in (m.boss_id, m.sponsor_id)]
        widest = max([widest, *(m.table for m in meetings)])
        rows.append((r, meetings))
    tables = list(range(1, widest + 1))
    grid = []
    for r, meetings in rows:
        by_table: dict[int, list[Meeting]] = {}
        for m in meetings:
            by_table.setdefault(m.table, []).append(m)
        grid.append((r, [by_table.get(t, []) for t in tables]))
    return {
        "grid": grid,
        "tables": tables,
        "people": people,
        "chosen": chosen,
        "chosen_round": int(round) if round and round.isdigit() else None,
        "all_rounds": event.rounds.all(),
    }


@organiser_required
def meetings(request: HttpRequest, slug: str) -> HttpResponse:
    """Every round's tables, with hand edits and pair rules."""
    event = _event(slug)
    place = PlaceForm(event, request.POST if "place" in request.POST else None, prefix="place")
    rule = PairRuleForm(event, request.POST if "rule" in request.POST else None, prefix="rule")
    if request.method == "POST":
        if "remove" in request.POST:
            meeting = get_object_or_404(Meeting, pk=posted_int(request, "remove"), event=event)
            try:
                remove_meeting(meeting, actor=request.user)
            except PastIsFrozen as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("The meeting is removed."))
            return redirect("organise-meetings", slug=slug)
        if "place" in request.POST and place.is_valid():
            try:
                place_meeting(event, actor=request.user, **place.cleaned_data)
            except (RefusedChange, PastIsFrozen) as refused:
                place.add_error(None, str(refused))
            except IntegrityError:
                place.add_error(None, _("Someone changed this round meanwhile; try again."))
            else:
                messages.success(
                    request, _("The meeting is placed and will stay when re-planning.")
                )
                return redirect("organise-meetings", slug=slug)
        if "rule" in request.POST and rule.is_valid():
            set_pair_rule(event=event, actor=request.user, **rule.cleaned_data)
            messages.success(request, _("The rule applies from the next planning."))
            return redirect("organise-meetings", slug=slug)
    return render(
        request,
        "web/organise/meetings.html",
        {
            "event": event,
            **meetings_grid(
                event, person=request.GET.get("person"), round=request.GET.get("round")
            ),
            "place": place,
            "rule": rule,
            "rules": event.pair_rules.select_related("boss", "sponsor"),
            # Meetings of rounds that have started are history: no "Remove" for them.
            "now": timezone.now(),
        },
    )


@organiser_required
def clear_plan_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask, then take every meeting out of a programme whose first round has not started."""
    event = _event(slug)
    if request.method == "POST":
        try:
            cleared = clear_plan(event, actor=request.user)
        except PastIsFrozen as refused:
            messages.error(request, str(refused))
            return redirect("organise", slug=slug)
        messages.success(
            request,
            _("The plan is cleared (%(n)s meetings): the set-up can change, then plan again.")
            % {"n": cleared},
        )
        return redirect("organise", slug=slug)
    return render(
        request,
        "web/organise/clear_plan.html",
        {
            "event": event,
            "meetings": event.meetings.count(),
            "under_way": event_under_way(event),
        },
    )


DAY_PAGE_SIZE = 50  # registrations per page of the day's list (450 at once was 900 KB)


def _day_filters(request: HttpRequest) -> dict[str, str]:
    """The day page's filters as asked: name (or organisation), status, round, page."""
    return {
        name: request.GET.get(name, "").strip()[:100]
        for name in ("q", "status", "round", "page")
        if request.GET.get(name, "").strip()
    }


def _day_registrations(event: Event, filters: dict[str, str]) -> QuerySet[Registration]:
    """The registrations the filters keep, by side and name."""
    found = event.registrations.select_related("member__organisation", "left_after")
    for word in filters.get("q", "").split():
        found = found.filter(
            Q(member__first_name__icontains=word)
            | Q(member__last_name__icontains=word)
            | Q(member__organisation__name__icontains=word)
        )
    if filters.get("status") in RegistrationStatus.values:
        found = found.filter(status=filters["status"])
    if filters.get("round", "").isdigit():
        # Whoever sits at a table in that round (to check a round's tables are all there).
        meets = Meeting.objects.filter(event=event, round__number=int(filters["round"]))
        found = found.filter(
            Q(member__in=meets.values("boss")) | Q(member__in=meets.values("sponsor"))
        )
    return found.order_by("side", "member__last_name", "member__first_name", "pk")


@organiser_required
def day(request: HttpRequest, slug: str) -> HttpResponse:
    """Check-in, no-shows, early leavers and re-planning on the day.

    The list is filtered (name, status, round) and paged: after a check-in the organiser is
    back on the same filtered page, at the row they changed.
    """
    event = _event(slug)
    filters = _day_filters(request)
    back = reverse("organise-day", args=[slug]) + (f"?{urlencode(filters)}" if filters else "")
    if request.method == "POST":
        return _check_in(request, event, back)
    paginator = Paginator(_day_registrations(event, filters), DAY_PAGE_SIZE)
    page = paginator.get_page(filters.get("page"))
    rounds = list(event.rounds.all())
    now = timezone.now()
    kept = {k: v for k, v in filters.items() if k != "page"}
    counts = _status_counts(event)
    run, replanned = _replanning(event)
    return render(
        request,
        "web/organise/day.html",
        {
            "event": event,
            "registrations": page.object_list,
            "page": page,
            "filters": filters,
            "paged": urlencode(kept) + "&" if kept else "",
            "rounds": rounds,
            "next_round": next((r for r in rounds if r.start > now), None),
            "run": run,
            "replanned": replanned,
            "statuses": [
                (RegistrationStatus.CHECKED_IN, _("Present")),
                (RegistrationStatus.NO_SHOW, _("No-show")),
            ],
            # Each status with how many have it: "no-show (6)" before filtering on it.
            "all_statuses": [
                (value, label, counts.get(value, 0)) for value, label in RegistrationStatus.choices
            ],
        },
    )


def _status_counts(event: Event) -> dict[str, int]:
    """How many of the event's registrations have each status (none: 0)."""
    found = dict(event.registrations.values_list("status").annotate(n=Count("pk")).order_by())
    return {value: found.get(value, 0) for value in RegistrationStatus.values}


def _check_in(request: HttpRequest, event: Event, back: str) -> HttpResponse:
    """Record one attendance from the day page: present, no-show, left early after a round.

    The page's script sends it and changes the row in place (status, counts); without script
    the form posts and the organiser is back on the same filtered page, at the row.
    """
    registration = get_object_or_404(event.registrations, pk=posted_int(request, "registration"))
    back = f"{back}#registration-{registration.pk}"
    status = request.POST.get("status", "")
    left_after = None
    if status == RegistrationStatus.LEFT_EARLY:
        raw = request.POST.get("left_after", "")
        left_after = event.rounds.filter(number=int(raw)).first() if raw.isdigit() else None
        if left_after is None:
            return refusal(request, back, _("Say after which round they left."), status=400)
    if status not in RegistrationStatus.values:
        return refusal(request, back, _("Unknown status."), status=400)
    set_attendance(registration, status, actor=request.user, left_after=left_after)
    label = registration.get_status_display()
    if registration.status == RegistrationStatus.LEFT_EARLY and left_after is not None:
        label = f"{label} ({left_after.number})"  # as the row shows it
    return answer(
        request,
        back,
        f"{registration.member}: {registration.get_status_display()}",
        registration=registration.pk,
        attendance=registration.status,
        label=label,
        counts=_status_counts(event) if in_place(request) else {},
    )


@organiser_required
@cache_control(private=True, no_cache=True)
@condition(etag_func=live.gong_etag)  # the projector reloads: a 304 until the programme changes
def gong(request: HttpRequest, slug: str) -> HttpResponse:
    """Full screen for the projector: the current round, a countdown, the tables."""
    event = _event(slug)
    # A seminar's day is thousands of tables: read as plain rows and written in one pass (the
    # members' whole profiles and a template loop took half a second of a server process).
    by_round: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for round_id, table, *names in event.meetings.order_by("table").values_list(
        "round_id",
        "table",
        "sponsor__first_name",
        "sponsor__last_name",
        "boss__first_name",
        "boss__last_name",
    ):
        sponsor = f"{names[0]} {names[1]}".strip()  # as Member.full_name writes it
        by_round[round_id].append((table, sponsor, f"{names[2]} {names[3]}".strip()))
    tables = [
        (r, format_html_join("", '<li value="{0}"><b>{0}</b> {1} · {2}</li>', by_round[r.pk]))
        for r in event.rounds.all()
    ]
    return render(request, "web/organise/gong.html", {"event": event, "rounds": tables})


@organiser_required
def meals(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's meals: add one, plan its rotations with the mixer, change or delete one."""
    event = _event(slug)
    form = MealForm(request.POST or None, event=event)
    if request.method == "POST":
        if "plan" in request.POST:
            meal = get_object_or_404(Meal, pk=posted_int(request, "plan"), event=event)
            try:
                # In the background: the page shows the run's progress, then its result.
                start_seating(meal, actor=request.user)
            except PastIsFrozen as refused:
                messages.error(request, str(refused))
            return redirect("organise-meals", slug=slug)
        if form.is_valid():
            add_meal(event, actor=request.user, **form.cleaned_data)
            return redirect("organise-meals", slug=slug)
    now = timezone.now()
    figures = plan_figures(event)
    meals = list(event.meals.annotate(last_run=last_seating_run()))
    runs = SeatingRun.objects.in_bulk([m.last_run for m in meals if m.last_run])
    return render(
        request,
        "web/organise/meals.html",
        {
            "event": event,
            "form": form,
            # With the last plan's new pairs against the bound: how far from the best; and
            # the meal's last seating run: its progress while the mixer seats, then its result.
            "meals": [(m, seating_of(m), figures.get(m.name), runs.get(m.last_run)) for m in meals],
            # A meal under way with people seated is history: no change, no deletion.
            "now": now,
        },
    )


@organiser_required
def seating_run_status(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """A meal's seating run's progress, polled by the meals page (a dead run is failed)."""
    run = get_object_or_404(SeatingRun, pk=pk, meal__event__slug=slug)
    return JsonResponse(
        {
            "status": run.shown_status,
            "progress": run.progress,
            "label": run.shown_status_label,
            "step": run.shown_step,
            "error": run.shown_error if run.shown_status == SeatingRun.Status.FAILED else "",
            "done": run.is_over,
        }
    )


@organiser_required
def meal_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a meal, or delete it after a confirmation; refused once it is seated and started."""
    event = _event(slug)
    meal = get_object_or_404(Meal, pk=pk, event=event)
    seated = meal.seats.exists()
    if seated and meal.start <= timezone.now():
        messages.error(
            request,
            _("%(meal)s has started and its tables are seated: it stays as it was")
            % {"meal": meal.name},
        )
        return redirect("organise-meals", slug=slug)
    initial = {"tables": ", ".join(str(n) for n in meal.tables)}
    form = MealForm(
        request.POST if "save" in request.POST else None,
        instance=meal,
        event=event,
        initial=initial,
    )
    try:
        if "delete" in request.POST:
            name = meal.name
            delete_meal(meal, actor=request.user)
            messages.success(request, _("%(meal)s is deleted.") % {"meal": name})
            return redirect("organise-meals", slug=slug)
        if "save" in request.POST and form.is_valid():
            cleared = change_meal(meal, actor=request.user, **form.cleaned_data)
            done = (
                _("%(meal)s is changed: plan its tables again.")
                if cleared
                else _("%(meal)s is changed.")
            )
            messages.success(request, done % {"meal": form.cleaned_data["name"]})
            return redirect("organise-meals", slug=slug)
    except PastIsFrozen as refused:
        messages.error(request, str(refused))
        return redirect("organise-meals", slug=slug)
    return render(
        request,
        "web/organise/meal_edit.html",
        {
            "event": event,
            "meal": meal,
            "form": form,
            "seated": seated,
            "confirm_delete": request.GET.get("delete") == "1",
        },
    )


@organiser_required
def meal_print(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A printable plan of one meal, per table and per person."""
    meal = get_object_or_404(Meal, pk=pk, event__slug=slug)
    seating = seating_of(meal)
    people = sorted(
        {seat.member for seat in meal.seats.select_related("member")}, key=lambda m: m.last_name
    )
    by_person = {
        m: [seat.table for seat in meal.seats.filter(member=m).order_by("rotation")] for m in people
    }
    return render(
        request,
        "web/organise/meal_print.html",
        {"event": meal.event, "meal": meal, "seating": seating, "by_person": by_person},
    )


@organiser_required
def report(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's figures, the list of sponsor bulletins, and links to the event's report
    (outcomes credited to it months later) and to its sponsors' reports."""
    from serendip.members.models import Organisation
    from serendip.reports.access import can_see_club

    event = _event(slug)
    sponsors = event.registrations.filter(side=Side.SPONSOR).select_related("member")
    # A sponsor organisation's report is the club organisers' (and its own sponsors'), not
    # every event organiser's: the links are shown to those who may open them.
    organisations = (
        Organisation.objects.filter(pk__in=sponsors.values("member__organisation_id"))
        .only("name")
        .order_by("name")
        if can_see_club(request.user)
        else Organisation.objects.none()
    )
    return render(
        request,
        "web/organise/report.html",
        {
            "event": event,
            "figures": event_figures(event),
            "sponsors": sponsors,
            "organisations": organisations,
        },
    )
