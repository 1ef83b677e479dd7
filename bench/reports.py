"""Reports on a large club: the organiser's dashboard, a sponsor's report, a member's timeline.

Run (PostgreSQL only; the script creates its database and loads it with COPY):
    SERENDIP_PG_PORT=5505 scripts/with-postgres.sh .venv/bin/python bench/reports.py
    [--members 100000 --events 400 --outcomes 50000 --runs 3]

The club: 100,000 members (5% sponsors in 500 vendor organisations, the bosses in 9,500
client organisations), 425 past seminars over ten seasons, each with 20 rounds, 400 bosses
(10% no-shows, half of them regulars who come back) and 50 sponsors of 5 representatives
(half regulars), so 5,000 one-to-one meetings per seminar and 2,000,000 in all, each rated
by its boss; 300,000 connections; 50,000 confirmed outcomes between people who met, with
their parties and their credits under the three rules.

Each page is fetched through Django's test client as the person who reads it (the whole
view: figures, tables, charts drawn as SVG, template), first on a cold cache, then warm;
the table gives the median of ``--runs`` warm fetches, the cold one, and the number of SQL
queries per page. Prints Markdown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serendip.settings")

SLOW: list[str] = []  # the slowest queries of each cold page, printed after the table
ROUNDS, BOSSES_PER_EVENT, SPONSORS_PER_EVENT, SEATS = 20, 400, 50, 5
INDUSTRIES = [
    "banking",
    "retail",
    "energy",
    "healthcare",
    "telecoms",
    "public-sector",
    "manufacturing",
    "transport",
    "media",
    "luxury",
    "food",
]


def _database() -> None:
    """Create the database named in DATABASE_URL (with-postgres.sh starts an empty server)."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def copy(model: Any, rows: Iterable[dict[str, Any]]) -> int:
    """COPY rows (dicts by attribute name, with their ids) into the model's table."""
    from django.db import connection

    fields = list(model._meta.concrete_fields)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as out:
            for row in rows:
                out.write_row([row.get(f.attname) for f in fields])
                count += 1
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
        )
    return count


def build(args: argparse.Namespace, now: dt.datetime) -> dict[str, Any]:
    """Load the club; returns the ids the measurements need."""
    from django.contrib.auth import get_user_model

    from serendip.events.models import Event, Registration, Round
    from serendip.members.models import Connection, Member, Organisation
    from serendip.outcomes.models import Outcome, OutcomeCredit, OutcomeParty
    from serendip.programme.models import Meeting, Rating

    rng = random.Random(18)
    started = time.perf_counter()
    vendors, orgs = 500, 10_000
    copy(
        Organisation,
        (
            {
                "id": i,
                "name": f"{'Vendor' if i <= vendors else 'Client'} {i}",
                "industry": "it" if i <= vendors else INDUSTRIES[i % len(INDUSTRIES)],
                "city": "",
                "website": "",
            }
            for i in range(1, orgs + 1)
        ),
    )
    sponsors_total = args.members // 20
    copy(
        get_user_model(),
        (
            {
                "id": i,
                "password": "!",
                "is_superuser": i == 1,
                "username": f"m{i}@bench.example",
                "first_name": "",
                "last_name": "",
                "email": f"m{i}@bench.example",
                "is_staff": i == 1,
                "is_active": True,
                "date_joined": now,
            }
            for i in range(1, args.members + 1)
        ),
    )
    # Member 1 is the organiser; 2..sponsors_total+1 are sponsors; the rest are bosses.
    copy(
        Member,
        (
            {
                "id": i,
                "user_id": i,
                "first_name": f"First{i}",
                "last_name": f"Last{i}",
                "email": f"m{i}@bench.example",
                "phone": "",
                "linkedin": "",
                "language": "en",
                "headline": "",
                "job_title": "",
                "seniority": "",
                "organisation_id": (
                    (i % vendors) + 1 if 2 <= i <= sponsors_total + 1 else vendors + 1 + i % 9500
                ),
                "industry": "",
                "side": "staff" if i == 1 else "sponsor" if i <= sponsors_total + 1 else "boss",
                "keywords": "[]",
                "offers": "[]",
                "needs": "[]",
                "bio": "",
                "contact_visibility": "connections",
                "joined": now,
                "updated": now,
            }
            for i in range(1, args.members + 1)
        ),
    )
    sponsors = list(range(2, sponsors_total + 2))
    bosses = list(range(sponsors_total + 2, args.members + 1))
    # About 5% of the bosses and 10% of the sponsors are regulars who keep coming back.
    regular_bosses, regular_sponsors = bosses[: len(bosses) // 19], sponsors[: len(sponsors) // 10]
    loaded = {"members": args.members}
    events, rounds = [], []
    first_day = (now - dt.timedelta(days=3650)).date()
    for e in range(1, args.events + 1):
        day = first_day + dt.timedelta(days=int((e - 1) * 3600 / args.events))
        start = dt.datetime.combine(day, dt.time(8, 0), dt.UTC)
        events.append(
            {
                "id": e,
                "name": f"Seminar {e}",
                "slug": f"seminar-{e}",
                "kind": "seminar",
                "venue": "",
                "city": "",
                "timezone": "Europe/Paris",
                "start": start,
                "end": start + dt.timedelta(hours=10),
                "description": "",
                "tables": SPONSORS_PER_EVENT * SEATS,
                "boss_min_meetings": 12,
                "boss_max_meetings": ROUNDS,
                "preferences_deadline": None,
                "published": start - dt.timedelta(days=7),
                "programme_version": 1,
            }
        )
        for r in range(1, ROUNDS + 1):
            rounds.append(
                {
                    "id": (e - 1) * ROUNDS + r,
                    "event_id": e,
                    "number": r,
                    "session": 1 + (r - 1) // 10,
                    "start": start + dt.timedelta(minutes=10 * (r - 1)),
                    "minutes": 7,
                }
            )
    copy(Event, events)
    copy(Round, rounds)
    registrations: list[dict[str, Any]] = []
    meetings: list[tuple[int, int, int, int, int, int, int]] = []
    present_by_event: dict[int, list[int]] = {}
    for e in range(1, args.events + 1):
        chosen = rng.sample(regular_bosses, BOSSES_PER_EVENT // 2) + rng.sample(
            bosses[len(regular_bosses) :], BOSSES_PER_EVENT // 2
        )
        paying = rng.sample(regular_sponsors, SPONSORS_PER_EVENT // 2) + rng.sample(
            sponsors[len(regular_sponsors) :], SPONSORS_PER_EVENT // 2
        )
        present = []
        for b in chosen:
            away = rng.random() < 0.1
            registrations.append(
                {
                    "event_id": e,
                    "member_id": b,
                    "side": "boss",
                    "status": "no_show" if away else "checked_in",
                    "representatives": 1,
                    "package_currency": "EUR",
                    "created": now,
                }
            )
            if not away:
                present.append(b)
        for s in paying:
            registrations.append(
                {
                    "event_id": e,
                    "member_id": s,
                    "side": "sponsor",
                    "status": "checked_in",
                    "guaranteed_meetings": 80,
                    "representatives": SEATS,
                    "package_price": Decimal(rng.choice([30000, 45000, 60000])),
                    "package_currency": "EUR",
                    "created": now,
                }
            )
        present_by_event[e] = present
        # Every seat meets a different boss each round, 250 bosses further along each round.
        seats = [(s, seat) for s in paying for seat in range(1, SEATS + 1)]
        n, met = len(present), set()
        for r in range(ROUNDS):
            for index, (s, seat) in enumerate(seats[:n]):
                boss = present[(index + r * len(seats)) % n]
                if (boss, s) not in met:  # a pair meets once per seminar
                    met.add((boss, s))
                    meetings.append((e, (e - 1) * ROUNDS + r + 1, index + 1, boss, s, seat, 0))
    for i, row in enumerate(registrations, start=1):
        row["id"] = i
    loaded["registrations"] = copy(Registration, registrations)
    loaded["meetings"] = copy(
        Meeting,
        (
            {
                "id": i,
                "event_id": e,
                "round_id": r,
                "table": t,
                "boss_id": b,
                "sponsor_id": s,
                "seat": seat,
                "pinned": False,
            }
            for i, (e, r, t, b, s, seat, _p) in enumerate(meetings, start=1)
        ),
    )
    colours = ["green"] * 5 + ["orange"] * 3 + ["red"] * 2
    loaded["ratings"] = copy(
        Rating,
        (
            {
                "id": i,
                "meeting_id": i,
                "rater_id": m[3],
                "colour": colours[i % 10],
                "note": "",
                "follow_up": i % 10 < 3,
                "created": now,
            }
            for i, m in enumerate(meetings, start=1)
        ),
    )
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 300_000:
        a, b = rng.randrange(1, args.members + 1), rng.randrange(1, args.members + 1)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    loaded["connections"] = copy(
        Connection,
        (
            {
                "id": i,
                "member_a_id": a,
                "member_b_id": b,
                "since": first_day + dt.timedelta(days=rng.randrange(3600)),
                "how": rng.choice(["met_at_event", "introduced", "imported", "colleague"]),
                "last_interaction": first_day + dt.timedelta(days=rng.randrange(3640)),
            }
            for i, (a, b) in enumerate(sorted(pairs), start=1)
        ),
    )
    member_org = {i: ((i % vendors) + 1 if 2 <= i <= sponsors_total + 1 else vendors + 1 + i % 9500)
                  for i in range(1, args.members + 1)}  # fmt: skip
    outcomes, parties, credits = [], [], []
    kinds = ["deal"] * 5 + ["partnership", "partnership", "hire", "referral", "help"]
    today = now.date()
    for o in range(1, args.outcomes + 1):
        while True:
            index = rng.randrange(len(meetings))
            e, _r, _t, b, s, _seat, _p = meetings[index]
            day = events[e - 1]["start"].date() + dt.timedelta(days=rng.randint(30, 400))
            if day < today:
                break
        kind = rng.choice(kinds)
        outcomes.append(
            {
                "id": o,
                "kind": kind,
                "happened_on": day,
                "amount": Decimal(rng.randrange(10_000, 500_000)) if kind == "deal" else None,
                "currency": "EUR" if kind == "deal" else "",
                "note": "",
                "recorded_by_id": b,
                "status": "confirmed",
                "recorded_at": now,
                "confirmed_at": now,
                "updated_at": now,
                "meeting_id": index + 1,
            }
        )
        for member in (b, s):
            parties.append(
                {
                    "id": len(parties) + 1,
                    "outcome_id": o,
                    "member_id": member,
                    "organisation_id": member_org[member],
                    "answer": "confirmed",
                    "answered_at": now,
                }
            )
        later = rng.randrange(1, args.events + 1) if rng.random() < 0.3 else None
        shares = {"first": [(e, 1.0)], "last": [(later or e, 1.0)]}
        shares["linear"] = [(e, 0.5), (later, 0.5)] if later and later != e else [(e, 1.0)]
        for rule, split in shares.items():
            for event_id, share in split:
                credits.append(
                    {
                        "id": len(credits) + 1,
                        "outcome_id": o,
                        "rule": rule,
                        "event_id": event_id,
                        "share": share,
                    }
                )
    loaded["outcomes"] = copy(Outcome, outcomes)
    copy(OutcomeParty, parties)
    loaded["credits"] = copy(OutcomeCredit, credits)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    loaded["seconds"] = round(time.perf_counter() - started, 1)
    return loaded


def pick(now: dt.datetime) -> dict[str, Any]:
    """The people measured: the organiser, the busiest regular sponsor's organisation, and
    the boss with the most outcomes."""
    from django.db.models import Count

    from serendip.members.models import Member
    from serendip.outcomes.models import OutcomeParty
    from serendip.programme.models import Meeting

    sponsor_id = (
        Meeting.objects.values("sponsor_id").annotate(n=Count("id")).order_by("-n")[0]["sponsor_id"]
    )
    sponsor = Member.objects.get(pk=sponsor_id)
    boss_id = (
        OutcomeParty.objects.filter(member__side="boss")
        .values("member_id")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["member_id"]
    )
    return {
        "organiser": Member.objects.get(pk=1),
        "sponsor": sponsor,
        "organisation_meetings": Meeting.objects.filter(
            sponsor__organisation=sponsor.organisation
        ).count(),
        "boss": Member.objects.get(pk=boss_id),
        "boss_outcomes": OutcomeParty.objects.filter(member_id=boss_id).count(),
    }


def measure(
    member: Any, url: str, runs: int, *, cold: bool
) -> tuple[float | None, float, int, int, tuple[float, int]]:
    """(cold seconds, median warm seconds, SQL queries warm, bytes, (seconds, number) of the
    page's charts drawn on the cold cache) for one page."""
    import re

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(member.user)
    first = None
    charts = (0.0, 0)
    if cold:
        # The server process has served a report before (other figures: another credit
        # rule): the cold cache is measured, not Python's first imports and templates.
        client.get(url + ("&" if "?" in url else "?") + "rule=first")
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            answer = client.get(url)
            first = time.perf_counter() - started
        assert answer.status_code == 200, (url, answer.status_code)
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
        for query in slowest:
            SLOW.append(f"{url}: {float(query['time']):.2f} s: {query['sql'][:300]}")
        # The charts the browser then fetches (after the page, in parallel): drawn now.
        sources = re.findall(r'<img src="(\?[^"]*format=svg[^"]*)"', answer.content.decode())
        started = time.perf_counter()
        for source in sources:
            chart = client.get(url.split("?")[0] + source.replace("&amp;", "&"))
            assert chart.status_code == 200, (source, chart.status_code)
        charts = (time.perf_counter() - started, len(sources))
    else:
        client.get(url)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            answer = client.get(url)
            times.append(time.perf_counter() - started)
        assert answer.status_code == 200, (url, answer.status_code)
    return first, statistics.median(times), len(queries), len(answer.content), charts


def change(now: dt.datetime, organisation_id: int | None = None) -> int:
    """Writes the reports depend on, through the services: a boss rates a meeting of the last
    seminar (of the organisation's, if given) again, and the latest confirmed outcome's amount
    (of the organisation's) is edited. Returns the number of events whose summary went stale."""
    from serendip.members.models import Member
    from serendip.outcomes.models import Outcome, OutcomeStatus
    from serendip.outcomes.services import edit_outcome
    from serendip.programme.models import Meeting
    from serendip.programme.services import rate
    from serendip.reports.figures import stale_summaries

    meetings = Meeting.objects.select_related("event", "round").order_by("-event__start")
    outcomes = Outcome.objects.filter(status=OutcomeStatus.CONFIRMED, amount__isnull=False)
    if organisation_id is not None:
        meetings = meetings.filter(sponsor__organisation_id=organisation_id)
        outcomes = outcomes.filter(parties__organisation_id=organisation_id)
    meeting = meetings.first()
    assert meeting is not None
    rate(meeting, meeting.boss, colour="red", note="", follow_up=False, now=now)
    outcome = outcomes.order_by("-happened_on").first()
    assert outcome is not None
    organiser = Member.objects.get(pk=1).user
    edit_outcome(outcome=outcome, by=organiser, now=now, amount=outcome.amount + 1)
    return len(stale_summaries(now))


def timeline(member: Any, runs: int) -> tuple[float, int, int]:
    """The member's timeline alone (``serendip.outcomes.chains.timeline_for``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from serendip.outcomes.chains import timeline_for

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            entries = timeline_for(member)
            times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries), len(entries)


def main() -> None:
    """Build (once per database) and measure; print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=425)
    parser.add_argument("--outcomes", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Run under scripts/with-postgres.sh (DATABASE_URL must name PostgreSQL).")
    _database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    from serendip.members.models import Member

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", interactive=False, verbosity=0)
    now = timezone.now()
    loaded = build(args, now) if not Member.objects.exists() else {}
    people = pick(now)
    print(f"Loaded: {loaded}")
    from serendip.reports.figures import refresh_summaries

    started = time.perf_counter()
    computed = refresh_summaries(now=now)
    print(
        f"Kept summaries computed (the periodic job): {computed} events in "
        f"{time.perf_counter() - started:.1f} s"
    )
    print(
        f"Sponsor organisation: {people['organisation_meetings']} meetings; "
        f"member: {people['boss_outcomes']} outcomes"
    )
    club = reverse("report-club")
    rows = [
        (
            "organiser dashboard (/reports/club/, the current season)",
            people["organiser"],
            club,
            2.0,
        ),
        (
            "organiser dashboard, every season (?season=all)",
            people["organiser"],
            club + "?season=all",
            2.0,
        ),
        (
            "sponsor report (/reports/sponsors/N/)",
            people["sponsor"],
            reverse("report-sponsor", args=[people["sponsor"].organisation_id]),
            0.5,
        ),
        ("member report (/reports/me/)", people["boss"], reverse("report-me"), None),
    ]
    print(
        f"\nRun on {dt.date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
        f"Python {platform.python_version()}, PostgreSQL.\n"
    )
    print(
        "| page | target | cold cache | warm (median) | SQL queries (warm) | page size "
        "| charts on the cold cache |"
    )
    print("|---|---|---|---|---|---|---|")

    def line(label: str, member: Any, url: str, target: float | None) -> None:
        cold, warm, queries, size, (drawn, charts) = measure(member, url, args.runs, cold=True)
        cold_text = f"{cold:.2f} s" if cold is not None else ""
        target_text = f"≤ {target} s" if target else ""
        print(
            f"| {label} | {target_text} | {cold_text} | {warm:.3f} s | {queries} | "
            f"{size // 1024} KB | {charts} in {drawn:.2f} s |"
        )

    for label, member, url, target in rows:
        line(label, member, url, target)
    stale = change(timezone.now())
    line(
        f"organiser dashboard after a rating and an outcome edited ({stale} events stale)",
        people["organiser"],
        club,
        2.0,
    )
    stale = change(timezone.now(), people["sponsor"].organisation_id)
    line(
        f"sponsor report after a rating and an outcome edited ({stale} events stale)",
        people["sponsor"],
        reverse("report-sponsor", args=[people["sponsor"].organisation_id]),
        0.5,
    )
    seconds, queries, entries = timeline(people["boss"], args.runs)
    print(
        f"| member timeline (timeline_for, {entries} outcomes) | ≤ 0.2 s | | {seconds:.3f} s | "
        f"{queries} | |"
    )
    print("\nSlowest queries on a cold cache:")
    for line in SLOW:
        print(f"- {line}")


if __name__ == "__main__":
    main()
