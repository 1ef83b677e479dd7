"""A small circle of members for the network tests: ana knows ben and cleo; ben knows dan;
eve knows nobody. dan offers penetration testing."""

from __future__ import annotations

from dataclasses import dataclass

from serendip.members.models import Member
from serendip.members.services import connect
from tests.factories import MemberFactory


@dataclass
class Circle:
    ana: Member
    ben: Member
    cleo: Member
    dan: Member
    eve: Member


def circle() -> Circle:
    people = {
        name: MemberFactory(
            first_name=name.capitalize(),
            last_name="Test",
            offers=offers,
            needs=[],
            keywords=[],
            contact_visibility="connections",
        )
        for name, offers in (
            ("ana", []),
            ("ben", ["cloud cost reviews"]),
            ("cleo", ["board coaching"]),
            ("dan", ["penetration testing and security audits"]),
            ("eve", ["penetration testing"]),
        )
    }
    connect(people["ana"], people["ben"])
    connect(people["ana"], people["cleo"])
    connect(people["ben"], people["dan"])
    return Circle(**people)
