"""The weekly digest: upcoming meetings, follow-ups due, asks you could help with,
introductions waiting for you and "did anything come of it?" about meetings some weeks
ago; each kind unsubscribable by a signed link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from serendip import mail
from serendip.members.models import Member
from serendip.network.asks import asks_i_could_help
from serendip.network.models import Answer, DigestKind, Introduction, IntroductionState, Unsubscribe
from serendip.network.relationships import follow_ups_due
from serendip.programme.models import Meeting

SALT = "serendip.digest.unsubscribe"


def unsubscribe_token(member: Member, kind: str) -> str:
    """A signed token that unsubscribes this member from this kind of section."""
    return signing.dumps({"m": member.pk, "k": kind}, salt=SALT)


def read_unsubscribe_token(token: str) -> tuple[Member, str]:
    """Whom and what a token unsubscribes, without applying it.

    Raises signing.BadSignature if it was tampered with, Member.DoesNotExist or ValueError.
    """
    data = signing.loads(token, salt=SALT)
    return Member.objects.get(pk=data["m"]), DigestKind(data["k"])


def unsubscribe(token: str) -> tuple[Member, str]:
    """Apply an unsubscribe token; raises signing.BadSignature if it was tampered with."""
    member, kind = read_unsubscribe_token(token)
    Unsubscribe.objects.get_or_create(member=member, kind=kind)
    return member, kind


def sections_for(member: Member, *, now: dt.datetime | None = None) -> dict[str, list[Any]]:
    """What the member's digest would say, by kind (empty kinds included)."""
    now = now or timezone.now()
    waiting = Introduction.objects.filter(state=IntroductionState.PROPOSED).filter(
        Q(seeker=member, seeker_answer=Answer.PENDING)
        | Q(helper=member, helper_answer=Answer.PENDING)
    )
    return {
        DigestKind.MEETINGS: list(
            Meeting.objects.filter(
                Q(boss=member) | Q(sponsor=member),
                round__start__gte=now,
                round__start__lt=now + dt.timedelta(days=7),
                event__published__isnull=False,
            )
            .select_related("round", "event", "boss", "sponsor")
            .order_by("round__start")
        ),
        DigestKind.FOLLOW_UPS: follow_ups_due(member, within_days=7),
        DigestKind.ASKS: asks_i_could_help(member),
        DigestKind.INTRODUCTIONS: list(waiting.select_related("introducer", "seeker", "helper")),
        DigestKind.OUTCOMES: _outcome_questions(member, now),
    }


def _outcome_questions(member: Member, now: dt.datetime) -> list[Any]:
    """The questions about meetings some weeks ago, put now if due (outcomes/asking.py)."""
    # Imported here: the outcomes app builds on the network's models.
    from serendip.outcomes.asking import fresh_questions, put_questions

    put_questions(member, now=now)
    return fresh_questions(member, now=now)


def digest_message(member: Member) -> EmailMessage | None:
    """The member's digest email, or None when there is nothing to say or they opted out."""
    off = set(Unsubscribe.objects.filter(member=member).values_list("kind", flat=True))
    sections = {k: v for k, v in sections_for(member).items() if v and k not in off}
    if not sections or not member.email:
        return None
    site = settings.SERENDIP_SITE_URL
    with translation.override(member.language):
        parts = [
            {
                "kind": kind,
                "label": DigestKind(kind).label,
                "items": items,
                "unsubscribe": site
                + reverse("unsubscribe", args=[unsubscribe_token(member, kind)]),
            }
            for kind, items in sections.items()
        ]
    return mail.letter(
        "network/email/digest",
        {"member": member, "sections": parts, "site": site},
        to=member.email,
        language=member.language,
    )


@task()
def send_digests() -> int:
    """Send this week's digest to every member who has something in it; returns mails sent."""
    return mail.send(
        m
        for m in (digest_message(member) for member in Member.objects.exclude(email=""))
        if m is not None
    )
