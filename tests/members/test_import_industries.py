"""The member import reads industries from the club's vocabulary, in either language."""

from __future__ import annotations

import pytest

from serendip.csvrows import ImportRefused
from serendip.members.imports import import_members
from serendip.members.models import Industry, Member

pytestmark = pytest.mark.django_db

HEADER = "email,first_name,last_name,organisation,industry"


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_labels_in_either_language_and_any_case_become_one_industry() -> None:
    import_members(
        csv(
            "ada@a.fr,Ada,Lovelace,Acme,Logiciels et services IT",
            "bob@b.io,Bob,Martin,Bee,software and it services",
            "cyd@c.fr,Cyd,Roux,Sea,medias",
            "dan@d.io,Dan,Lee,Dee,Media",
            "eve@e.fr,Eve,Blanc,Eee,SANTE",
            "fay@f.fr,Fay,Noir,Fff,",
        )
    )
    found = dict(Member.objects.values_list("email", "industry"))
    assert found == {
        "ada@a.fr": "software-it",
        "bob@b.io": "software-it",
        "cyd@c.fr": "media",
        "dan@d.io": "media",
        "eve@e.fr": "healthcare",
        "fay@f.fr": "",
    }


def test_an_unknown_industry_is_refused_with_its_line_column_and_the_accepted_values() -> None:
    with pytest.raises(ImportRefused) as refused:
        import_members(
            csv("ada@a.fr,Ada,Lovelace,Acme,Healthcare", "bob@b.io,Bob,Martin,Bee,Basket weaving")
        )
    (error,) = [str(e) for e in refused.value.errors]
    assert error.startswith(
        "line 3, column industry: 'Basket weaving' is not an industry of the club; accepted: "
    )
    assert "Santé / Healthcare" in error and "Logiciels et services IT / Software and IT" in error
    assert not Member.objects.exists()  # all or nothing


def test_an_industry_the_organiser_added_is_accepted() -> None:
    Industry.objects.create(code="wine", label_fr="Vins et spiritueux", label_en="Wine and spirits")
    import_members(csv("ada@a.fr,Ada,Lovelace,Acme,vins et spiritueux"))
    assert Member.objects.get().industry == "wine"
