"""The receiver's gratitude ledger: only the receiver sees it; the giver sees thank-you
notes, never a count of what they gave."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from serendip.members.models import Member
from serendip.network.graph import record
from serendip.network.models import Gratitude
from serendip.network.notifications import notify


@transaction.atomic
def record_help(
    receiver: Member,
    *,
    what: str,
    when: dt.date,
    giver: Member | None = None,
    giver_name: str = "",
    thank_you: str = "",
) -> Gratitude:
    """Write down who helped and how; a thank-you note is passed on to a giver in the club."""
    entry = Gratitude.objects.create(
        receiver=receiver,
        giver=giver,
        giver_name="" if giver else giver_name,
        what=what,
        when=when,
        thank_you=thank_you,
    )
    if giver is not None:
        record(receiver, giver, "help")
        if thank_you:
            notify(
                giver,
                _("%(name)s sent you a thank-you note."),
                "/network/thanks/",
                name=receiver.full_name,
            )
    return entry


def ledger_of(member: Member) -> QuerySet[Gratitude]:
    """The member's own ledger."""
    return Gratitude.objects.filter(receiver=member).select_related("giver")


def thank_yous_for(member: Member) -> QuerySet[Gratitude]:
    """The thank-you notes others sent the member (never what or how often they gave)."""
    return (
        Gratitude.objects.filter(giver=member)
        .exclude(thank_you="")
        .select_related("receiver")
        .only("thank_you", "when", "receiver__first_name", "receiver__last_name")
    )
