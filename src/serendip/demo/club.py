"""Build the demo club from a fixed seed: members, organisations, connections, events."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from serendip.demo import vocabulary as words
from serendip.events.models import Event, EventKind, Registration, RegistrationStatus
from serendip.members.choices import ConnectionOrigin, ContactVisibility, Language, Seniority, Side
from serendip.members.models import Connection, Member, Organisation
from serendip.members.services import bulk_create_members

DEMO_PASSWORD = "serendip-demo"
ORGANISER_EMAIL = "organiser@serendip.demo"
MEMBER_EMAIL = "camille.laurent@serendip.demo"

SENIORITIES = [s.value for s in Seniority]


@dataclass(frozen=True)
class DemoSizes:
    """How big the demo club is."""

    members: int = 400
    organisations: int = 120
    vendors: int = 30
    cross_connections: int = 300


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c in ".-")


def _lang_index(language: str) -> int:
    return 0 if language == Language.FRENCH else 1


class DemoClub:
    """A deterministic generator: the same seed always gives the same club."""

    def __init__(self, seed: int, sizes: DemoSizes) -> None:
        self.random = random.Random(seed)
        self.sizes = sizes
        self.faker = {Language.FRENCH: Faker("fr_FR"), Language.ENGLISH: Faker("en_GB")}
        for index, fake in enumerate(self.faker.values()):
            fake.seed_instance(seed + index)
        self.password_hash = make_password(DEMO_PASSWORD)
        self.used_emails: set[str] = set()

    def organisations(self) -> list[Organisation]:
        """Client organisations across the industries, and vendors of technology."""
        names: set[str] = set()
        result = []
        for index in range(self.sizes.organisations):
            vendor = index < self.sizes.vendors
            fake = self.faker[Language.FRENCH if index % 3 else Language.ENGLISH]
            while True:
                base = fake.last_name()
                name = (
                    f"{base} {self.random.choice(words.VENDOR_SUFFIXES)}"
                    if vendor
                    else fake.company()
                )
                if " " not in name:  # a bare surname reads like a person, not a company
                    name = f"Groupe {name}"
                if name.casefold() not in names:
                    names.add(name.casefold())
                    break
            industry = (
                words.VENDOR_INDUSTRY
                if vendor
                else self.random.choice(
                    [i for i in range(len(words.INDUSTRIES)) if i != words.VENDOR_INDUSTRY]
                )
            )
            result.append(
                Organisation(
                    name=name,
                    industry=words.INDUSTRIES[industry],
                    city=fake.city(),
                    website=f"https://www.{_ascii(base if vendor else name.split()[0])}.example",
                )
            )
        return result

    def email(self, first: str, last: str, organisation: Organisation) -> str:
        """A unique, plausible work address at the organisation's domain."""
        domain = organisation.website.removeprefix("https://www.")
        local = f"{_ascii(first)}.{_ascii(last)}"
        email, number = f"{local}@{domain}", 1
        while email in self.used_emails:
            number += 1
            email = f"{local}{number}@{domain}"
        self.used_emails.add(email)
        return email

    def profile(self, side: str, language: str, organisation: Organisation) -> dict[str, object]:
        """Title, topics, offers, needs and bio for one member, written in their language."""
        lang = _lang_index(language)
        seniority = self.random.choice(SENIORITIES)
        titles = words.BOSS_TITLES if side != Side.SPONSOR else words.SPONSOR_TITLES
        title = self.random.choice(titles[seniority])[lang]
        topics = self.random.sample(words.TOPICS, 4)
        labels = [t[lang] for t in topics]
        needs_from, offers_from = (
            (words.SPONSOR_NEEDS, words.SPONSOR_OFFERS)
            if side == Side.SPONSOR
            else (words.BOSS_NEEDS, words.BOSS_OFFERS)
        )
        return {
            "seniority": seniority,
            "job_title": title,
            "industry": organisation.industry,
            "headline": words.HEADLINES[0][lang].format(title=title, org=organisation.name),
            "keywords": labels,
            "needs": [self.random.choice(needs_from)[lang].format(t=label) for label in labels[:2]],
            "offers": [
                self.random.choice(offers_from)[lang].format(t=label) for label in labels[2:]
            ],
            "bio": self.random.choice(words.BIOS)[lang].format(t1=labels[0], t2=labels[1]),
            "contact_visibility": self.random.choice(list(ContactVisibility)).value,
        }

    def member(
        self, side: str, organisation: Organisation, *, first: str = "", last: str = ""
    ) -> tuple[dict[str, object], str]:
        """The fields of a new member and their language."""
        language = Language.FRENCH if self.random.random() < 0.6 else Language.ENGLISH
        fake = self.faker[language]
        first = first or fake.first_name()
        last = last or fake.last_name()
        fields = {
            "first_name": first,
            "last_name": last,
            "email": self.email(first, last, organisation),
            "language": language,
            "side": side,
            "organisation": organisation,
            "phone": fake.phone_number(),
            "linkedin": f"https://www.linkedin.com/in/{_ascii(first)}-{_ascii(last)}",
            **self.profile(side, language, organisation),
        }
        return fields, language


def _save_members(club: DemoClub, rows: list[dict[str, object]]) -> list[Member]:
    members = bulk_create_members(rows, password_hash=club.password_hash)
    get_user_model().objects.filter(member__side=Side.STAFF).update(is_staff=True)
    get_user_model().objects.filter(email=ORGANISER_EMAIL).update(is_superuser=True)
    return members


def _connections(club: DemoClub, members: list[Member]) -> list[Connection]:
    """Colleagues all know each other; a few hundred people know someone elsewhere."""
    pairs: set[tuple[int, int]] = set()
    by_org: dict[int, list[Member]] = {}
    for member in members:
        if member.organisation_id is not None:
            by_org.setdefault(member.organisation_id, []).append(member)
    today = timezone.localdate()
    connections = []

    def add(a: Member, b: Member, how: str) -> None:
        key = (min(a.pk, b.pk), max(a.pk, b.pk))
        if a.pk == b.pk or key in pairs:
            return
        pairs.add(key)
        since = today - dt.timedelta(days=club.random.randint(30, 3000))
        last = since + dt.timedelta(days=club.random.randint(0, (today - since).days))
        connections.append(
            Connection(
                member_a_id=key[0], member_b_id=key[1], how=how, since=since, last_interaction=last
            )
        )

    for colleagues in by_org.values():
        for i, a in enumerate(colleagues):
            for b in colleagues[i + 1 :]:
                add(a, b, ConnectionOrigin.COLLEAGUE)
    outsiders = [m for m in members if m.side != Side.STAFF]
    target = len(connections) + club.sizes.cross_connections
    for _attempt in range(club.sizes.cross_connections * 20):
        if len(connections) >= target:
            break
        a, b = club.random.sample(outsiders, 2)
        if a.organisation_id != b.organisation_id:
            add(
                a, b, club.random.choice([ConnectionOrigin.MET_AT_EVENT, ConnectionOrigin.IMPORTED])
            )
    return Connection.objects.bulk_create(connections)


def _events(club: DemoClub, members: list[Member]) -> list[Event]:
    """A two-day spring seminar and a dinner, both upcoming, with bosses and sponsors."""
    paris = dt.timezone(dt.timedelta(hours=1))
    today = timezone.localdate()
    seminar_day = today + dt.timedelta(days=75)
    dinner_day = today + dt.timedelta(days=24)
    seminar = Event.objects.create(
        name="Séminaire BigBoss de printemps / Spring BigBoss seminar",
        slug=f"spring-seminar-{seminar_day.year}",
        kind=EventKind.SEMINAR,
        venue="Domaine de Chantilly",
        city="Chantilly",
        start=dt.datetime.combine(seminar_day, dt.time(8, 30), paris),
        end=dt.datetime.combine(seminar_day + dt.timedelta(days=1), dt.time(17, 0), paris),
        description=(
            "Deux jours de rendez-vous d'affaires, dîners et conférences.\n"
            "Two days of one-to-one meetings, dinners and talks."
        ),
    )
    dinner = Event.objects.create(
        name="Dîner des DSI / CIO dinner",
        slug=f"cio-dinner-{dinner_day:%Y-%m}",
        kind=EventKind.DINNER,
        venue="Pavillon Ledoyen",
        city="Paris",
        start=dt.datetime.combine(dinner_day, dt.time(19, 30), paris),
        end=dt.datetime.combine(dinner_day, dt.time(23, 0), paris),
        description=(
            "Un dîner placé pour rencontrer des inconnus.\nA seated dinner to meet strangers."
        ),
    )
    bosses = [m for m in members if m.side == Side.BOSS]
    sponsors = [m for m in members if m.side == Side.SPONSOR]
    demo_member = next(m for m in members if m.email == MEMBER_EMAIL)
    statuses = [RegistrationStatus.CONFIRMED] * 7 + [
        RegistrationStatus.INVITED,
        RegistrationStatus.INVITED,
        RegistrationStatus.CANCELLED,
    ]
    registrations = []
    for event, boss_count, sponsor_count in ((seminar, 150, 40), (dinner, 60, 12)):
        others = club.random.sample([b for b in bosses if b != demo_member], boss_count - 1)
        chosen = [demo_member, *others]
        for boss in chosen:
            status = (
                RegistrationStatus.CONFIRMED
                if boss == demo_member
                else club.random.choice(statuses)
            )
            registrations.append(
                Registration(event=event, member=boss, side=Side.BOSS, status=status)
            )
        for sponsor in club.random.sample(sponsors, sponsor_count):
            representatives = club.random.choice([1, 1, 2, 3])
            registrations.append(
                Registration(
                    event=event,
                    member=sponsor,
                    side=Side.SPONSOR,
                    status=RegistrationStatus.CONFIRMED,
                    representatives=representatives,
                    guaranteed_meetings=club.random.randint(12, 18) * representatives,
                )
            )
    Registration.objects.bulk_create(registrations)
    # The demo's organiser runs both events (serendip.events.access.can_organise).
    organiser = next(m for m in members if m.email == ORGANISER_EMAIL)
    for event in (seminar, dinner):
        event.organisers.add(organiser.user_id)
    return [seminar, dinner]


@transaction.atomic
def build_demo_club(seed: int = 2027, sizes: DemoSizes | None = None) -> None:
    """Fill an empty database with the demo club generated from ``seed``."""
    club = DemoClub(seed, sizes or DemoSizes())
    organisations = Organisation.objects.bulk_create(club.organisations())
    vendors, clients = organisations[: club.sizes.vendors], organisations[club.sizes.vendors :]
    staff_org = Organisation.objects.create(
        name="Club serendip",
        industry=words.INDUSTRIES[words.VENDOR_INDUSTRY],
        website="https://www.serendip.demo",
    )
    rows: list[dict[str, object]] = []
    organiser, _ = club.member(Side.STAFF, staff_org, first="Sophie", last="Marchand")
    organiser.update(
        email=ORGANISER_EMAIL, language=Language.FRENCH, job_title="Organisatrice du club"
    )
    demo, _ = club.member(Side.BOSS, clients[0], first="Camille", last="Laurent")
    demo.update(
        email=MEMBER_EMAIL,
        language=Language.FRENCH,
        seniority=Seniority.C_LEVEL,
        job_title="DSI",
        headline=f"DSI chez {clients[0].name}",
    )
    rows += [organiser, demo]
    sponsor_count = club.sizes.members // 4
    for index in range(club.sizes.members - len(rows)):
        if index < sponsor_count:
            row, _ = club.member(Side.SPONSOR, vendors[index % len(vendors)])
        elif index < sponsor_count + 8:
            row, _ = club.member(Side.GUEST, club.random.choice(clients))
        else:
            # Every client organisation gets at least one boss, then at random.
            position = index - sponsor_count - 8
            organisation = (
                clients[position] if position < len(clients) else club.random.choice(clients)
            )
            row, _ = club.member(Side.BOSS, organisation)
        rows.append(row)
    members = _save_members(club, rows)
    _connections(club, members)
    _events(club, members)
