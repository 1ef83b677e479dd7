"""The demo club between events: open asks, introductions in every state, a gratitude
ledger both ways, keep-in-touch follow-ups due, ties gone cold, invitations."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from serendip.demo.club import MEMBER_EMAIL, ORGANISER_EMAIL
from serendip.members.choices import ConnectionOrigin
from serendip.members.models import Member
from serendip.members.services import connect
from serendip.network.asks import create_ask
from serendip.network.graph import connection_ids, record, second_degree_ids
from serendip.network.introductions import (
    answer_introduction,
    expire_and_remind,
    propose_introduction,
    request_introduction,
)
from serendip.network.invitations import decide, invite
from serendip.network.ledger import record_help
from serendip.network.models import Ask, Audience, Introduction, Offer
from serendip.network.relationships import add_note, set_cadence

ASKS = [
    ("contact", "Un partenaire pour un test d'intrusion de notre SI", "Avant l'audit de juin."),
    ("advice", "Retours d'expérience sur une migration SAP S/4HANA", ""),
    ("service", "A FinOps review of our cloud bill", "AWS and Azure, about 2 M€ a year."),
    ("paid", "An interim CISO for six months", "Start in September."),
]


def build_network_demo(*, seed: int = 2027) -> bool:
    """Fill the demo club's life between events once; False if it is already there."""
    if Ask.objects.exists():
        return False
    rng = random.Random(seed)
    camille = Member.objects.get(email=MEMBER_EMAIL)
    others = list(Member.objects.exclude(pk=camille.pk).exclude(side="staff").order_by("pk"))
    # People Camille met at past events (strangers from other organisations).
    strangers = [m for m in others if m.organisation_id != camille.organisation_id]
    for friend in rng.sample(strangers, 10):
        connect(
            camille,
            friend,
            how=ConnectionOrigin.MET_AT_EVENT,
            since=timezone.localdate() - dt.timedelta(days=rng.randint(30, 700)),
        )
    friends = list(Member.objects.filter(pk__in=connection_ids(camille)).order_by("pk"))
    far = list(Member.objects.filter(pk__in=second_degree_ids(camille)).order_by("pk"))
    # Camille's ask, and asks from others she may see (the whole club's audience).
    kind, topic, details = ASKS[0]
    mine = create_ask(
        camille, kind=kind, topic=topic, details=details, audience=Audience.SECOND_DEGREE
    )
    for (kind, topic, details), author in zip(ASKS[1:], rng.sample(others, 3), strict=True):
        create_ask(author, kind=kind, topic=topic, details=details, audience=Audience.CLUB)
    Offer.objects.create(
        member=camille,
        kind="advice",
        title="Retour d'expérience : cloud souverain",
        details="Une heure au téléphone, volontiers.",
    )
    # Introductions in every state around Camille.
    a, b, c, d, e, f = friends[:6]
    helper = next(m for m in far if m.pk in set(connection_ids(a)))
    Offer.objects.create(
        member=helper,
        kind="service",
        title="Tests d'intrusion et audit de sécurité",
        details="Penetration testing for banks and insurers.",
    )
    # In every state: requested, waiting for Camille's answer, accepted, declined, expired.
    request_introduction(camille, helper=helper, introducer=a, ask=mine)
    propose_introduction(
        b,
        seeker=camille,
        helper=next(m for m in far if m.pk in set(connection_ids(b))),
        note="Vous devriez vous parler : même chantier de souveraineté.",
    )
    accepted = propose_introduction(camille, seeker=c, helper=d, note="Two FinOps people.")
    answer_introduction(accepted, c, yes=True)
    answer_introduction(accepted, d, yes=True)
    declined = propose_introduction(camille, seeker=e, helper=f, note="Worth a coffee?")
    answer_introduction(declined, f, yes=False)
    stale = propose_introduction(camille, seeker=a, helper=b, note="Old idea.")
    Introduction.objects.filter(pk=stale.pk).update(expires=timezone.now() - dt.timedelta(days=1))
    expire_and_remind()
    # The ledger, both ways; a thank-you note for Camille from a friend.
    today = timezone.localdate()
    record_help(
        camille,
        giver=a,
        what="M'a présenté notre futur DPO",
        when=today - dt.timedelta(days=40),
        thank_you="Merci, ce contact a tout changé.",
    )
    record_help(
        camille, giver=c, what="Relu notre appel d'offres cloud", when=today - dt.timedelta(days=12)
    )
    record_help(
        camille,
        giver_name="Une ancienne collègue",
        what="Conseils de négociation",
        when=today - dt.timedelta(days=90),
    )
    record_help(
        e,
        giver=camille,
        what="Retour d'expérience sur le cloud souverain",
        when=today - dt.timedelta(days=20),
        thank_you="Thank you for your time, Camille!",
    )
    # Keep in touch: follow-ups due now, a private note, and old ties going cold.
    for friend, days in ((a, 30), (c, 60), (e, 90)):
        set_cadence(camille, friend, days)
    add_note(camille, c, "Préfère être appelé le vendredi.")
    old = timezone.now() - dt.timedelta(days=500)
    for friend in friends[6:9]:
        record(camille, friend, "help", at=old)
        record(camille, friend, "green", at=old)
    # The network feeds itself: one invitation waiting, one new member brought in.
    invite(
        camille,
        email="nora.vidal@example.org",
        name="Nora Vidal",
        note="Nora dirige la data chez un assureur, elle adorerait le club.",
    )
    joined = invite(camille, email="hugo.perrin@example.org", name="Hugo Perrin", note="")
    organiser = get_user_model().objects.get(username=ORGANISER_EMAIL)
    decide(joined, approve=True, by=organiser)
    joined.refresh_from_db()
    if joined.member is not None:
        connect(camille, joined.member)
    return True
