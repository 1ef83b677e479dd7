"""One vocabulary of industries: labels in either language map to one code."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from serendip.members import industries
from serendip.members.models import Industry, Member, Organisation
from tests.factories import MemberFactory, OrganisationFactory

to_codes = importlib.import_module(
    "serendip.members.migrations.0005_map_free_text_industries"
).to_codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Logiciels et services IT", "software-it"),
        ("Software and IT services", "software-it"),
        ("software-it", "software-it"),
        ("Médias", "media"),
        ("MEDIA", "media"),
        ("medias", "media"),
        ("Santé", "healthcare"),
        ("sante", "healthcare"),
        ("  healthcare ", "healthcare"),
        ("Énergie", "energy"),
        ("TELECOMS", "telecoms"),
    ],
)
def test_either_languages_label_or_the_code_gives_one_industry(text: str, code: str) -> None:
    table = industries.lookup(list(industries.FIXED))
    assert industries.code_of(text, table) == code


def test_an_unknown_industry_has_no_code() -> None:
    assert industries.code_of("Underwater basket weaving", industries.lookup([])) is None


def test_no_label_of_the_fixed_vocabulary_names_two_industries() -> None:
    assert len({i.code for i in industries.FIXED}) == len(industries.FIXED)
    owners: dict[str, set[str]] = {}
    for industry in industries.FIXED:
        for name in (industry.code, industry.label_fr, industry.label_en):
            owners.setdefault(industries.fold(name), set()).add(industry.code)
    assert all(len(codes) == 1 for codes in owners.values()), owners


@pytest.mark.django_db
def test_the_organiser_extends_the_vocabulary_and_labels_follow_the_language() -> None:
    Industry.objects.create(code="wine", label_fr="Vins et spiritueux", label_en="Wine and spirits")
    assert industries.code_of("VINS ET SPIRITUEUX") == "wine"
    with translation.override("fr"):
        assert ("wine", "Vins et spiritueux") in industries.choices()
        assert ("healthcare", "Santé") in industries.choices()
    with translation.override("en"):
        assert ("wine", "Wine and spirits") in industries.choices()
    # The stored code is what the member's form and the API validate against.
    member = MemberFactory(industry="wine")
    member.full_clean(exclude=["user"])
    member.industry = "Wine and spirits"  # a label is not a code
    with pytest.raises(ValidationError):
        member.full_clean(exclude=["user"])


@pytest.mark.django_db
def test_an_addition_may_not_repeat_the_fixed_list() -> None:
    with pytest.raises(ValidationError) as refused:
        Industry(code="health", label_fr="Sante", label_en="Health and care").full_clean()
    assert "label_fr" in refused.value.message_dict


@pytest.mark.django_db
def test_the_migration_maps_todays_free_texts_onto_the_vocabulary() -> None:
    texts = {
        "fr-it": "Logiciels et services IT",
        "en-it": "Software and IT services",
        "fr-media": "Médias",
        "en-media": "media",
        "sante": "SANTÉ",
        "bank": "Banque",
        "odd": "Underwater basket weaving",
    }
    organisations = {
        key: OrganisationFactory(name=key, industry=text) for key, text in texts.items()
    }
    member = MemberFactory(industry="Healthcare", organisation=organisations["fr-it"])
    to_codes(apps, None)
    found = dict(Organisation.objects.values_list("name", "industry"))
    assert found["fr-it"] == found["en-it"] == "software-it"
    assert found["fr-media"] == found["en-media"] == "media"
    assert (found["sante"], found["bank"]) == ("healthcare", "banking-insurance")
    # Nothing is lost: an unknown text becomes an industry the organiser added.
    odd = Industry.objects.get(code=found["odd"])
    assert odd.label_en == odd.label_fr == "Underwater basket weaving"
    assert Member.objects.get(pk=member.pk).industry == "healthcare"
    # Run twice, it changes nothing more.
    to_codes(apps, None)
    assert dict(Organisation.objects.values_list("name", "industry")) == found
    assert Industry.objects.count() == 1


@pytest.mark.django_db
def test_the_organiser_adds_an_industry_in_the_admin_and_filters_members_by_it() -> None:
    staff = MemberFactory(user__is_staff=True, user__is_superuser=True)
    client = Client()
    client.force_login(staff.user)
    added = client.post(
        "/admin/members/industry/add/",
        {"code": "wine", "label_fr": "Vins et spiritueux", "label_en": "Wine and spirits"},
    )
    assert added.status_code == 302
    taken = client.post(
        "/admin/members/industry/add/",
        {"code": "health", "label_fr": "Santé", "label_en": "Health"},
    )
    assert taken.status_code == 200 and not Industry.objects.filter(code="health").exists()
    MemberFactory(first_name="Vigneron", industry="wine")
    MemberFactory(first_name="Banquier", industry="banking-insurance")
    listed = client.get("/admin/members/member/", {"industry": "wine"}).content.decode()
    assert "Vigneron" in listed and "Banquier" not in listed
    assert client.get("/admin/members/industry/").status_code == 200


@pytest.mark.django_db
def test_a_search_in_either_language_finds_the_industry() -> None:
    assert industries.codes_matching("santé") == ["healthcare"]
    assert industries.codes_matching("HEALTH") == ["healthcare"]
    assert set(industries.codes_matching("logiciels")) == {"software-it"}
    assert industries.codes_matching("") == []


@pytest.mark.django_db
def test_the_directory_finds_members_by_their_industry_in_either_language() -> None:
    viewer = MemberFactory()
    MemberFactory(first_name="Soignante", industry="healthcare")
    MemberFactory(first_name="Banquier", industry="banking-insurance")
    client = Client()
    client.force_login(viewer.user)
    for query in ("Santé", "health"):
        listed = client.get("/members/", {"q": query}).content.decode()
        assert "Soignante" in listed and "Banquier" not in listed
    nurse = Member.objects.get(first_name="Soignante")
    with translation.override("fr"):
        page = client.get(f"/members/{nurse.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "healthcare" not in page
