"""factory_boy factories for the club's models."""

from __future__ import annotations

import datetime as dt
import functools

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from serendip.events.models import Event, Registration
from serendip.members.models import Member, Organisation

PASSWORD = "a-long-test-password"


# Hashing is slow on purpose (about 0.4 s a password with the production hasher): hashing again
# for every user the tests create cost minutes per run. Sign-ins still check the password
# through the configured hasher; only the salt is shared between the test users.
def hashed(password: str | None) -> str:
    """The stored form of a test user's password, hashed once per password and hasher list."""
    if password is None:
        return make_password(None)  # an unusable password is random: never shared
    return _hashed(password, tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hashed(password: str, hashers: tuple[str, ...]) -> str:
    """``password`` hashed by the first of ``hashers`` (the settings' list when called)."""
    return make_password(password)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}@example.org")
    email = factory.SelfAttribute("username")
    password = factory.django.Password(PASSWORD, transform=hashed)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    industry = "retail"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    headline = "CIO"
    keywords = factory.LazyFunction(lambda: ["FinOps", "zero trust"])
    offers = factory.LazyFunction(lambda: ["feedback on our FinOps project"])
    needs = factory.LazyFunction(lambda: ["a partner for zero trust"])
    phone = "+33 1 23 45 67 89"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Seminar {n}")
    slug = factory.Sequence(lambda n: f"seminar-{n}")
    venue = "Domaine de Chantilly"
    city = "Chantilly"
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    end = factory.LazyAttribute(lambda e: e.start + dt.timedelta(days=1))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    member = factory.SubFactory(MemberFactory)
    side = "boss"
