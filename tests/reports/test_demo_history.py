"""The demo's two past seasons give every report something real to show."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone

from serendip.demo.club import MEMBER_EMAIL, build_demo_club
from serendip.demo.history import build_history
from serendip.members.models import Member
from serendip.outcomes.chains import timeline_for
from serendip.outcomes.models import Outcome, OutcomeStatus
from serendip.reports.figures import club_dashboard, member_figures, sponsor_report

pytestmark = pytest.mark.django_db


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_two_seasons_of_seminars_with_outcomes_confirmed_months_later() -> None:
    build_demo_club(seed=2027)
    now = timezone.now()
    history = build_history(seed=2027, now=now)
    assert history is not None and build_history(seed=2027, now=now) is None
    assert len(history.events) == 4 and all(e.end < now for e in history.events)
    confirmed = Outcome.objects.filter(status=OutcomeStatus.CONFIRMED)
    assert confirmed.count() == history.outcomes >= 15
    assert confirmed.filter(introduction__isnull=False).exists()  # some through introductions
    dashboard = club_dashboard(now=now)
    past = [e for e in dashboard.events if e.event_id in {h.pk for h in history.events}]
    assert len({e.season for e in past}) >= 2
    assert all(e.held > 0 and e.no_shows > 0 for e in past)
    assert sum(dashboard.outcomes_of(e.event_id).outcomes for e in past) > 5
    # The sponsor named by the demo sees its deal credited with a cost per outcome.
    assert history.sponsor is not None and history.sponsor.organisation is not None
    report = sponsor_report(history.sponsor.organisation, now=now)
    assert report.outcomes and any(row.cost_per_outcome for row in report.events)
    # Camille, the demo member, sees what her encounters made.
    camille = Member.objects.get(email=MEMBER_EMAIL)
    assert timeline_for(camille)
    assert member_figures(camille, now=now).outcomes >= 1
