"""Tags for ways in and out: an attendee's event tabs, and how to write to a member."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from serendip.events.access import can_organise
from serendip.events.models import Event, EventKind, Registration
from serendip.members.access import can_see_contact
from serendip.members.choices import Side
from serendip.members.current import current_member
from serendip.members.models import Member

register = template.Library()


@register.simple_tag(takes_context=True)
def signed_in_member(context: template.Context) -> Member | None:
    """The member signed in, or None: an organiser's account without a member profile gets
    no menu links to the member's own pages (they would answer 403)."""
    return current_member(context["request"])


@register.inclusion_tag("web/attendee/tabs.html", takes_context=True)
def attendee_tabs(context: template.Context, event: Event) -> dict[str, Any]:
    """The tabs of one event that lead somewhere for this reader, the current one marked.

    A dinner has no one-to-one programme (no preferences, no "now / next"); an unpublished
    programme has no "now / next" page yet; only a sponsor has a bulletin; an organiser gets
    a way back to the organiser's pages.
    """
    request = context["request"]
    user = request.user
    registration = (
        Registration.objects.filter(event=event, member__user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    organises = can_organise(user, event)
    seminar = event.kind == EventKind.SEMINAR or event.tables > 0
    visible = bool(event.published) or organises
    match = request.resolver_match
    current = match.url_name if match else ""
    tabs: list[tuple[str, str, str]] = [
        ("event-detail", reverse("event-detail", args=[event.slug]), _("The event"))
    ]
    if registration is not None:
        tabs.append(("agenda", reverse("agenda", args=[event.slug]), _("My agenda")))
        if seminar and visible:
            tabs.append(("now", reverse("now", args=[event.slug]), _("Now / next")))
        if seminar:
            tabs.append(("tomorrow", reverse("tomorrow", args=[event.slug]), _("The day before")))
            tabs.append(
                ("preferences", reverse("preferences", args=[event.slug]), _("My preferences"))
            )
        if seminar and registration.side == Side.SPONSOR:
            url = reverse("bulletin", args=[event.slug, registration.member_id])
            tabs.append(("bulletin", url, _("My bulletin")))
    if organises:
        if current == "bulletin":
            report = reverse("organise-report", args=[event.slug])
            tabs.append(("", report, _("Back to the report")))
        else:
            tabs.append(("", reverse("organise", args=[event.slug]), _("Organise")))
    return {"tabs": [(url, label, name == current) for name, url, label in tabs]}


@register.inclusion_tag("web/contact_links.html", takes_context=True)
def contact_links(context: template.Context, member: Member) -> dict[str, Any]:
    """How to write to a member: their email, phone and LinkedIn where they let the reader see
    them; otherwise their profile page, whose visibility rules say the rest."""
    request = context["request"]
    viewer = current_member(request)
    allowed = can_see_contact(viewer, member, viewer_is_staff=request.user.is_staff)
    return {"member": member, "allowed": allowed}
