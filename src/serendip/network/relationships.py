"""Keeping ties warm: contacts with their strength, keep-in-touch cadences and their
follow-ups, reconnect suggestions, private notes and exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import vobject
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from serendip.csvrows import write_csv
from serendip.engine_ids import member_of_profile, profile
from serendip.engines.network import next_due, reconnect
from serendip.members.models import Member
from serendip.members.services import are_connected
from serendip.network.graph import connection_ids, record, ties_of, touches
from serendip.network.models import ContactNote, FollowUp, KeepInTouch

# Tie strength in words, strongest first: (the least strength for the word, the word). A
# green meeting lately weighs 3 (a meeting and both greens), a meeting lately 1; each halves
# every half-life without contact, so "warm" fades to "fading", then "cold".
TIE_WORDS: tuple[tuple[float, Any], ...] = (
    (3.0, pgettext_lazy("tie", "strong")),
    (1.5, pgettext_lazy("tie", "warm")),
    (0.5, pgettext_lazy("tie", "fading")),
    (0.0, pgettext_lazy("tie", "cold")),
)


def tie_in_words(strength: float) -> str:
    """The tie as people say it: strong, warm, fading or cold (never a figure)."""
    return str(next(word for least, word in TIE_WORDS if strength >= least))


@dataclass(frozen=True)
class Contact:
    """A connection as the member sees it."""

    member: Member
    strength: float
    every_days: int | None
    due: FollowUp | None

    @property
    def tie(self) -> str:
        """The tie's strength in words, in the reader's language."""
        return tie_in_words(self.strength)


class NotAContact(Exception):
    """Cadences and notes are for one's own connections."""


def contacts_of(member: Member) -> list[Contact]:
    """The member's connections, strongest tie first, with cadence and next follow-up."""
    strengths = ties_of(member)
    rules = {k.contact_id: k for k in KeepInTouch.objects.filter(owner=member)}
    due = {
        f.rule.contact_id: f
        for f in FollowUp.objects.filter(rule__owner=member, done__isnull=True).select_related(
            "rule"
        )
    }
    people = Member.objects.filter(pk__in=connection_ids(member)).select_related("organisation")
    found = [
        Contact(
            p,
            round(strengths.get(p.pk, 0.0), 2),
            rules[p.pk].every_days if p.pk in rules else None,
            due.get(p.pk),
        )
        for p in people
    ]
    return sorted(found, key=lambda c: (-c.strength, c.member.last_name))


@transaction.atomic
def set_cadence(owner: Member, contact: Member, every_days: int) -> FollowUp:
    """Keep in touch every N days: the rule, and its next occurrence."""
    if not are_connected(owner, contact):
        raise NotAContact
    rule, _created = KeepInTouch.objects.update_or_create(
        owner=owner, contact=contact, defaults={"every_days": every_days}
    )
    rule.occurrences.filter(done__isnull=True).delete()
    last = max((t.at for t in touches(owner).get(contact.pk, [])), default=None)
    today = timezone.localdate()
    return FollowUp.objects.create(
        rule=rule, due=next_due(last.date() if last else None, every_days, today=today)
    )


@transaction.atomic
def follow_up_done(follow_up: FollowUp) -> FollowUp:
    """Mark the follow-up done: the tie gets warmer and the next occurrence is scheduled."""
    follow_up.done = timezone.now()
    follow_up.save(update_fields=["done"])
    rule = follow_up.rule
    record(rule.owner, rule.contact, "note")
    today = timezone.localdate()
    return FollowUp.objects.create(rule=rule, due=next_due(today, rule.every_days, today=today))


def follow_ups_due(member: Member, *, within_days: int = 0) -> list[FollowUp]:
    """The member's follow-ups due today or earlier (or within the coming days)."""
    limit = timezone.localdate() + dt.timedelta(days=within_days)
    return list(
        FollowUp.objects.filter(rule__owner=member, done__isnull=True, due__lte=limit)
        .select_related("rule__contact")
        .order_by("due")
    )


def reconnect_suggestions(member: Member, *, top: int = 5) -> list[Member]:
    """Valuable ties going cold, most valuable first."""
    connected = set(connection_ids(member))
    ties = {profile(k): v for k, v in touches(member).items() if k in connected}
    ids = reconnect(
        ties, now=timezone.now(), half_life_days=settings.SERENDIP_TIE_HALF_LIFE_DAYS, top=top
    )
    found = Member.objects.in_bulk([member_of_profile(i) for i in ids])
    return [found[member_of_profile(i)] for i in ids]


def add_note(owner: Member, contact: Member, text: str) -> ContactNote:
    """A private note about a connection."""
    if not are_connected(owner, contact):
        raise NotAContact
    return ContactNote.objects.create(owner=owner, contact=contact, text=text)


def _exported(member: Member) -> list[Member]:
    return list(
        Member.objects.filter(pk__in=connection_ids(member))
        .select_related("organisation")
        .order_by("last_name", "first_name")
    )


def contacts_vcard(member: Member, *, visible: Callable[[Member], bool]) -> str:
    """The member's connections as vCards; email and phone only where ``visible(other)``."""
    cards = []
    for other in _exported(member):
        card = vobject.vCard()
        card.add("fn").value = other.full_name
        card.add("n").value = vobject.vcard.Name(family=other.last_name, given=other.first_name)
        if other.organisation:
            card.add("org").value = [other.organisation.name]
        if other.job_title:
            card.add("title").value = other.job_title
        if visible(other):
            card.add("email").value = other.email
            if other.phone:
                card.add("tel").value = other.phone
        cards.append(card.serialize())
    return "".join(cards)


def contacts_csv(member: Member, *, visible: Callable[[Member], bool]) -> str:
    """The member's connections as CSV; email and phone only where ``visible(other)``."""
    rows = []
    for other in _exported(member):
        shown = visible(other)
        rows.append(
            [
                other.first_name,
                other.last_name,
                other.organisation.name if other.organisation else "",
                other.job_title,
                other.email if shown else "",
                other.phone if shown else "",
            ]
        )
    header = ["first_name", "last_name", "organisation", "job_title", "email", "phone"]
    return write_csv(header, rows)
