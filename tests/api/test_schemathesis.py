"""Every input the OpenAPI schema allows, and many it does not, gets a documented answer.

schemathesis reads the schema the API serves and sends generated requests, valid and
invalid (boundary values, wrong types, missing fields, huge numbers, NUL bytes...), to
every operation: one operation at a time, then as stateful sequences that feed one
answer's ids into the next request. Each runs with a member's token and with an
organiser's, against a small seeded club. No answer may be a server error, a status
code the operation does not document, or a body that contradicts its schema.

Deterministic (derandomize, no example database) and bounded so that it stays within a
few minutes per database; HYPOTHESIS_PROFILE=thorough does not change these settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from serendip.api.routes import api
from serendip.members.models import Member
from serendip.members.services import connect, create_api_token
from serendip.network.asks import create_ask
from serendip.network.introductions import propose_introduction
from serendip.network.ledger import record_help
from serendip.network.models import Offer
from serendip.wsgi import application
from tests.factories import EventFactory, MemberFactory, OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

_BOUNDED = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": list(HealthCheck),
}
# schemathesis adds its boundary-value cases (explicit phase) to these generated ones.
PER_OPERATION = settings(max_examples=8, phases=[Phase.explicit, Phase.generate], **_BOUNDED)
STATEFUL = settings(
    max_examples=40, stateful_step_count=8, phases=[Phase.explicit, Phase.generate], **_BOUNDED
)


def seed_club() -> dict[str, Member]:
    """A small club: an organiser, members who know each other, an event, asks and thanks."""
    organisation = OrganisationFactory(name="Acme")
    organiser = MemberFactory(organisation=organisation)
    organiser.user.is_staff = organiser.user.is_superuser = True
    organiser.user.save()
    member, helper, seeker = (MemberFactory(organisation=organisation) for _ in range(3))
    for other in (helper, seeker, organiser):
        connect(member, other)
    event = EventFactory(slug="autumn")
    for person in (member, helper, organiser):
        RegistrationFactory(event=event, member=person)
    create_ask(member, kind="advice", topic="FinOps", details="", urgency="normal", audience="club")
    Offer.objects.create(member=member, kind="advice", title="zero trust")
    propose_introduction(member, seeker=seeker, helper=helper, note="You should meet.")
    record_help(member, giver=helper, what="an intro", when=dt.date(2026, 1, 5), thank_you="Thanks")
    return {"member": member, "organiser": organiser}


@pytest.fixture
def tokens(wsgi_requests: None) -> dict[str, str]:
    """Bearer tokens for a member and for an organiser of a freshly seeded club."""
    return {role: create_api_token(m, name="schemathesis") for role, m in seed_club().items()}


@pytest.fixture
def wsgi_requests() -> Iterator[None]:
    # schemathesis calls the real WSGI application; as Django's test client does, a
    # request must not close the connection that holds the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def served_schema() -> Any:
    """The schema the API serves, its operations called in-process through WSGI."""
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = application
    return loaded


schema = served_schema()


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@PER_OPERATION
def test_every_operation_answers_a_member(case: Any, tokens: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer(tokens["member"]), checks=CHECKS)


@schema.parametrize()
@PER_OPERATION
def test_every_operation_answers_an_organiser(case: Any, tokens: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer(tokens["organiser"]), checks=CHECKS)


@pytest.mark.parametrize("role", ["member", "organiser"])
def test_sequences_of_operations_answer(role: str, tokens: dict[str, str]) -> None:
    headers = bearer(tokens[role])

    class Sequences(schema.as_state_machine()):  # type: ignore[misc]
        """Chains of calls linked by the ids one answer gives the next request."""

        # Each sequence starts from the seeded club: what the previous one wrote is rolled
        # back, or the same choices could meet other data and Hypothesis could not replay them.
        def setup(self) -> None:
            self.savepoint = transaction.savepoint()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    Sequences.run(settings=STATEFUL)
