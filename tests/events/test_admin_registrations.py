"""Registrations changed in the back office go through the domain service: the event's lock,
the activity log, and a cancellation freeing the member's meetings as at the desk."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from serendip.events import registrations
from serendip.events.models import Registration, RegistrationStatus
from serendip.programme.models import Meeting
from tests.factories import MemberFactory, UserFactory
from tests.programme.seminar import build_seminar, plan_beforehand

pytestmark = pytest.mark.django_db


@pytest.fixture
def locks(monkeypatch: Any) -> list[int]:
    """The events whose lock the service took."""
    taken: list[int] = []
    real = registrations.lock

    def spy(event: Any, **kwargs: Any) -> Any:
        taken.append(event.pk)
        return real(event, **kwargs)

    monkeypatch.setattr(registrations, "lock", spy)
    return taken


def organiser_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_cancelling_in_the_list_takes_the_lock_frees_the_meetings_and_logs(locks) -> None:
    seminar = build_seminar()
    plan_beforehand(seminar)
    boss = seminar.bosses[0]
    registration = seminar.registration(boss)
    assert Meeting.objects.filter(event=seminar.event, boss=boss).exists()
    others = Registration.objects.filter(event=seminar.event).exclude(pk=registration.pk)
    rows = [registration, *others.order_by("pk")[:1]]
    form = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "Save",
    }
    for n, row in enumerate(rows):
        form[f"form-{n}-id"] = str(row.pk)
        form[f"form-{n}-status"] = (
            RegistrationStatus.CANCELLED if row.pk == registration.pk else row.status
        )
    url = reverse("admin:events_registration_changelist") + f"?event__id__exact={seminar.event.pk}"
    answer = organiser_client().post(url, form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert not Meeting.objects.filter(event=seminar.event, boss=boss).exists()
    assert seminar.event.pk in locks
    line = seminar.event.activity.get(action="attendance")
    assert line.params["status"] == "cancelled" and line.params["freed"] > 0


def test_the_events_page_adds_changes_and_removes_registrations_under_the_lock(locks) -> None:
    seminar = build_seminar(bosses=2, sponsors=1)
    event = seminar.event
    sponsor = seminar.registration(seminar.sponsors[0])
    gone = seminar.registration(seminar.bosses[1])
    newcomer = MemberFactory(side="boss")
    client = organiser_client()
    url = reverse("admin:events_event_change", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    form["start_0"], form["start_1"] = event.start.strftime("%Y-%m-%d"), "09:00:00"
    form["end_0"], form["end_1"] = event.end.strftime("%Y-%m-%d"), "17:00:00"
    form["organisers"] = []
    rows = list(event.registrations.order_by("pk"))
    promised = sponsor.guaranteed_meetings or 0
    prefix = "registrations"
    form |= {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + 1),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate([*rows, None]):
        values = {
            "id": row.pk if row else "",
            "event": event.pk,
            "member": row.member_id if row else newcomer.pk,
            "side": row.side if row else "boss",
            "status": row.status if row else RegistrationStatus.INVITED,
            "guaranteed_meetings": (row.guaranteed_meetings or "") if row else "",
            "representatives": row.representatives if row else 1,
        }
        if row is not None and row.pk == sponsor.pk:
            values["guaranteed_meetings"] = promised + 2
        if row is not None and row.pk == gone.pk:
            values["DELETE"] = "on"
        form |= {f"{prefix}-{n}-{key}": value for key, value in values.items()}
    answer = client.post(url, form)
    assert answer.status_code == 302, (
        [(f.errors, f.non_form_errors()) for f in answer.context["inline_admin_formsets"]]
        if answer.context
        else answer.content
    )
    sponsor.refresh_from_db()
    assert sponsor.guaranteed_meetings == promised + 2
    assert not event.registrations.filter(pk=gone.pk).exists()
    assert event.registrations.filter(member=newcomer).exists()
    assert locks.count(event.pk) >= 3  # once per registration the form wrote
    with translation.override("en"):
        lines = sorted(line.sentence for line in event.activity.filter(action="registration"))
    assert len(lines) == 3
    assert any(line.endswith("registered as Boss") for line in lines), lines
    assert any(line.endswith(": registration removed") for line in lines), lines
    assert any(f"{promised + 2} guaranteed meetings" in line for line in lines), lines
