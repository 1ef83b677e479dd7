"""An attendee's pages for one event: preferences, the day before, agenda, now/next, ratings."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_POST

from serendip.events.models import Event, Registration
from serendip.events.services import PastIsFrozen, answer_coming, new_calendar_token
from serendip.meals.services import tables_of
from serendip.members.current import current_member, member_required
from serendip.members.models import Member
from serendip.programme.access import can_read_bulletin, can_see_programme, holds_meeting
from serendip.programme.briefing import briefs, top_meetings
from serendip.programme.models import Colour, Meeting
from serendip.programme.pdf import bulletin_pdf
from serendip.programme.reports import (
    MeetingState,
    bulletin_of,
)
from serendip.programme.services import (
    CannotRate,
    Preference,
    PreferencesClosed,
    UnknownPartner,
    preference_partners,
    preferences_of,
    rate,
    set_preferences,
)
from serendip.web import live
from serendip.web.agenda_part import render_agenda_part
from serendip.web.answers import answer, refusal
from serendip.web.calendar import agenda_calendar
from serendip.web.now_part import render_now_part


def _attendee(request: HttpRequest, slug: str) -> tuple[Event, Member, Registration]:
    """The event, the signed-in member and their registration to it (404 if not registered).

    Looked up once per request (the now page asks twice: its part, then the page), the
    member the one ``current_member`` gives every caller of the request.
    """
    memo: dict[str, tuple[Event, Member, Registration]] = request.__dict__.setdefault(
        "_serendip_attendee", {}
    )
    if slug in memo:
        return memo[slug]
    event = get_object_or_404(Event, slug=slug)
    member = member_required(request)  # an account without a profile: the one 403 that says so
    registration = Registration.objects.filter(event=event, member=member).first()
    if registration is None:
        raise Http404("not registered to this event")
    registration.member = member  # the same object: its organisation is read once
    memo[slug] = (event, member, registration)
    return memo[slug]


def _visible(event: Event, request: HttpRequest) -> bool:
    """Attendees see the programme once published; the event's organisers always."""
    return can_see_programme(request.user, event)


def _feed_url(request: HttpRequest, token: str) -> str | None:
    if not token:
        return None
    return request.build_absolute_uri(reverse("calendar-feed", args=[token]))


@login_required
@cache_control(private=True, no_cache=True)
@condition(etag_func=live.agenda_etag)  # phones re-opening an unchanged agenda get a 304
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    """My meetings round by round, my meal tables, the .ics and the private feed."""
    found = live.attending(request, slug)
    if found is None:
        member_required(request)  # an account without a profile is told why (403)
        raise Http404("not registered to this event")
    if request.method == "POST":
        _event, _member, registration = _attendee(request, slug)
        new_calendar_token(registration)
        messages.success(request, _("A new private calendar link: the old one no longer works."))
        return redirect("agenda", slug=slug)
    # The event and the reader, not their registration: the attending query said enough.
    event = get_object_or_404(Event, slug=slug)
    member = member_required(request)
    published = _visible(event, request)
    meetings = SafeString()
    if published and not found.published:
        # The organisers' preview of an unpublished programme: theirs alone, nothing kept.
        meetings = render_agenda_part(event, member, now=timezone.now())
    elif published:

        def fresh(csrf: str) -> SafeString:
            live.warm_briefs_soon(found)  # the first reader of a new version asks for the rest
            return render_agenda_part(event, member, now=timezone.now())

        meetings = live.rendered(request, live.agenda_key(request, found), fresh)
    context = {
        "event": event,
        "published": published,
        "meetings": meetings,
        "meals": [t for t in tables_of(member) if t[0].event_id == event.pk],
        "feed_url": _feed_url(request, found.calendar_token),
    }
    return render(request, "web/attendee/agenda.html", context)


def _calendar_response(event: Event, member: Member) -> HttpResponse:
    response = HttpResponse(agenda_calendar(event, member), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@login_required
def agenda_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """My agenda as an .ics download."""
    event, member, _registration = _attendee(request, slug)
    if not _visible(event, request):
        raise Http404("programme not published")
    return _calendar_response(event, member)


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private calendar feed: no sign-in, the secret token is the key."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "member"), calendar_token=token
    )
    if not registration.event.published:
        raise Http404("programme not published")
    return _calendar_response(registration.event, registration.member)


@login_required
@cache_control(private=True, no_cache=True)
@condition(etag_func=live.now_etag)  # polled every minute: a 304 until something changed
def now_next(request: HttpRequest, slug: str) -> HttpResponse:
    """The meetings now and next, following the clock; meetings held to rate.

    A sponsor with several representatives holds several meetings in one round: every one
    is shown. ``?part=live`` returns only the parts that change with the clock, which the
    page fetches every minute to update itself in place (what is being typed stays).
    """
    found = live.attending(request, slug)
    if found is None:
        member_required(request)  # an account without a profile is told why (403)
        raise Http404("not registered to this event")
    poll = request.GET.get("part") == "live"
    if not found.published:
        # Only the event's organisers see an unpublished programme; nothing kept for them.
        event, _member, _registration = _attendee(request, slug)
        if not _visible(event, request):
            raise Http404("programme not published")
        preview = _now_part(request, slug, get_token(request))
        if poll:
            return HttpResponse(preview)
        return render(request, "web/attendee/now.html", {"event": event, "live": preview})
    key = live.now_key(request, found, poll=poll)

    def fresh(csrf: str) -> SafeString:
        live.warm_briefs_soon(found)  # the first reader of a new version asks for the rest
        return _now_part(request, slug, csrf)

    # The whole page's rendering serves the poll too (the poll ignores ratings).
    also = "" if poll else live.now_key(request, found, poll=True)
    part = live.kept(key, fresh, also=also)
    live.warm_next_gong_soon(found)  # asked once per gong, by whoever reads first
    if poll:
        return HttpResponse(live.with_token(request, part))
    if live.has_messages(request):
        event, _member, _registration = _attendee(request, slug)
        context = {"event": event, "live": live.with_token(request, part)}
        return render(request, "web/attendee/now.html", context)
    # The whole page is kept too: after a gong the room opens it at once.
    page = live.kept(live.page_key(request, key), lambda csrf: _now_page(request, slug, part, csrf))
    return HttpResponse(live.with_token(request, page))


def _now_page(request: HttpRequest, slug: str, part: str, csrf_token: str) -> str:
    """The whole now page around a kept part, with the CSRF placeholder in place of a token."""
    event, _member, _registration = _attendee(request, slug)
    context = {"event": event, "live": mark_safe(part), "csrf_token": csrf_token}
    return render_to_string("web/attendee/now.html", context, request=request)


def _now_part(request: HttpRequest, slug: str, csrf_token: str) -> SafeString:
    """The parts of the now page that follow the clock (now, next, to rate), as HTML."""
    event, member, registration = _attendee(request, slug)
    return render_now_part(event, member, registration, now=timezone.now(), csrf_token=csrf_token)


@login_required
@require_POST
def rate_meeting(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One tap: red, orange or green, a private note, and whether to follow up.

    The now page sends it with ``Accept: application/json`` (now.js) and shows the answer in
    place: at the gong the room rates within a minute, and reloading the whole page after
    each tap would cost the servers a page per rating. Without script, the form posts and
    comes back to the now page with a message.
    """
    # The meeting and the rater only: at the gong hundreds of ratings arrive within a minute.
    member = member_required(request)
    meeting = get_object_or_404(Meeting.objects.select_related("round"), pk=pk, event__slug=slug)
    if not holds_meeting(member, meeting):
        raise Http404("not your meeting")  # before anything else, whatever was posted
    back = reverse("now", args=[slug])
    colour = request.POST.get("colour", "")
    if colour not in Colour.values:
        return refusal(request, back, _("Choose red, orange or green."), status=400)
    try:
        rate(
            meeting,
            member,
            colour=colour,
            note=request.POST.get("note", "")[:2000],
            follow_up=request.POST.get("follow_up") == "on",
        )
    except ValueError:
        raise Http404("not your meeting") from None
    except CannotRate as refused:
        return refusal(request, back, str(refused), status=409)
    thanks = _("Thank you: your rating is saved (only you see your note).")
    return answer(request, back, thanks, colour=colour, label=Colour(colour).label)


@login_required
def preferences(request: HttpRequest, slug: str) -> HttpResponse:
    """Before the deadline: mark the other side "must meet", "would like" or "no thanks"."""
    event, member, registration = _attendee(request, slug)
    others = preference_partners(event, member, registration.side)
    closed = bool(event.preferences_deadline and timezone.now() > event.preferences_deadline)
    if request.method == "POST":
        choices = {o.pk: request.POST.get(f"p{o.pk}", "") for o in others}
        if closed:
            messages.error(request, _("The deadline for preferences has passed."))
        elif any(c not in Preference.values for c in choices.values()):
            messages.error(request, _("Unknown choice; nothing was changed."))
        else:
            try:
                set_preferences(event=event, member=member, side=registration.side, choices=choices)
            except PreferencesClosed:
                messages.error(request, _("The deadline for preferences has passed."))
            except UnknownPartner:
                # Someone cancelled between the page and the post: nothing was changed.
                messages.error(request, _("Unknown choice; nothing was changed."))
            else:
                messages.success(request, _("Your preferences are saved."))
            return redirect("preferences", slug=slug)
    marked = preferences_of(event, member)
    return render(
        request,
        "web/attendee/preferences.html",
        {
            "event": event,
            "rows": [(o, marked.get(o.pk, "")) for o in others],
            "choices": Preference.choices,
            "closed": closed,
        },
    )


def see_you(event: Event, now: dt.datetime | None = None) -> str:
    """ "See you tomorrow", "today" or "soon", by the venue's calendar and the clock."""
    venue = zoneinfo.ZoneInfo(event.timezone)
    today = timezone.localtime(now or timezone.now(), venue).date()
    first = timezone.localtime(event.start, venue).date()
    last = timezone.localtime(event.end, venue).date()
    if first <= today <= last:
        return _("Thank you, see you today!")
    if first == today + dt.timedelta(days=1):
        return _("Thank you, see you tomorrow!")
    return _("Thank you, see you soon!")


@login_required
def tomorrow(request: HttpRequest, slug: str) -> HttpResponse:
    """The day before: the three meetings that matter most, icebreakers, "coming or not"."""
    event, member, registration = _attendee(request, slug)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer in ("coming", "cannot"):
            try:
                answer_coming(registration, coming=answer == "coming", actor=request.user)
            except PastIsFrozen as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request,
                    see_you(event)
                    if answer == "coming"
                    else _("Thank you for telling us: your meetings go to other attendees."),
                )
        return redirect("tomorrow", slug=slug)
    visible = _visible(event, request)
    return render(
        request,
        "web/attendee/tomorrow.html",
        {
            "event": event,
            "registration": registration,
            # Before publication nothing is arranged yet: say so instead of "0 meetings".
            "published": visible,
            "top": top_meetings(event, member) if visible else [],
            "count": len(briefs(event, member)) if visible else 0,
        },
    )


@login_required
def bulletin(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A sponsor's bulletin (their own, or any for organisers); ``?format=pdf`` to print."""
    event = get_object_or_404(Event, slug=slug)
    sponsor = get_object_or_404(Member, pk=pk)
    if not can_read_bulletin(request.user, event, pk, member=current_member(request)):
        raise Http404("not your bulletin")
    lines = bulletin_of(event, sponsor)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(bulletin_pdf(event, sponsor, lines), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{event.slug}-{sponsor.pk}.pdf"'
        return response
    return render(
        request,
        "web/attendee/bulletin.html",
        {
            "event": event,
            "sponsor": sponsor,
            "lines": lines,
            "held": sum(1 for line in lines if line.held),
            "upcoming": sum(1 for line in lines if line.state == MeetingState.UPCOMING),
            "follow_ups": sum(1 for line in lines if line.follow_up),
        },
    )
