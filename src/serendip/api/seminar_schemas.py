"""Shapes of the seminar's operations: set-up, the plan, the day, agendas, ratings, bulletins."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeAlias

from ninja import Field, Schema

from serendip.api.schemas import ErrorOut, Id, Line, Moment, Text

Colour: TypeAlias = Annotated[str, Line(6, pattern="^(red|orange|green)$")]
Choice: TypeAlias = Annotated[str, Line(5, pattern="^(must|would|no|)$")]
Number: TypeAlias = Annotated[int, Field(ge=1, le=10_000)]
# A seminar's day: years at the edges of the calendar overflow once placed in a time zone.
Day: TypeAlias = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))]


class PersonOut(Schema):
    """Someone met or to meet: a name and an organisation, no contact details."""

    id: int
    name: str
    organisation: str | None = None


class ContactDetailsOut(Schema):
    """Details shared by asking for a follow-up: only those the person has."""

    email: str | None = None
    phone: str | None = None


class RoundOut(Schema):
    number: int
    session: int
    start: dt.datetime
    end: dt.datetime
    minutes: int


class SetupIn(Schema):
    """The seminar's one-to-one programme, checked by the same rules as the organiser's page."""

    model_config = {"extra": "forbid"}

    tables: int = Field(ge=0, le=1000)
    boss_min_meetings: int = Field(0, ge=0, le=1000)
    boss_max_meetings: int = Field(0, ge=0, le=1000)
    preferences_deadline: Moment | None = None
    days: list[Day] = Field(min_length=1, max_length=14)
    session_starts: list[dt.time] = Field(min_length=1, max_length=10)
    rounds_per_session: int = Field(ge=1, le=40)
    minutes: int = Field(ge=1, le=120)
    changeover: int = Field(ge=0, le=60)


class SetupOut(Schema):
    tables: int
    boss_min_meetings: int
    boss_max_meetings: int
    preferences_deadline: dt.datetime | None
    published: dt.datetime | None
    rounds: list[RoundOut]


class PairRuleIn(Schema):
    boss_id: Id
    sponsor_id: Id
    rule: Annotated[str, Line(6, pattern="^(force|forbid)$")]


class PairRuleOut(Schema):
    id: int
    boss: PersonOut
    sponsor: PersonOut
    rule: str


class MeetingOut(Schema):
    """A meeting of the programme; ``state`` is upcoming, under_way, held or not_held."""

    id: int
    round: int
    start: dt.datetime
    end: dt.datetime
    table: int
    seat: int
    boss: PersonOut
    sponsor: PersonOut
    pinned: bool
    state: str


class PlaceIn(Schema):
    round: Number
    table: Number
    boss_id: Id
    sponsor_id: Id


class RefusalOut(ErrorOut):
    """A hand edit the planner refused: the sentence, and the rule, people and place it is about.

    ``rule`` is the engine's rule name (``table``, ``tables``, ``unavailable``, ``decline``,
    ``pair once``, ``capacity``, ``max_meetings``...), ``registration`` or ``side`` when one of
    the two may not sit at the table, or ``started`` when the round has begun.
    """

    rule: str = ""
    people: list[int] = []
    round: int | None = None
    table: int | None = None


class PlanningRunOut(Schema):
    """A planning run: queued, running, done or failed, its progress and, once done, its figures
    (a re-plan: the round it started from, meetings moved and people told)."""

    id: int
    status: str
    label: str
    progress: int
    step: str
    done: bool
    error: str
    from_round: int | None
    meetings: int | None
    value: int | None
    upper_bound: int | None
    below_min: int | None
    moved: int | None
    people_told: int | None
    created: dt.datetime
    finished: dt.datetime | None


class PublishedOut(Schema):
    published: dt.datetime
    meetings: int


class ReplanIn(Schema):
    """The round to re-plan from; by default the next one that has not started."""

    from_round: Number | None = None


class AttendanceIn(Schema):
    """What the desk records: present, no-show, left early (after which round), or an answer."""

    status: Annotated[
        str, Line(12, pattern="^(invited|confirmed|checked_in|no_show|left_early|cancelled)$")
    ]
    left_after_round: Number | None = None


class ComingIn(Schema):
    coming: bool


class MyMeetingOut(Schema):
    """One meeting of my agenda: when, where, with whom, and my rating once given."""

    meeting_id: int
    round: int
    start: dt.datetime
    end: dt.datetime
    table: int
    other: PersonOut
    state: str
    my_rating: str | None = None


class MealTableOut(Schema):
    meal_id: int
    meal: str
    start: dt.datetime
    rotation: int
    table: int


class AgendaOut(Schema):
    """My agenda; empty until the programme is published (``published`` says which)."""

    event: str
    published: bool
    meetings: list[MyMeetingOut]
    meals: list[MealTableOut]


class NowNextOut(Schema):
    """The meetings under way, those of my next round, and the held ones I have not rated."""

    published: bool
    now: list[MyMeetingOut]
    next: list[MyMeetingOut]
    to_rate: list[MyMeetingOut]


class RatingIn(Schema):
    colour: Colour
    note: Annotated[str, Text(2000)] = ""
    follow_up: bool = False


class RatingOut(Schema):
    meeting_id: int
    colour: str
    note: str
    follow_up: bool


class PreferenceIn(Schema):
    member_id: Id
    choice: Choice


class PreferencesIn(Schema):
    """Marks to set; people left out keep theirs. An empty choice clears a mark."""

    choices: list[PreferenceIn] = Field(max_length=1000)


class PreferenceOut(Schema):
    member: PersonOut
    choice: str


class PreferencesOut(Schema):
    closed: bool
    deadline: dt.datetime | None
    preferences: list[PreferenceOut]


class FollowUpOut(Schema):
    """A held meeting where either side asked for a follow-up; their details if they asked."""

    meeting_id: int
    round: int
    other: PersonOut
    they_asked: bool
    i_asked: bool
    contact: ContactDetailsOut | None


class BulletinLineOut(Schema):
    meeting_id: int
    round: int
    start: dt.datetime
    boss: PersonOut
    state: str
    colour: str | None
    boss_follow_up: bool
    sponsor_follow_up: bool
    contact: ContactDetailsOut | None


class BulletinOut(Schema):
    """A sponsor's bulletin: each meeting, the boss's rating, follow-ups either way."""

    event: str
    sponsor: PersonOut
    held: int
    upcoming: int
    follow_ups: int
    lines: list[BulletinLineOut]


class MealIn(Schema):
    name: Annotated[str, Line(100, min_length=1)]
    start: Moment
    tables: list[Annotated[int, Field(ge=1, le=100)]] = Field(min_length=1, max_length=200)
    rotations: int = Field(1, ge=1, le=10)


class MealOut(Schema):
    id: int
    name: str
    start: dt.datetime
    tables: list[int]
    rotations: int
    seated: bool


class SeatingRunOut(Schema):
    """A meal's seating run: queued, running, done or failed, and its progress; once done, the
    seating's figures (new pairs met, the most possible, acquaintances and green pairs seated
    together, the hard rules it still breaks and, if any, which and why in the language of the
    organiser who started it); ``error`` says why a failed run failed."""

    id: int
    meal_id: int
    status: str
    label: str
    progress: int
    step: str
    done: bool
    error: str
    new_pairs: int | None
    new_pairs_bound: int | None
    known_together: int | None
    together: int | None
    broken_rules: int | None
    warnings: list[str]
    created: dt.datetime
    finished: dt.datetime | None


class SeatingOut(Schema):
    """For each rotation, the people at each table (empty before the meal is planned)."""

    meal: MealOut
    rotations: list[list[list[PersonOut]]]


class ClearedOut(Schema):
    """How many meetings a cleared plan held."""

    cleared: int


class LettersOut(Schema):
    """How many day-before letters were queued (one per attendee with meetings)."""

    queued: int


class ImportIn(Schema):
    """A registrations CSV file as text: ``email`` required; ``side``, ``status``,
    ``guaranteed_meetings``, ``representatives`` optional (as ``serendip import``)."""

    model_config = {"extra": "forbid"}

    csv: Annotated[str, Text(1_000_000, min_length=1)]


class ImportOut(Schema):
    """How many registrations the file added and updated."""

    created: int
    updated: int


class MealChangedOut(MealOut):
    """The changed meal; ``seating_cleared`` when new tables or rotations undid its seating."""

    seating_cleared: bool
