"""On the demo club, "people to meet" is fair across industries and address books."""

from __future__ import annotations

from collections import Counter

import pytest

from serendip.demo.club import build_demo_club
from serendip.engines.recommend import exposure, recommend
from serendip.members import industries
from serendip.members.models import Member
from serendip.members.recommendations import club_index

pytestmark = pytest.mark.django_db


def test_every_sizeable_industry_and_connection_quartile_gets_its_share() -> None:
    build_demo_club(seed=2027)
    # French and English speakers of one industry share its code: 12 industries, not 24.
    codes = set(Member.objects.exclude(industry="").values_list("industry", flat=True))
    assert len(codes) == 12 and codes <= {i.code for i in industries.FIXED}
    index = club_index()
    lists = {p.id: [r.id for r in recommend(index, p.id, k=10)] for p in index.profiles}
    assert all(len(people) == 10 for people in lists.values())
    for by in ("industry", "connections", "seniority"):
        group = index.grouping(by)
        sizes = Counter(group.labels[code] or "unknown" for code in group.code)
        ratios = exposure(index, lists, by=by)
        sizeable = {label: ratio for label, ratio in ratios.items() if sizes[label] >= 20}
        assert len(sizeable) >= 4, (by, sizes)
        for label, ratio in sizeable.items():
            assert 0.9 <= ratio <= 1.1, (by, label, ratio, sizes[label])
