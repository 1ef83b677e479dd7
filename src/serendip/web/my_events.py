"""The organiser's home: the events they organise, and nobody else's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from serendip.events.access import organised_by
from serendip.web.access import club_organiser_required


@club_organiser_required
def organiser_home(request: HttpRequest) -> HttpResponse:
    """Upcoming then past events that this organiser organises."""
    events = organised_by(request.user)
    now = timezone.now()
    return render(
        request,
        "web/organise/home.html",
        {
            "upcoming": events.filter(end__gte=now),
            "past": events.filter(end__lt=now).order_by("-start")[:20],
        },
    )
