"""Member-facing pages: home, profile, directory, events, language switch."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from serendip.engines.recommend import IncompleteProfile
from serendip.events.access import can_organise, organised_by
from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.members import industries
from serendip.members.access import can_see_contact
from serendip.members.choices import Side
from serendip.members.current import current_member, member_required
from serendip.members.models import Member
from serendip.members.recommendations import not_now, suggestions_for
from serendip.members.services import (
    choose_language,
    connections_of,
    update_profile,
)
from serendip.network.models import Invitation
from serendip.programme.services import want_to_meet
from serendip.web.access import AuthenticatedHttpRequest
from serendip.web.forms import ProfileForm


def _member(request: HttpRequest) -> Member | None:
    return current_member(request)


# The parts of a profile that let others find a member, as the recommender names them.
PROFILE_PARTS = {
    "topics": _lazy("the topics you work on"),
    "offers": _lazy("what you can give"),
    "needs": _lazy("what you are looking for"),
}


def profile_gaps(member: Member) -> list[str]:
    """What a member should still add so that others can find them, in plain words."""
    filled = {"topics": member.keywords, "offers": member.offers, "needs": member.needs}
    return [str(label) for part, label in PROFILE_PARTS.items() if not filled[part]]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The member's home: their upcoming events, the club's, their connections."""
    member = _member(request)
    now = timezone.now()
    upcoming = Event.objects.filter(end__gte=now)
    context: dict[str, object] = {"member": member, "upcoming": upcoming[:10]}
    # An organiser's way in to the day: the events they run today and in the coming week.
    context["organising"] = organised_by(request.user).filter(
        end__gte=now, start__lte=now + dt.timedelta(days=7)
    )
    context["today"] = timezone.localdate(now).isoformat()
    if member is not None:
        context["my_registrations"] = (
            Registration.objects.filter(member=member, event__end__gte=now)
            .exclude(status=RegistrationStatus.CANCELLED)
            .select_related("event")
        )
        connections = list(connections_of(member)[:200])
        context["connections"] = [c.other(member) for c in connections][:12]
        context["connection_count"] = len(connections)
        context["gaps"] = profile_gaps(member)
    return render(request, "web/home.html", context)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Edit one's own profile; the sign-in email follows the profile's."""
    member = member_required(request)
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        update_profile(member, **form.cleaned_data)
        translation.activate(member.language)
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    return render(request, "web/profile_form.html", {"form": form, "member": member})


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    """The club directory, searchable by name, organisation, title and profile text."""
    # Former members (erased accounts) keep their history but leave the directory.
    members = (
        Member.objects.select_related("organisation")
        .exclude(side=Side.STAFF)
        .filter(user__is_active=True)
    )
    query = request.GET.get("q", "").strip()
    if query:
        members = members.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(organisation__name__icontains=query)
            | Q(headline__icontains=query)
            | Q(job_title__icontains=query)
            # Industries are stored as codes: "Santé" and "health" both find "healthcare".
            | Q(industry__in=industries.codes_matching(query))
            | Q(bio__icontains=query)
        )
    page = Paginator(members, 30).get_page(request.GET.get("page"))
    return render(request, "web/member_list.html", {"page": page, "query": query})


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Another member's public profile; contact details only where they allow it."""
    member = get_object_or_404(Member.objects.select_related("organisation"), pk=pk)
    viewer = _member(request)
    show_contact = can_see_contact(viewer, member, viewer_is_staff=request.user.is_staff)
    invitation = Invitation.objects.filter(member=member).select_related("inviter").first()
    return render(
        request,
        "web/member_detail.html",
        {
            "profile": member,
            "show_contact": show_contact,
            "is_me": viewer == member,
            "brought_in_by": invitation.inviter if invitation else None,
        },
    )


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming events first, then the past ones."""
    now = timezone.now()
    return render(
        request,
        "web/event_list.html",
        {
            "upcoming": Event.objects.filter(end__gte=now),
            "past": Event.objects.filter(end__lt=now).order_by("-start")[:20],
        },
    )


@login_required
def event_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """An event and who is registered, by side; organisers also see statuses and packages."""
    event = get_object_or_404(Event, slug=slug)
    registrations = event.registrations.select_related("member__organisation").order_by(
        "member__last_name", "member__first_name"
    )
    organises = can_organise(request.user, event)
    if not organises:
        registrations = registrations.exclude(status=RegistrationStatus.CANCELLED)
    by_side: dict[str, list[Registration]] = {}
    for registration in registrations:
        by_side.setdefault(registration.side, []).append(registration)
    sides = [(label, by_side.get(value, [])) for value, label in Side.choices if value in by_side]
    mine = registrations.filter(member__user_id=request.user.pk).first()
    return render(
        request,
        "web/event_detail.html",
        {
            "event": event,
            "sides": sides,
            "mine": mine,
            "total": len(registrations),
            "organises": organises,
        },
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in member's choice is kept in their profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(Member._meta.get_field("language").choices or []):
        member = current_member(request)
        if member is not None:
            choose_language(member, language=language)
        response.set_cookie("django_language", language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
def people_to_meet(request: HttpRequest) -> HttpResponse:
    """Strangers worth meeting, with why and how to start; or what the profile still lacks."""
    member = member_required(request)
    try:
        suggestions = suggestions_for(member, top=10)
        missing: list[str] = []
    except IncompleteProfile as incomplete:
        suggestions = []
        missing = [str(PROFILE_PARTS[name]) for name in incomplete.missing]
    return render(
        request, "web/people_to_meet.html", {"suggestions": suggestions, "missing": missing}
    )


@login_required
@require_POST
def people_action(request: HttpRequest, pk: int) -> HttpResponse:
    """ "I'd like to meet" (a wish for the next event both attend) or "not now" (90 days)."""
    member = member_required(request)
    other = get_object_or_404(Member, pk=pk)
    if other == member:
        return redirect("people")
    if request.POST.get("action") == "meet":
        event = want_to_meet(member, other)
        if event is None:
            messages.success(
                request,
                _("Noted: you will be proposed to meet %(name)s at the next event you both attend.")
                % {"name": other.full_name},
            )
        else:
            messages.success(
                request,
                _("Noted: you wish to meet %(name)s at %(event)s.")
                % {"name": other.full_name, "event": event.name},
            )
    else:
        not_now(member, other)
        messages.success(
            request, _("%(name)s will not be proposed for 90 days.") % {"name": other.full_name}
        )
    return redirect("people")
