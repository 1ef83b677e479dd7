"""The seminar in the API: set-up, pair rules, planning runs, hand edits, publication, the day,
agendas and now/next, preferences, ratings, follow-ups and sponsor bulletins.

The same rules as the web pages: the event's organisers set up, plan, edit and check people
in; attendees read their own agenda (once published), mark preferences before the deadline
and rate the meetings they held; a sponsor reads their own bulletin. Every write is a domain
service (events.services, programme.planning, programme.services, programme.tasks): the
operations here parse, authorise, call and answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from serendip.api import schemas
from serendip.api import seminar_schemas as s
from serendip.api.routes import registration_data
from serendip.api.schemas import Id, Slug
from serendip.csvrows import ImportRefused
from serendip.events.access import can_organise
from serendip.events.imports import import_registrations
from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.events.services import (
    PastIsFrozen,
    answer_coming,
    first_open_round,
    set_attendance,
    set_up_programme,
)
from serendip.meals.services import tables_of
from serendip.members.choices import Side
from serendip.members.current import current_member, member_required
from serendip.members.models import Member
from serendip.programme.access import can_read_bulletin, can_see_programme, holds_meeting
from serendip.programme.letters import NotPublished, remind
from serendip.programme.models import Meeting, PairRule, PlanningRun, Rating
from serendip.programme.planning import (
    RefusedChange,
    clear_plan,
    place_meeting,
    publish,
    remove_meeting,
)
from serendip.programme.reports import (
    MeetingState,
    attendance_of,
    bulletin_of,
    follow_up_contact,
    meeting_state,
)
from serendip.programme.services import (
    CannotRate,
    PreferencesClosed,
    UnknownPartner,
    preference_partners,
    preferences_of,
    rate,
    remove_pair_rule,
    set_pair_rule,
    set_preferences,
)
from serendip.programme.tasks import PlanningBusy, start_planning, start_replanning

router: Router = Router(tags=["seminar"])

# Organiser-only writes may refuse with a structured body (409) besides the shared errors.
WRITE = schemas.WRITE_ERRORS


def _answers(ok: Any, *, status: int = 200, refusal: Any = None) -> Any:
    found = schemas.write_answers(ok, status=status)
    if refusal is not None:
        found[409] = refusal
    return found


def _event(slug: str) -> Event:
    return get_object_or_404(Event, slug=slug)


def _organised(request: HttpRequest, slug: str) -> Event:
    """The event, if the caller organises it (403 otherwise, as on the web)."""
    event = _event(slug)
    if not can_organise(request.user, event):
        raise HttpError(403, "Only this event's organisers may do this.")
    return event


def _attending(request: HttpRequest, slug: str) -> tuple[Event, Member, Registration]:
    """The event, the caller and their registration; 404 when they are not registered (403 for
    an account without a member profile, as everywhere)."""
    event = _event(slug)
    member = member_required(request)
    registration = event.registrations.filter(member=member).first()
    if registration is None:
        raise HttpError(404, "You are not registered to this event.")
    return event, member, registration


def _visible(request: HttpRequest, event: Event) -> bool:
    """Attendees see the programme once published; the event's organisers always."""
    return can_see_programme(request.user, event)


def _person(member: Member) -> dict[str, Any]:
    organisation = member.organisation.name if member.organisation else None
    return {"id": member.pk, "name": member.full_name, "organisation": organisation}


def _contact(details: dict[str, str]) -> dict[str, str] | None:
    return details or None


# --- set-up and pair rules ------------------------------------------------------------------


def _setup(event: Event) -> dict[str, Any]:
    return {
        "tables": event.tables,
        "boss_min_meetings": event.boss_min_meetings,
        "boss_max_meetings": event.boss_max_meetings,
        "preferences_deadline": event.preferences_deadline,
        "published": event.published,
        "rounds": [
            {
                "number": r.number,
                "session": r.session,
                "start": r.start,
                "end": r.end,
                "minutes": r.minutes,
            }
            for r in event.rounds.order_by("number")
        ],
    }


@router.get(
    "/events/{slug}/setup", response=schemas.answers(s.SetupOut), operation_id="getProgrammeSetup"
)
def get_setup(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The seminar's tables, minimums, preferences deadline and rounds."""
    return _setup(_event(slug))


@router.put("/events/{slug}/setup", response=_answers(s.SetupOut), operation_id="setUpProgramme")
def put_setup(request: HttpRequest, slug: Slug, data: s.SetupIn) -> dict[str, Any]:
    """Set up the one-to-one programme (organisers); 409 once meetings are planned on it."""
    # The organiser's form holds the rules (overlapping sessions, packages that no longer fit,
    # too many rounds): the API feeds it the same fields so that both refuse alike.
    from serendip.web.organise_forms import SetupForm

    event = _organised(request, slug)
    fields = data.model_dump()
    form = SetupForm(
        {
            **{k: v for k, v in fields.items() if k not in {"days", "session_starts"}},
            "preferences_deadline": (
                timezone.localtime(fields["preferences_deadline"]).strftime("%Y-%m-%dT%H:%M")
                if fields["preferences_deadline"]
                else ""
            ),
            "days": ", ".join(d.isoformat() for d in fields["days"]),
            "session_starts": ", ".join(t.strftime("%H:%M") for t in fields["session_starts"]),
        },
        instance=event,
    )
    if not form.is_valid():
        reasons = "; ".join(
            f"{name}: {' '.join(map(str, messages))}"
            if name != "__all__"
            else " ".join(map(str, messages))
            for name, messages in form.errors.items()
        )
        raise HttpError(422, reasons)
    try:
        set_up_programme(event, actor=request.user, **form.cleaned_data)
    except ValueError as refused:
        raise HttpError(409, "Meetings are planned on these rounds: clear the plan first.") from (
            refused
        )
    return _setup(event)


def _pair_rule(rule: PairRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "boss": _person(rule.boss),
        "sponsor": _person(rule.sponsor),
        "rule": rule.rule,
    }


@router.get(
    "/events/{slug}/pair-rules",
    response=schemas.answers(list[s.PairRuleOut]),
    operation_id="listPairRules",
)
def list_pair_rules(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """The pairs the organisers forced or forbade (organisers)."""
    event = _organised(request, slug)
    found = event.pair_rules.select_related("boss__organisation", "sponsor__organisation")
    return [_pair_rule(r) for r in found.order_by("id")]


def _registered(event: Event, member_id: int, side: str) -> Member:
    registration = (
        event.registrations.filter(member_id=member_id, side=side)
        .select_related("member__organisation")
        .first()
    )
    if registration is None:
        raise HttpError(422, f"Member {member_id} is not registered as a {side} at this event.")
    return registration.member


@router.put(
    "/events/{slug}/pair-rules", response=_answers(s.PairRuleOut), operation_id="setPairRule"
)
def put_pair_rule(request: HttpRequest, slug: Slug, data: s.PairRuleIn) -> dict[str, Any]:
    """Force or forbid a boss-sponsor pair from the next planning on (organisers)."""
    event = _organised(request, slug)
    boss = _registered(event, data.boss_id, Side.BOSS)
    sponsor = _registered(event, data.sponsor_id, Side.SPONSOR)
    rule = set_pair_rule(
        event=event, boss=boss, sponsor=sponsor, rule=data.rule, actor=request.user
    )
    return _pair_rule(rule)


@router.delete(
    "/events/{slug}/pair-rules/{rule_id}",
    response=_answers(None, status=204),
    operation_id="removePairRule",
)
def delete_pair_rule(request: HttpRequest, slug: Slug, rule_id: Id) -> Status[None]:
    """Drop a forced or forbidden pair (organisers); the meetings already planned stay."""
    event = _organised(request, slug)
    rule = get_object_or_404(
        PairRule.objects.select_related("event", "boss", "sponsor"), pk=rule_id, event=event
    )
    remove_pair_rule(rule, actor=request.user)
    return Status(204, None)


@router.post(
    "/events/{slug}/registrations/import",
    response=_answers(s.ImportOut),
    operation_id="importRegistrations",
)
def post_registrations_import(request: HttpRequest, slug: Slug, data: s.ImportIn) -> Any:
    """Register the members of a CSV file (organisers), all or nothing, as ``serendip import``.

    A member already registered has their registration updated. 422 names every refused line
    and column in ``errors`` (``field``: ``line 3, column email``) and writes nothing.
    """
    event = _organised(request, slug)
    try:
        result = import_registrations(event.slug, data.csv.encode(), actor=request.user)
    except ImportRefused as refused:
        errors = [
            {
                "field": ", ".join(
                    ([f"line {e.line}"] if e.line is not None else [])
                    + ([f"column {e.column}"] if e.column else [])
                )
                or "body.csv",
                "message": e.reason,
            }
            for e in refused.errors
        ]
        return Status(422, {"detail": str(refused), "errors": errors})
    return {"created": result.created, "updated": result.updated}


# --- planning runs, publication, re-planning ------------------------------------------------


def _run(run: PlanningRun) -> dict[str, Any]:
    status = run.shown_status
    return {
        "id": run.pk,
        "status": status,
        "label": str(run.shown_status_label),
        "progress": run.progress,
        "step": str(run.shown_step),
        "done": status in (PlanningRun.Status.DONE, PlanningRun.Status.FAILED),
        "error": str(run.shown_error) if status == PlanningRun.Status.FAILED else "",
        **{
            name: getattr(run, name)
            for name in (
                "from_round",
                "meetings",
                "value",
                "upper_bound",
                "below_min",
                "moved",
                "people_told",
                "created",
                "finished",
            )
        },
    }


@router.post(
    "/events/{slug}/planning-runs",
    response=_answers(s.PlanningRunOut, status=202),
    operation_id="startPlanning",
)
def post_planning_run(request: HttpRequest, slug: Slug) -> Status[dict[str, Any]]:
    """Queue a planning run (organisers); poll it with ``getPlanningRun`` until ``done``.

    A run already waiting or running is answered instead of a new one. Once a round has
    started, planning re-plans only the rounds ahead.
    """
    event = _organised(request, slug)
    return Status(202, _run(start_planning(event, actor=request.user)))


@router.get(
    "/events/{slug}/planning-runs/{run_id}",
    response=schemas.answers(s.PlanningRunOut),
    operation_id="getPlanningRun",
)
def get_planning_run(request: HttpRequest, slug: Slug, run_id: Id) -> dict[str, Any]:
    """A planning run's progress and, once done, its figures (organisers)."""
    event = _organised(request, slug)
    return _run(get_object_or_404(PlanningRun, pk=run_id, event=event))


@router.post(
    "/events/{slug}/publish", response=_answers(s.PublishedOut), operation_id="publishProgramme"
)
def post_publish(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """Make the programme visible to attendees (organisers)."""
    event = _organised(request, slug)
    publish(event, actor=request.user)
    return {"published": event.published, "meetings": event.meetings.count()}


@router.delete("/events/{slug}/meetings", response=_answers(s.ClearedOut), operation_id="clearPlan")
def delete_plan(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """Take every meeting out of the programme before its first round (organisers).

    Hand-placed meetings go too; attendees of a published programme are told. The set-up
    can change afterwards. 409 once a round has started: held meetings are history.
    """
    event = _organised(request, slug)
    try:
        cleared = clear_plan(event, actor=request.user)
    except PastIsFrozen as refused:
        raise HttpError(409, str(refused)) from refused
    return {"cleared": cleared}


@router.post(
    "/events/{slug}/letters", response=_answers(s.LettersOut), operation_id="sendDayBeforeLetters"
)
def post_letters(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """Send the day-before letter to every attendee with meetings (organisers), as
    ``serendip remind``: agenda, the three meetings that matter most, icebreakers, the
    "coming or not" link. 409 before the programme is published."""
    event = _organised(request, slug)
    try:
        queued = remind(event, actor=request.user)
    except NotPublished as refused:
        raise HttpError(409, str(refused)) from refused
    return {"queued": queued}


@router.post(
    "/events/{slug}/replan",
    response=_answers(s.PlanningRunOut, status=202),
    operation_id="replanFromRound",
)
def post_replan(request: HttpRequest, slug: Slug, data: s.ReplanIn) -> Status[dict[str, Any]]:
    """Queue a re-plan from a round on (by default the next); poll it with ``getPlanningRun``.

    Once ``done`` the run gives ``moved`` and ``people_told`` (whoever's agenda changed is
    e-mailed). 409 for a round that has started (the past stays as it was) and while another
    planning run is waiting or running.
    """
    event = _organised(request, slug)
    if data.from_round is None:
        first = first_open_round(event)
        if first is None:
            raise HttpError(409, "Every round has started: there is nothing left to re-plan.")
    else:
        first = get_object_or_404(event.rounds, number=data.from_round)
    try:
        run = start_replanning(event, first, actor=request.user)
    except (PastIsFrozen, PlanningBusy) as refused:
        raise HttpError(409, str(refused)) from refused
    return Status(202, _run(run))


# --- the plan: read it, place and remove meetings by hand -----------------------------------


def _meeting(meeting: Meeting, attendance: Any, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "round": meeting.round.number,
        "start": meeting.round.start,
        "end": meeting.round.end,
        "table": meeting.table,
        "seat": meeting.seat,
        "boss": _person(meeting.boss),
        "sponsor": _person(meeting.sponsor),
        "pinned": meeting.pinned,
        "state": meeting_state(meeting, attendance, now),
    }


@router.get(
    "/events/{slug}/meetings",
    response=schemas.answers(list[s.MeetingOut]),
    operation_id="listEventMeetings",
)
def list_meetings(
    request: HttpRequest, slug: Slug, round: Id | None = None, member_id: Id | None = None
) -> list[dict[str, Any]]:
    """The event's whole programme, round by round (organisers); filter by round or person."""
    event = _organised(request, slug)
    found = event.meetings.select_related(
        "round", "boss__organisation", "sponsor__organisation"
    ).order_by("round__number", "table", "seat")
    if round is not None:
        found = found.filter(round__number=round)
    if member_id is not None:
        found = found.filter(Q(boss_id=member_id) | Q(sponsor_id=member_id))
    attendance, now = attendance_of(event), timezone.now()
    return [_meeting(m, attendance, now) for m in found]


@router.post(
    "/events/{slug}/meetings",
    response=_answers(s.MeetingOut, status=201, refusal=s.RefusalOut),
    operation_id="placeMeeting",
)
def post_meeting(request: HttpRequest, slug: Slug, data: s.PlaceIn) -> Any:
    """Place a meeting by hand (organisers); it stays when re-planning.

    409 with the rule it would break (``RefusalOut``), or ``started`` for a round under way.
    """
    event = _organised(request, slug)
    round_ = event.rounds.filter(number=data.round).first()
    boss = Member.objects.filter(pk=data.boss_id).select_related("organisation").first()
    sponsor = Member.objects.filter(pk=data.sponsor_id).select_related("organisation").first()
    if round_ is None or boss is None or sponsor is None:
        raise HttpError(404, "No such round or member.")
    if data.table > event.tables:
        raise HttpError(422, f"table: the event has {event.tables} tables.")
    where = {"round": data.round, "table": data.table}
    try:
        meeting = place_meeting(
            event, boss=boss, sponsor=sponsor, round=round_, table=data.table, actor=request.user
        )
    except RefusedChange as refused:
        body = {"detail": str(refused), "rule": refused.rule, "people": list(refused.people)}
        return Status(409, {**body, **where})
    except PastIsFrozen as refused:
        return Status(409, {"detail": str(refused), "rule": "started", **where})
    except IntegrityError:
        return Status(409, {"detail": "Someone changed this round meanwhile; try again.", **where})
    meeting = Meeting.objects.select_related(
        "round", "boss__organisation", "sponsor__organisation"
    ).get(pk=meeting.pk)
    return Status(201, _meeting(meeting, attendance_of(event), timezone.now()))


@router.delete(
    "/events/{slug}/meetings/{meeting_id}",
    response=_answers(None, status=204, refusal=s.RefusalOut),
    operation_id="removeMeeting",
)
def delete_meeting(request: HttpRequest, slug: Slug, meeting_id: Id) -> Any:
    """Take a meeting out of the programme (organisers); 409 once its round has started."""
    event = _organised(request, slug)
    meeting = get_object_or_404(Meeting, pk=meeting_id, event=event)
    try:
        remove_meeting(meeting, actor=request.user)
    except PastIsFrozen as refused:
        return Status(409, {"detail": str(refused), "rule": "started"})
    return Status(204, None)


# --- the day: the desk, an attendee's own answer ---------------------------------------------


@router.post(
    "/events/{slug}/registrations/{registration_id}/attendance",
    response=_answers(schemas.RegistrationOut),
    operation_id="recordAttendance",
)
def post_attendance(
    request: HttpRequest, slug: Slug, registration_id: Id, data: s.AttendanceIn
) -> dict[str, Any]:
    """Check someone in, or record a no-show or an early leave (organisers).

    Meetings of rounds not started are freed for the re-plan; a mistake undone gives them back.
    """
    event = _organised(request, slug)
    registration = get_object_or_404(
        event.registrations.select_related("member", "event"), pk=registration_id
    )
    left_after = None
    if data.status == RegistrationStatus.LEFT_EARLY:
        if data.left_after_round is None:
            raise HttpError(422, "left_after_round: say after which round they left.")
        left_after = get_object_or_404(event.rounds, number=data.left_after_round)
    set_attendance(registration, data.status, actor=request.user, left_after=left_after)
    return registration_data(registration, request, organises=True)


@router.put(
    "/events/{slug}/my-answer",
    response=_answers(schemas.RegistrationOut),
    operation_id="answerComing",
)
def put_my_answer(request: HttpRequest, slug: Slug, data: s.ComingIn) -> dict[str, Any]:
    """ "I'm coming" or "I can't come", until the event starts (409 afterwards)."""
    registration = _attending(request, slug)[2]
    try:
        answer_coming(registration, coming=data.coming, actor=request.user)
    except PastIsFrozen as refused:
        raise HttpError(409, str(refused)) from refused
    return registration_data(registration, request)


# --- an attendee's agenda, now/next, preferences, ratings, follow-ups -----------------------


def _my_meetings(event: Event, member: Member) -> list[tuple[Meeting, dict[str, Any]]]:
    """My meetings in round order, each with its answer (state and my rating included)."""
    meetings = list(
        event.meetings.filter(Q(boss=member) | Q(sponsor=member))
        .select_related("round", "boss__organisation", "sponsor__organisation")
        .order_by("round__number", "seat")
    )
    mine = dict(
        Rating.objects.filter(rater=member, meeting__in=[m.pk for m in meetings]).values_list(
            "meeting_id", "colour"
        )
    )
    attendance, now = attendance_of(event), timezone.now()
    return [
        (
            m,
            {
                "meeting_id": m.pk,
                "round": m.round.number,
                "start": m.round.start,
                "end": m.round.end,
                "table": m.table,
                "other": _person(m.other(member)),
                "state": meeting_state(m, attendance, now),
                "my_rating": mine.get(m.pk),
            },
        )
        for m in meetings
    ]


@router.get(
    "/events/{slug}/agenda", response=schemas.answers(s.AgendaOut), operation_id="listMyAgenda"
)
def my_agenda(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """My meetings round by round and my meal tables (attendees; empty until published)."""
    event, member, _registration = _attending(request, slug)
    published = _visible(request, event)
    meals = [
        {"meal_id": meal.pk, "meal": meal.name, "start": meal.start, "rotation": r, "table": t}
        for meal, r, t in tables_of(member)
        if meal.event_id == event.pk
    ]
    return {
        "event": event.slug,
        "published": published,
        "meetings": [answer for _m, answer in _my_meetings(event, member)] if published else [],
        "meals": meals if published else [],
    }


@router.get("/events/{slug}/now", response=schemas.answers(s.NowNextOut), operation_id="getNowNext")
def now_next(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The meetings under way now, those of my next round, and the held ones left to rate."""
    event, member, _registration = _attending(request, slug)
    if not _visible(request, event):
        return {"published": False, "now": [], "next": [], "to_rate": []}
    now = timezone.now()
    mine = _my_meetings(event, member)
    upcoming = [(m, a) for m, a in mine if m.round.start > now]
    following = upcoming[0][0].round_id if upcoming else None
    return {
        "published": True,
        "now": [a for m, a in mine if m.round.start <= now < m.round.end],
        "next": [a for m, a in upcoming if m.round_id == following],
        "to_rate": [
            a for _m, a in reversed(mine) if a["state"] == MeetingState.HELD and not a["my_rating"]
        ],
    }


def _preferences(event: Event, member: Member, side: str) -> dict[str, Any]:
    marked = preferences_of(event, member)
    deadline = event.preferences_deadline
    return {
        "closed": bool(deadline and timezone.now() > deadline),
        "deadline": deadline,
        "preferences": [
            {"member": _person(other), "choice": marked.get(other.pk, "")}
            for other in preference_partners(event, member, side)
        ],
    }


@router.get(
    "/events/{slug}/preferences",
    response=schemas.answers(s.PreferencesOut),
    operation_id="listMyPreferences",
)
def my_preferences(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """Each person of the other side and how I marked them: must, would, no or nothing."""
    event, member, registration = _attending(request, slug)
    return _preferences(event, member, registration.side)


@router.put(
    "/events/{slug}/preferences",
    response=_answers(s.PreferencesOut),
    operation_id="setMyPreferences",
)
def put_preferences(request: HttpRequest, slug: Slug, data: s.PreferencesIn) -> dict[str, Any]:
    """Mark people of the other side "must meet", "would like" or "no thanks" (all or nothing).

    409 after the preferences deadline; 422 for someone who is not of the other side.
    """
    event, member, registration = _attending(request, slug)
    choices = {c.member_id: c.choice for c in data.choices}
    try:
        set_preferences(event=event, member=member, side=registration.side, choices=choices)
    except PreferencesClosed as refused:
        raise HttpError(409, "The deadline for preferences has passed.") from refused
    except UnknownPartner as refused:
        raise HttpError(
            422, f"choices: not of the other side at this event: {refused.args[0]}"
        ) from refused
    return _preferences(event, member, registration.side)


@router.put(
    "/events/{slug}/meetings/{meeting_id}/rating",
    response=_answers(s.RatingOut),
    operation_id="rateMeeting",
)
def put_rating(
    request: HttpRequest, slug: Slug, meeting_id: Id, data: s.RatingIn
) -> dict[str, Any]:
    """Rate a meeting I held: red, orange or green, a private note, a follow-up wanted.

    Two greens connect the pair. 409 for a meeting not started or not held.
    """
    event, member, _registration = _attending(request, slug)
    meeting = get_object_or_404(Meeting.objects.select_related("round", "event"), pk=meeting_id)
    if meeting.event_id != event.pk or not holds_meeting(member, meeting):
        raise HttpError(404, "Not one of your meetings.")
    try:
        rating = rate(meeting, member, colour=data.colour, note=data.note, follow_up=data.follow_up)
    except CannotRate as refused:
        raise HttpError(409, str(refused)) from refused
    return {
        "meeting_id": meeting.pk,
        "colour": rating.colour,
        "note": rating.note,
        "follow_up": rating.follow_up,
    }


@router.get(
    "/events/{slug}/follow-ups",
    response=schemas.answers(list[s.FollowUpOut]),
    operation_id="listMyFollowUps",
)
def my_follow_ups(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """Held meetings where either side asked for a follow-up; their details if they asked."""
    event, member, _registration = _attending(request, slug)
    found = []
    ratings: dict[tuple[int, int], bool] = {
        (r.meeting_id, r.rater_id): r.follow_up
        for r in Rating.objects.filter(meeting__event=event, follow_up=True).filter(
            Q(meeting__boss=member) | Q(meeting__sponsor=member)
        )
    }
    for meeting, answer in _my_meetings(event, member):
        if answer["state"] != MeetingState.HELD:
            continue
        other = meeting.other(member)
        they, me = (
            ratings.get((meeting.pk, other.pk), False),
            ratings.get((meeting.pk, member.pk), False),
        )
        if they or me:
            found.append(
                {
                    "meeting_id": meeting.pk,
                    "round": meeting.round.number,
                    "other": _person(other),
                    "they_asked": they,
                    "i_asked": me,
                    # Their ticking "I'd like a follow-up" is their agreement to share.
                    "contact": _contact(follow_up_contact(other, asked=they)),
                }
            )
    return found


# --- sponsor bulletins ------------------------------------------------------------------------


@router.get(
    "/events/{slug}/bulletins/{sponsor_id}",
    response=schemas.answers(s.BulletinOut),
    operation_id="getBulletin",
)
def get_bulletin(request: HttpRequest, slug: Slug, sponsor_id: Id) -> dict[str, Any]:
    """A sponsor's bulletin: their own, or any for the event's organisers (404 otherwise)."""
    event = _event(slug)
    if not can_read_bulletin(request.user, event, sponsor_id, member=current_member(request)):
        raise HttpError(404, "Not found")
    sponsor = get_object_or_404(Member.objects.select_related("organisation"), pk=sponsor_id)
    lines = bulletin_of(event, sponsor)
    return {
        "event": event.slug,
        "sponsor": _person(sponsor),
        "held": sum(1 for line in lines if line.held),
        "upcoming": sum(1 for line in lines if line.state == MeetingState.UPCOMING),
        "follow_ups": sum(1 for line in lines if line.follow_up),
        "lines": [
            {
                "meeting_id": line.meeting.pk,
                "round": line.meeting.round.number,
                "start": line.meeting.round.start,
                "boss": _person(line.boss),
                "state": line.state,
                "colour": line.rating.colour if line.rating else None,
                "boss_follow_up": line.boss_follow_up,
                "sponsor_follow_up": line.sponsor_follow_up,
                "contact": _contact(line.contact),
            }
            for line in lines
        ],
    }
