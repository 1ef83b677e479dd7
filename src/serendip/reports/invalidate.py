"""What makes an event's kept summary stale: every write its figures depend on bumps it.

Programme writes (meetings, absences, the event's own fields) bump the event's
``programme_version``, which a kept summary is checked against. Everything else an event's
figures depend on is written elsewhere, so each such write bumps the summary's ``version``
here, in the writer's transaction (one UPDATE, whatever the number of events):

- a rating (a sponsor's ratings and follow-ups): its meeting's event;
- an outcome confirmed, edited or withdrawn, its credits written or removed: the events
  credited, before and after (``credits_written`` from the outcomes service, which writes
  credits in bulk, and the models' own signals);
- a registration saved (no-shows, expected; who came back): its event and the member's later
  events;
- a connection made, changed or removed (meetings between strangers): the events where the
  two met;
- a member who joins, leaves or changes organisation (organisation sizes, a sponsor's
  organisation): the events where they met, and where their organisations' bosses met;
- an organisation's industry changed: the events where its bosses met.

A write through ``QuerySet.update`` sends no signal: the domain services save instances for
the writes above.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet, Subquery
from django.db.models.signals import post_delete, post_init, post_save

from serendip.events.models import Event, Registration
from serendip.members.models import Connection, Member, Organisation
from serendip.outcomes.models import Outcome, OutcomeCredit
from serendip.outcomes.signals import credits_written
from serendip.programme.models import Meeting, Rating
from serendip.reports.models import EventFigures


def stale(events: Iterable[int | None] | QuerySet[Any]) -> int:
    """Mark these events' kept summaries stale (ids, or a queryset of ``event_id`` values)."""
    if isinstance(events, QuerySet):
        return EventFigures.objects.filter(event_id__in=events).update(version=F("version") + 1)
    ids = {e for e in events if e is not None}
    if not ids:
        return 0
    return EventFigures.objects.filter(event_id__in=ids).update(version=F("version") + 1)


def _rating(instance: Rating, **_kwargs: Any) -> None:
    stale(Meeting.objects.filter(pk=instance.meeting_id).values("event_id"))


def _outcome(instance: Outcome, **_kwargs: Any) -> None:
    stale(OutcomeCredit.objects.filter(outcome_id=instance.pk).values("event_id"))


def _credit(instance: OutcomeCredit, **_kwargs: Any) -> None:
    stale([instance.event_id])


def _credits_written(outcome: Outcome, **_kwargs: Any) -> None:
    _outcome(outcome)


def _registration(instance: Registration, **_kwargs: Any) -> None:
    # Its event, and every later event of the member (whether they "came back" there).
    start = Event.objects.filter(pk=instance.event_id).values("start")
    stale(
        Registration.objects.filter(
            member_id=instance.member_id, event__start__gte=Subquery(start)
        ).values("event_id")
    )


def _connection(instance: Connection, **_kwargs: Any) -> None:
    a, b = instance.member_a_id, instance.member_b_id
    stale(
        Meeting.objects.filter(Q(boss_id=a, sponsor_id=b) | Q(boss_id=b, sponsor_id=a)).values(
            "event_id"
        )
    )


# What an instance was loaded with is read from its __dict__: a deferred field (``only()``)
# must not cost a query per instance loaded.
def _remember_organisation(instance: Member, **_kwargs: Any) -> None:
    instance._reports_organisation = instance.__dict__.get("organisation_id")  # type: ignore[attr-defined]


def _member(instance: Member, created: bool = False, **kwargs: Any) -> None:
    was = getattr(instance, "_reports_organisation", None)
    now = instance.__dict__.get("organisation_id")
    deleted = kwargs.get("signal") is post_delete
    if not (created or deleted or was != now):
        return
    organisations = {o for o in (was, now) if o is not None}
    met = Q(boss__organisation_id__in=organisations)
    if not created:
        met |= Q(boss_id=instance.pk) | Q(sponsor_id=instance.pk)
    stale(Meeting.objects.filter(met).values("event_id"))
    instance._reports_organisation = now  # type: ignore[attr-defined]


def _remember_industry(instance: Organisation, **_kwargs: Any) -> None:
    instance._reports_industry = instance.__dict__.get("industry")  # type: ignore[attr-defined]


def _organisation(instance: Organisation, created: bool = False, **_kwargs: Any) -> None:
    industry = instance.__dict__.get("industry")
    if created or getattr(instance, "_reports_industry", None) == industry:
        return
    stale(Meeting.objects.filter(boss__organisation_id=instance.pk).values("event_id"))
    instance._reports_industry = industry  # type: ignore[attr-defined]


def connect() -> None:
    """Connect the receivers (from the app's ``ready``)."""
    uid = "serendip.reports."
    for model, receiver in (
        (Rating, _rating),
        (OutcomeCredit, _credit),
        (Registration, _registration),
        (Connection, _connection),
        (Member, _member),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}{model.__name__}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}{model.__name__}.delete")
    post_save.connect(_outcome, sender=Outcome, dispatch_uid=f"{uid}Outcome.save")
    post_save.connect(_organisation, sender=Organisation, dispatch_uid=f"{uid}Organisation.save")
    post_init.connect(_remember_organisation, sender=Member, dispatch_uid=f"{uid}Member.init")
    post_init.connect(_remember_industry, sender=Organisation, dispatch_uid=f"{uid}Org.init")
    credits_written.connect(_credits_written, dispatch_uid=f"{uid}credits_written")
