"""factory_boy factories for the club's models."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from serendip.events.models import Event, Registration
from serendip.members.models import Member, Organisation

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}@example.org")
    email = factory.SelfAttribute("username")
    password = factory.django.Password(PASSWORD)


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
