"""Asks and offers: who may see an ask, who can help, which offers answer it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from serendip.engine_ids import member_of_profile, profile
from serendip.engines.network import MATCH_FLOOR, Person, route, similarity
from serendip.members.models import Member
from serendip.network.graph import connection_ids, second_degree_ids, ties_among
from serendip.network.models import Ask, Audience, Offer
from serendip.network.notifications import notify, notify_all


@dataclass(frozen=True)
class Suggestion:
    """Someone who can help with an ask: why, and through whom."""

    helper: Member
    offer: str
    introducer: Member | None


def visible_asks(viewer: Member) -> list[Ask]:
    """The open asks the viewer may see, newest first."""
    mine = set(connection_ids(viewer))
    # Authors who share a connection with the viewer see their "second degree" asks reach them.
    friends_of_friends = second_degree_ids(viewer) | mine

    def reaches(ask: Ask) -> bool:
        author = ask.member_id
        return (
            author == viewer.pk
            or ask.audience == Audience.CLUB
            or author in mine
            or (ask.audience == Audience.SECOND_DEGREE and author in friends_of_friends)
        )

    asks = Ask.objects.filter(open=True).select_related("member__organisation")
    return [ask for ask in asks if reaches(ask)]


def offers_of(member: Member) -> list[str]:
    """Everything the member says they can give: profile items and active offers."""
    return [*member.offers, *offers_by([member.pk]).get(member.pk, [])]


def offers_by(ids: list[int]) -> dict[int, list[str]]:
    """The active offers of several members at once, as the words they are matched on."""
    found: dict[int, list[str]] = {}
    listed = Offer.objects.filter(member__in=ids, active=True)
    for member, title, details in listed.values_list("member", "title", "details"):
        found.setdefault(member, []).append(f"{title} {details}".strip())
    return found


def ask_text(ask: Ask) -> str:
    """The words an ask is matched on."""
    return f"{ask.topic} {ask.details}"


@transaction.atomic
def create_ask(member: Member, **fields: object) -> Ask:
    """Post an ask and tell the direct connections who could help."""
    ask = Ask.objects.create(member=member, **fields)
    # The direct connections among the best helpers hear of it, in one insert.
    notify_all(
        [s.helper for s in helpers_for(ask) if s.introducer is None],
        _("%(name)s is looking for: %(topic)s"),
        ask.get_absolute_url(),
        name=member.full_name,
        topic=ask.topic,
    )
    return ask


def helpers_for(ask: Ask, *, top: int = 5) -> list[Suggestion]:
    """The best helpers for the ask among the asker's connections and theirs."""
    asker = ask.member
    direct = connection_ids(asker)
    reachable = set(direct) | second_degree_ids(asker)
    members = list(Member.objects.filter(pk__in=reachable).exclude(pk=asker.pk))
    # Everyone's ties and offers in a few queries, whatever the size of the network.
    ties = ties_among([asker.pk, *(m.pk for m in members)])
    offered = offers_by([m.pk for m in members])
    people = [
        Person(
            profile(m.pk),
            (*m.offers, *offered.get(m.pk, [])),
            {profile(k): v for k, v in ties[m.pk].items()},
        )
        for m in members
    ]
    me = Person(profile(asker.pk), (), {profile(k): v for k, v in ties[asker.pk].items()})
    found = route(ask_text(ask), me, people, top=top)
    by_id = Member.objects.select_related("organisation").in_bulk(
        {member_of_profile(h.id) for h in found}
        | {member_of_profile(h.introducer) for h in found if h.introducer}
    )
    return [
        Suggestion(
            by_id[member_of_profile(h.id)],
            h.offer,
            by_id[member_of_profile(h.introducer)] if h.introducer else None,
        )
        for h in found
    ]


def matching_offers(ask: Ask, viewer: Member) -> list[Offer]:
    """Active offers in the club that answer the ask (not the asker's own)."""
    offers = list(
        Offer.objects.filter(active=True).exclude(member=ask.member).select_related("member")
    )
    scores = similarity(ask_text(ask), [f"{o.title} {o.details}" for o in offers])
    ranked = sorted(
        ((s, o) for s, o in zip(scores, offers, strict=True) if s >= MATCH_FLOOR),
        key=lambda so: -so[0],
    )
    return [o for _s, o in ranked[:10]]


def asks_i_could_help(member: Member) -> list[Ask]:
    """Open asks the member may see and whose words match what the member can give."""
    mine = " . ".join(offers_of(member))
    if not mine.strip():
        return []
    asks = [a for a in visible_asks(member) if a.member_id != member.pk]
    scores = similarity(mine, [ask_text(a) for a in asks])
    ranked = sorted(zip(scores, asks, strict=True), key=lambda sa: -sa[0])
    return [a for s, a in ranked if s >= MATCH_FLOOR][:5]


def add_offer(member: Member, *, kind: str, title: str, details: str = "") -> Offer:
    """List something the member can give (the page and the API add offers this one way)."""
    return Offer.objects.create(member=member, kind=kind, title=title, details=details)


def withdraw_offer(member: Member, *, offer_id: int) -> bool:
    """Take one of the member's own offers off the list; False when it is not theirs."""
    return Offer.objects.filter(pk=offer_id, member=member).update(active=False) == 1


def close_ask(ask: Ask, *, member: Member) -> bool:
    """Close the member's own ask (helpers stop seeing it); False when it is not theirs."""
    if ask.member_id != member.pk:
        return False
    ask.open = False
    ask.save(update_fields=["open"])
    return True


class OwnAsk(Exception):
    """One's own ask: nobody offers to help oneself."""


def offer_help(ask: Ask, *, helper: Member) -> None:
    """ "I can help": the asker is told in the app who offers, with a link to their profile.

    Raises OwnAsk for the asker's own ask.
    """
    if ask.member_id == helper.pk:
        raise OwnAsk
    notify(
        ask.member,
        _("%(name)s offers to help with: %(topic)s"),
        helper.get_absolute_url(),
        name=helper.full_name,
        topic=ask.topic,
    )
