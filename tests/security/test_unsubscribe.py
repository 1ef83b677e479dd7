"""A digest's unsubscribe link asks first: opening it (as mail scanners do) changes nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from serendip.network.digest import unsubscribe_token
from serendip.network.models import DigestKind, Unsubscribe
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_opening_the_link_asks_and_only_the_button_unsubscribes() -> None:
    member = MemberFactory()
    url = reverse("unsubscribe", args=[unsubscribe_token(member, DigestKind.ASKS)])
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert not Unsubscribe.objects.filter(member=member).exists()
    form = page.content.decode()
    assert '<form method="post">' in form and "Asks you could help with" in form
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    done = client.post(url, {"csrfmiddlewaretoken": token.group(1)})
    assert done.status_code == 200
    assert list(Unsubscribe.objects.filter(member=member).values_list("kind", flat=True)) == [
        DigestKind.ASKS
    ]


def test_a_tampered_link_is_not_found_either_way() -> None:
    member = MemberFactory()
    url = reverse("unsubscribe", args=[unsubscribe_token(member, DigestKind.ASKS)[:-4] + "xxxx"])
    assert Client().get(url).status_code == 404
    assert Client().post(url).status_code == 404
    assert not Unsubscribe.objects.exists()
