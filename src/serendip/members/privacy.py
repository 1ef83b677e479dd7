"""A member's privacy rights: download everything about them, erase their account.

What the export holds is the member's own data: their profile and account, and
what they wrote or took part in. Two choices are deliberate:

- the ratings and private notes *others* gave about a meeting with them are the
  raters' data (a rating is a private judgement, a note a private memo): the
  export lists the ratings the member gave, never those given to them;
- notes others wrote about them (contact notes) and others' gratitude ledgers
  stay private to their owners; the member sees the thank-you notes sent to
  them, as the app already shows them.

Erasure keeps the club's history whole (meetings held, ratings given, event
registrations, introductions, thank-you notes others received) and attaches it
to an anonymous "Former member #id", whose login no longer works.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from serendip.csvrows import safe_dict
from serendip.events.models import Event, Registration, RegistrationStatus
from serendip.events.services import User as Actor
from serendip.events.services import log
from serendip.meals.models import Seat
from serendip.members.choices import ContactVisibility
from serendip.members.models import ApiToken, Connection, HiddenRecommendation, Member
from serendip.network.models import (
    Ask,
    ContactNote,
    FollowUp,
    Gratitude,
    Interaction,
    Introduction,
    IntroductionState,
    Invitation,
    KeepInTouch,
    Notification,
    Offer,
    Unsubscribe,
)
from serendip.programme.models import Decline, Meeting, Rating, Wish

logger = logging.getLogger(__name__)

EXPORT_FORMAT = 1
# ".invalid" is reserved (RFC 2606): nothing is ever delivered to an erased member's address.
ERASED_DOMAIN = "erased.invalid"

# The sections of an export in the order a reader meets them, with their headings.
SECTIONS: dict[str, Any] = {
    "account": _lazy("Account"),
    "profile": _lazy("Profile"),
    "organisation": _lazy("Organisation"),
    "connections": _lazy("Connections"),
    "registrations": _lazy("Event registrations"),
    "meetings": _lazy("Meetings"),
    "ratings_given": _lazy("Ratings and notes I gave"),
    "meal_seats": _lazy("Meal seats"),
    "wishes": _lazy("People I wished to meet"),
    "declines": _lazy("People I declined to meet"),
    "hidden_people": _lazy("People hidden from my suggestions"),
    "asks": _lazy("My asks"),
    "offers": _lazy("My offers"),
    "introductions": _lazy("Introductions I am in"),
    "ledger": _lazy("My gratitude ledger"),
    "thank_yous_received": _lazy("Thank-you notes I received"),
    "keep_in_touch": _lazy("Keep-in-touch rules"),
    "follow_ups": _lazy("Follow-ups"),
    "contact_notes": _lazy("Notes I wrote about contacts"),
    "interactions": _lazy("Contacts recorded with other members"),
    "notifications": _lazy("Notifications"),
    "invitations_sent": _lazy("Invitations I sent"),
    "brought_in_by": _lazy("Who brought me in"),
    "digest_unsubscribed": _lazy("Digest sections I unsubscribed from"),
    "api_tokens": _lazy("API tokens (names only)"),
}


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _person(member: Member | None) -> dict[str, Any] | None:
    return {"id": member.pk, "name": member.full_name} if member is not None else None


def _event(event: Event) -> dict[str, Any]:
    return {"slug": event.slug, "name": event.name}


def export_member(member: Member) -> dict[str, Any]:
    """Everything the club holds about ``member`` that is theirs to read, as JSON-ready data."""
    user = member.user
    organisation = member.organisation
    meetings = (
        Meeting.objects.filter(Q(boss=member) | Q(sponsor=member))
        .select_related("event", "round", "boss", "sponsor")
        .order_by("round__start", "pk")
    )
    introductions = (
        Introduction.objects.filter(Q(introducer=member) | Q(seeker=member) | Q(helper=member))
        .select_related("introducer", "seeker", "helper", "ask")
        .order_by("created", "pk")
    )
    invitation = Invitation.objects.filter(member=member).select_related("inviter").first()
    # Imported here: the outcomes app reads the programme's reports, which read this module.
    from serendip.outcomes.services import export_outcomes

    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "about": _(
            "Everything serendip holds about you that is yours to read. Ratings and notes "
            "that other members gave after meeting you, their notes about contacts and "
            "their gratitude ledgers are their own private data and are not included."
        ),
        "account": {
            "username": user.get_username(),
            "email": getattr(user, "email", ""),
            "date_joined": _when(getattr(user, "date_joined", None)),
            "last_login": _when(user.last_login),
            "is_active": user.is_active,
        },
        "profile": {
            "id": member.pk,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "email": member.email,
            "phone": member.phone,
            "linkedin": member.linkedin,
            "language": member.language,
            "headline": member.headline,
            "job_title": member.job_title,
            "seniority": member.seniority,
            "industry": member.industry,
            "side": member.side,
            "topics": list(member.keywords),
            "what_i_can_give": list(member.offers),
            "what_i_am_looking_for": list(member.needs),
            "bio": member.bio,
            "contact_visibility": member.contact_visibility,
            "joined": _when(member.joined),
            "updated": _when(member.updated),
        },
        "organisation": (
            {
                "name": organisation.name,
                "industry": organisation.industry,
                "city": organisation.city,
                "website": organisation.website,
            }
            if organisation is not None
            else None
        ),
        "connections": [
            {
                "with": _person(c.other(member)),
                "since": _when(c.since),
                "how": c.how,
                "last_interaction": _when(c.last_interaction),
            }
            for c in Connection.objects.filter(Q(member_a=member) | Q(member_b=member))
            .select_related("member_a", "member_b")
            .order_by("pk")
        ],
        "registrations": [
            {
                "event": _event(r.event),
                "side": r.side,
                "status": r.status,
                "guaranteed_meetings": r.guaranteed_meetings,
                "representatives": r.representatives,
                "registered_on": _when(r.created),
                "left_after_round": r.left_after.number if r.left_after else None,
                "calendar_feed": bool(r.calendar_token),
            }
            for r in Registration.objects.filter(member=member)
            .select_related("event", "left_after")
            .order_by("event__start", "pk")
        ],
        "meetings": [
            {
                "id": m.pk,
                "event": _event(m.event),
                "round": m.round.number,
                "start": _when(m.round.start),
                "minutes": m.round.minutes,
                "table": m.table,
                "with": _person(m.sponsor if m.boss_id == member.pk else m.boss),
                "my_side": "boss" if m.boss_id == member.pk else "sponsor",
                "placed_by_hand": m.pinned,
            }
            for m in meetings
        ],
        "ratings_given": [
            {
                "meeting": r.meeting_id,
                "event": _event(r.meeting.event),
                "with": _person(
                    r.meeting.sponsor if r.meeting.boss_id == member.pk else r.meeting.boss
                ),
                "colour": r.colour,
                "private_note": r.note,
                "follow_up": r.follow_up,
                "when": _when(r.created),
            }
            for r in Rating.objects.filter(rater=member)
            .select_related("meeting__event", "meeting__boss", "meeting__sponsor")
            .order_by("created", "pk")
        ],
        "meal_seats": [
            {
                "event": _event(s.meal.event),
                "meal": s.meal.name,
                "start": _when(s.meal.start),
                "rotation": s.rotation,
                "table": s.table,
            }
            for s in Seat.objects.filter(member=member)
            .select_related("meal__event")
            .order_by("meal__start", "rotation")
        ],
        "wishes": [
            {
                "wanted": _person(w.wanted),
                "event": _event(w.event) if w.event else None,
                "weight": w.weight,
                "created": _when(w.created),
            }
            for w in Wish.objects.filter(member=member).select_related("wanted", "event")
        ],
        "declines": [
            {"declined": _person(d.declined), "event": _event(d.event)}
            for d in Decline.objects.filter(member=member).select_related("declined", "event")
        ],
        "hidden_people": [
            {"hidden": _person(h.hidden), "until": _when(h.until)}
            for h in HiddenRecommendation.objects.filter(member=member).select_related("hidden")
        ],
        "asks": [
            {
                "id": a.pk,
                "kind": a.kind,
                "topic": a.topic,
                "details": a.details,
                "urgency": a.urgency,
                "audience": a.audience,
                "open": a.open,
                "created": _when(a.created),
            }
            for a in Ask.objects.filter(member=member).order_by("created", "pk")
        ],
        "offers": [
            {
                "kind": o.kind,
                "title": o.title,
                "details": o.details,
                "active": o.active,
                "created": _when(o.created),
            }
            for o in Offer.objects.filter(member=member).order_by("created", "pk")
        ],
        "introductions": [
            {
                "id": i.pk,
                "my_role": (
                    "introducer"
                    if i.introducer_id == member.pk
                    else "seeker"
                    if i.seeker_id == member.pk
                    else "helper"
                ),
                "introducer": _person(i.introducer),
                "seeker": _person(i.seeker),
                "helper": _person(i.helper),
                "ask": i.ask.topic if i.ask else None,
                "state": i.state,
                "note": i.note,
                "seeker_answer": i.seeker_answer,
                "helper_answer": i.helper_answer,
                "created": _when(i.created),
                "expires": _when(i.expires),
            }
            for i in introductions
        ],
        "ledger": [
            {
                "giver": _person(g.giver) if g.giver else g.giver_name,
                "what": g.what,
                "when": _when(g.when),
                "thank_you": g.thank_you,
            }
            for g in Gratitude.objects.filter(receiver=member).select_related("giver")
        ],
        "thank_yous_received": [
            {"from": _person(g.receiver), "when": _when(g.when), "thank_you": g.thank_you}
            for g in Gratitude.objects.filter(giver=member)
            .exclude(thank_you="")
            .select_related("receiver")
        ],
        "keep_in_touch": [
            {"contact": _person(k.contact), "every_days": k.every_days}
            for k in KeepInTouch.objects.filter(owner=member).select_related("contact")
        ],
        "follow_ups": [
            {"contact": _person(f.rule.contact), "due": _when(f.due), "done": _when(f.done)}
            for f in FollowUp.objects.filter(rule__owner=member)
            .select_related("rule__contact")
            .order_by("due")
        ],
        "contact_notes": [
            {"contact": _person(n.contact), "text": n.text, "created": _when(n.created)}
            for n in ContactNote.objects.filter(owner=member).select_related("contact")
        ],
        "interactions": [
            {
                "with": _person(i.member_b if i.member_a_id == member.pk else i.member_a),
                "kind": i.kind,
                "at": _when(i.at),
            }
            for i in Interaction.objects.filter(Q(member_a=member) | Q(member_b=member))
            .select_related("member_a", "member_b")
            .order_by("at")
        ],
        "notifications": [
            {"text": n.text, "url": n.url, "created": _when(n.created), "read": _when(n.read)}
            for n in Notification.objects.filter(member=member).order_by("created", "pk")
        ],
        "invitations_sent": [
            {
                "name": i.name,
                "email": i.email,
                "note": i.note,
                "status": i.status,
                "created": _when(i.created),
            }
            for i in Invitation.objects.filter(inviter=member).order_by("created", "pk")
        ],
        "brought_in_by": _person(invitation.inviter) if invitation else None,
        "digest_unsubscribed": sorted(
            Unsubscribe.objects.filter(member=member).values_list("kind", flat=True)
        ),
        "api_tokens": [
            {"name": t.name, "created": _when(t.created), "last_used": _when(t.last_used)}
            for t in ApiToken.objects.filter(member=member).order_by("created", "pk")
        ],
        "outcomes": export_outcomes(member),
    }


def _flat(value: Any) -> str:
    """One cell of a CSV or HTML table: people by name, lists joined, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, dict):
        if set(value) == {"id", "name"} or set(value) == {"slug", "name"}:
            return str(value["name"])
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    return str(value)


def _rows(data: Any) -> list[dict[str, str]]:
    """A section as table rows (one row for a single record)."""
    if data is None:
        return []
    if isinstance(data, dict):
        if set(data) in ({"id", "name"}, {"slug", "name"}):
            return [{"name": str(data["name"])}]
        data = [data]
    if data and not isinstance(data[0], dict):
        return [{"value": _flat(v)} for v in data]
    return [{k: _flat(v) for k, v in row.items()} for row in data]


def export_archive(member: Member) -> bytes:
    """A zip of the export: the JSON, a readable HTML page and one CSV per section."""
    data = export_member(member)
    tables = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("serendip-data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for key, title in SECTIONS.items():
            rows = _rows(data[key])
            columns = list(rows[0]) if rows else []
            tables.append({"key": key, "title": str(title), "columns": columns, "rows": rows})
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns or ["value"])
            writer.writeheader()
            writer.writerows(safe_dict(row) for row in rows)
            archive.writestr(f"csv/{key}.csv", text.getvalue())
        archive.writestr(
            "index.html",
            render_to_string(
                "account/export_archive.html",
                {"member": member, "data": data, "tables": tables},
            ),
        )
    return buffer.getvalue()


def erased_email(member: Member) -> str:
    """The unique placeholder address an erased member is left with."""
    return f"former-member-{member.pk}@{ERASED_DOMAIN}"


def is_erased(member: Member) -> bool:
    """Whether the member's account has been erased."""
    return member.email == erased_email(member)


def _flush_sessions(user: AbstractBaseUser) -> int:
    """Delete the user's stored sessions (database sessions; others die with the password)."""
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return 0
    doomed = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def _forget_sign_in_attempts(username: str) -> None:
    """django-axes keeps failed sign-ins by username: they name the person too."""
    if not apps.is_installed("axes"):
        return
    for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        try:
            model = apps.get_model("axes", name)
        except LookupError:
            continue
        model.objects.filter(username__iexact=username).delete()


@transaction.atomic
def erase_member(member: Member, *, actor: Actor) -> Member:
    """Erase a member's personal data and login, keeping others' history; idempotent."""
    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    if is_erased(member):
        return member
    user = member.user
    old_username = user.get_username()
    now = timezone.now()

    # Their own private data and everything that would keep them in others' suggestions.
    ApiToken.objects.filter(member=member).delete()
    HiddenRecommendation.objects.filter(member=member).delete()
    Wish.objects.filter(member=member).delete()
    Decline.objects.filter(member=member).delete()
    # Their ledger is private and goes, except the thank-you notes they sent: those belong
    # to the givers now (a thank-you is never taken back); only the note itself stays.
    ledger = Gratitude.objects.filter(receiver=member)
    sent = ledger.filter(giver__isnull=False).exclude(thank_you="")
    sent.update(what="—", giver_name="")
    ledger.exclude(pk__in=sent.values("pk")).delete()
    ContactNote.objects.filter(owner=member).delete()
    # Nobody is reminded to keep in touch with a former member either.
    KeepInTouch.objects.filter(Q(owner=member) | Q(contact=member)).delete()
    Notification.objects.filter(member=member).delete()
    Unsubscribe.objects.filter(member=member).delete()
    Offer.objects.filter(member=member).delete()
    # A connection would route others' asks through someone who is gone.
    Connection.objects.filter(Q(member_a=member) | Q(member_b=member)).delete()
    Ask.objects.filter(member=member).update(open=False, topic="—", details="")
    Introduction.objects.filter(
        Q(introducer=member) | Q(seeker=member) | Q(helper=member),
        state__in=[IntroductionState.REQUESTED, IntroductionState.PROPOSED],
    ).update(state=IntroductionState.EXPIRED)
    # Pending invitations hold a third person's address that nobody will follow up.
    Invitation.objects.filter(inviter=member, status=Invitation.Status.PENDING).delete()
    Invitation.objects.filter(member=member).update(name="", email=erased_email(member), note="")
    # Ratings stay (the sponsor's bulletin, the event's figures); the private note goes.
    Rating.objects.filter(rater=member).exclude(note="").update(note="")
    # Confirmed outcomes are history: they stay, with the anonymous member (outcomes/services).
    from serendip.outcomes.services import forget_member

    forget_member(member, actor=actor, now=now)
    registrations = list(Registration.objects.filter(member=member).select_related("event"))
    Registration.objects.filter(member=member).update(calendar_token=None)
    # Events still to come no longer count on them; past events keep their figures.
    Registration.objects.filter(member=member, event__start__gt=now).update(
        status=RegistrationStatus.CANCELLED
    )

    with translation.override(settings.LANGUAGE_CODE):
        first_name, last_name = _("Former member"), f"#{member.pk}"
    placeholder = erased_email(member)
    member.first_name, member.last_name, member.email = first_name, last_name, placeholder
    for name in ("phone", "linkedin", "headline", "job_title", "seniority", "industry", "bio"):
        setattr(member, name, "")
    member.keywords, member.offers, member.needs = [], [], []
    member.organisation = None
    member.contact_visibility = ContactVisibility.NOBODY
    member.save()

    user.username = user.email = placeholder
    user.first_name, user.last_name = first_name, last_name
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    _flush_sessions(user)
    _forget_sign_in_attempts(old_username)

    details = f"{first_name} {last_name}"
    for event in {r.event for r in registrations}:
        log(event, actor, "member-erased", details, params={"name": details})
    logger.info("member %s erased by user %s", member.pk, getattr(actor, "pk", None))
    return member
