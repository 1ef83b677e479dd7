"""The seminar in a real browser: the organiser plans and runs the day, an attendee lives it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import pytest
import vobject
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from serendip.events.models import RegistrationStatus
from serendip.programme.models import Meeting, Rating
from serendip.programme.planning import publish
from serendip.programme.services import rate
from tests.factories import PASSWORD, UserFactory
from tests.programme.seminar import Seminar, build_seminar, plan_beforehand

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_organiser_sets_up_plans_publishes_and_replans_after_a_no_show(
    live_server: object, page: Page
) -> None:
    seminar = build_seminar(bosses=10, sponsors=3, rounds=2, tables=2)
    organiser = UserFactory(is_staff=True)
    seminar.event.organisers.add(organiser)
    base = str(live_server)
    sign_in(page, base, organiser.email)
    page.goto(f"{base}/organise/{seminar.event.slug}/")

    page.get_by_label("Two-person tables").fill("4")
    page.get_by_label("Days").fill(timezone.localtime(seminar.event.start).date().isoformat())
    page.get_by_label("Sessions start at").fill("09:00")
    page.get_by_label("Rounds per session").fill("5")
    page.get_by_role("button", name="Save the set-up").click()
    expect(page.get_by_text("The programme's set-up is saved.")).to_be_visible()
    expect(page.get_by_text("10 bosses and 3 sponsors registered")).to_contain_text("5 rounds")

    page.get_by_role("button", name="Plan the meetings").click()
    expect(page.get_by_label("Planning progress")).to_have_attribute("value", "100")
    expect(page.locator("#figure-below")).to_have_text("0")
    planned = Meeting.objects.filter(event=seminar.event).count()
    expect(page.locator("#figure-meetings")).to_have_text(str(planned))
    page.get_by_role("button", name="Publish the programme").click()
    page.get_by_role("button", name="Yes, go ahead").click()
    expect(page.get_by_text("The programme is published")).to_be_visible()

    absent = seminar.sponsors[0]
    page.get_by_role("link", name="On the day").click()
    # The desk's confirmations (confirm.js) come last in the page: the no-show below asks first
    # only once they have loaded (a name typed earlier is the next test's business).
    page.wait_for_load_state()
    page.get_by_label("Find someone").fill(absent.full_name)
    expect(page.locator("#check-in tr:visible")).to_have_count(1)
    row = page.locator(f"#registration-{seminar.registration(absent).pk}")
    row.get_by_role("button", name="No-show").click()
    page.get_by_role("button", name="Yes, go ahead").click()  # freeing meetings asks first
    # The row's own "No-show" button reads the same: wait for the page's confirmation.
    expect(page.get_by_text(f"{absent}: No-show")).to_be_visible()
    assert not Meeting.objects.filter(sponsor=absent).exists()
    page.get_by_label("From round").select_option("1")
    page.get_by_role("button", name="Re-plan").click()
    page.get_by_role("button", name="Yes, go ahead").click()  # emails many people: asks first
    expect(page.get_by_text("Re-planned from round 1")).to_be_visible()

    assert seminar.registration(absent).status == RegistrationStatus.NO_SHOW
    told = {m.to[0] for m in mail.outbox}
    changed = set(Meeting.objects.filter(event=seminar.event).values_list("boss__email", flat=True))
    assert told and told <= changed | {s.email for s in seminar.sponsors}
    actions = list(seminar.event.activity.values_list("action", flat=True))
    assert {"setup", "plan", "publish", "attendance", "replan"} <= set(actions)


def test_a_check_in_changes_its_row_in_place_without_loading_the_page(
    live_server: object, page: Page
) -> None:
    seminar = build_seminar(bosses=4, sponsors=2)
    open_day_desk(page, str(live_server), seminar)
    page.evaluate("window.stillTheSamePage = true")
    boss = seminar.bosses[0]
    registration = seminar.registration(boss)
    row = page.locator(f"#registration-{registration.pk}")

    row.get_by_role("button", name="Present").click()
    expect(row.get_by_role("status")).to_have_text(f"{boss}: Checked in")
    expect(row.locator(".status")).to_have_text("Checked in")
    expect(page.locator("#day-filters option[value=checked_in]")).to_have_text("Checked in (1)")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CHECKED_IN

    # Refused in place too: "left early" needs the round they left after (asked first).
    row.get_by_role("button", name="Left early").click()
    page.get_by_role("button", name="Yes, go ahead").click()
    expect(row.get_by_role("status")).to_have_text("Say after which round they left.")
    expect(row.locator(".status")).to_have_text("Checked in")
    row.get_by_label("Left after round").select_option("2")
    row.get_by_role("button", name="Left early").click()
    page.get_by_role("button", name="Yes, go ahead").click()
    expect(row.locator(".status")).to_have_text("Left early (2)")
    # Sent in place (checkin.js): the page was never loaded again.
    assert page.evaluate("window.stillTheSamePage") is True
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.LEFT_EARLY


def open_day_desk(
    page: Page, base: str, seminar: Seminar, *, wait_until: Literal["commit", "load"] = "load"
) -> str:
    """The day page opened by one of the event's organisers; its address."""
    organiser = UserFactory(is_staff=True)
    seminar.event.organisers.add(organiser)
    sign_in(page, base, organiser.email)
    day = f"{base}/organise/{seminar.event.slug}/day/"
    page.goto(day, wait_until=wait_until)
    return day


def day_desk_still_loading(page: Page, base: str, seminar: Seminar) -> Route:
    """The day page with the desk's script held back: the rows and the search field are on
    screen, the rest of the page (checkin.js, then the confirmation dialog) is still on its
    way, as on a slow phone at the gong. Continue the route to let it come."""
    held: list[Route] = []
    page.route("**/checkin.js", lambda route: held.append(route))
    open_day_desk(page, base, seminar, wait_until="commit")
    while not held:
        page.wait_for_timeout(20)
    return held[0]


def test_a_name_typed_before_the_desk_script_runs_still_narrows_the_list(
    live_server: object, page: Page
) -> None:
    seminar = build_seminar(bosses=6, sponsors=2)
    # An organiser (or a browser putting the field back on "back") can fill the search field
    # before the script that filters is read.
    script = day_desk_still_loading(page, str(live_server), seminar)
    sought = seminar.bosses[3]
    # The words in another order than the row's, as the server's filter takes them.
    page.get_by_label("Find someone").fill(f"{sought.last_name} {sought.first_name}")
    script.continue_()
    rows = page.locator("#check-in tr:visible")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(sought.full_name)
    page.get_by_label("Find someone").fill("")
    expect(rows).to_have_count(8)


def test_a_no_show_tapped_while_the_page_still_loads_asks_first(
    live_server: object, page: Page
) -> None:
    seminar = build_seminar(bosses=4, sponsors=2)
    plan_beforehand(seminar)
    sponsor = seminar.sponsors[0]
    registration = seminar.registration(sponsor)
    meetings = Meeting.objects.filter(sponsor=sponsor).count()
    script = day_desk_still_loading(page, str(live_server), seminar)
    row = page.locator(f"#registration-{registration.pk}")
    row.get_by_role("button", name="No-show").click()
    page.wait_for_timeout(300)  # time for a post the page should not have sent
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    script.continue_()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_contain_text(sponsor.full_name)
    dialog.get_by_role("button", name="No, go back").click()
    expect(dialog).to_be_hidden()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert Meeting.objects.filter(sponsor=sponsor).count() == meetings > 0
    row.get_by_role("button", name="No-show").click()
    dialog.get_by_role("button", name="Yes, go ahead").click()
    expect(row.locator(".status")).to_have_text("No-show")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NO_SHOW


def test_a_check_in_without_network_says_so_and_a_signed_out_desk_gets_the_sign_in_page(
    live_server: object, page: Page
) -> None:
    seminar = build_seminar(bosses=4, sponsors=2)
    day = open_day_desk(page, str(live_server), seminar)
    registration = seminar.registration(seminar.bosses[1])
    row = page.locator(f"#registration-{registration.pk}")

    # The venue's network drops for a moment: the row says so, nothing is recorded.
    def no_network(route: Route) -> None:
        if route.request.method == "POST":
            route.abort()
        else:
            route.continue_()

    page.route(day, no_network)
    row.get_by_role("button", name="Present").click()
    expect(row.get_by_role("status")).to_have_text("Not sent: no network for a moment. Tap again.")
    page.unroute(day)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED

    # Signed out meanwhile (the session ended): the answer is not the desk's, so the form is
    # posted as without script and the server's page says what to do.
    page.context.clear_cookies(name="sessionid")
    row.get_by_role("button", name="Present").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert "/accounts/login/" in page.url
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_attendee_reads_agenda_downloads_ics_and_rates_green(
    live_server: object, page: Page, tmp_path: Path
) -> None:
    start = timezone.now() - dt.timedelta(minutes=45)  # the rounds have all started
    seminar = build_seminar(start=start)
    plan_beforehand(seminar)
    publish(seminar.event, actor=None)
    boss = seminar.bosses[0]
    mine = list(Meeting.objects.filter(boss=boss).select_related("sponsor", "round"))
    base = str(live_server)
    sign_in(page, base, boss.email)
    page.goto(f"{base}/events/{seminar.event.slug}/agenda/")
    for meeting in mine:
        card = page.locator(f"#meeting-{meeting.pk}")
        expect(card).to_contain_text(meeting.sponsor.full_name)
        expect(card).to_contain_text(f"table {meeting.table}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my agenda (.ics)").click()
    path = tmp_path / "agenda.ics"
    download.value.save_as(path)
    calendar = vobject.readOne(path.read_text())
    entries = sorted(calendar.vevent_list, key=lambda e: e.dtstart.value)
    assert len(entries) == len(mine)
    for entry, meeting in zip(entries, sorted(mine, key=lambda m: m.round.number), strict=True):
        assert entry.dtstart.value == meeting.round.start
        assert meeting.sponsor.full_name in entry.summary.value

    page.get_by_role("link", name="Now / next").click()
    page.wait_for_load_state()  # now.js, which sends the rating in place, is read last
    first = sorted(mine, key=lambda m: m.round.number)[0]
    form = page.locator(f"#rate-{first.pk}")
    form.get_by_label("Private note").fill("Follow up on the audit in March")
    page.evaluate("window.stillTheSamePage = true")
    form.get_by_role("button", name="Green").click()
    expect(form.get_by_role("status")).to_contain_text("your rating is saved")
    expect(form.locator(".status.green")).to_have_text("Green")
    # Sent in place (now.js): the page was not loaded again, the note typed stays.
    assert page.evaluate("window.stillTheSamePage") is True
    expect(form.get_by_label("Private note")).to_have_value("Follow up on the audit in March")
    rating = Rating.objects.get(meeting=first, rater=boss)
    assert (rating.colour, rating.note) == ("green", "Follow up on the audit in March")


def test_planning_again_after_the_first_round_keeps_the_past_intact(
    live_server: object, page: Page
) -> None:
    # Rounds every 10 minutes from 15 minutes ago: rounds 1 and 2 have started.
    start = (timezone.now() - dt.timedelta(minutes=15)).replace(second=0, microsecond=0)
    seminar = build_seminar(bosses=10, sponsors=3, rounds=6, tables=4, start=start)
    plan_beforehand(seminar)
    publish(seminar.event, actor=None)
    held = Meeting.objects.filter(event=seminar.event, round__number__lte=2)
    past = set(held.values_list("pk", "round__number", "table", "boss_id", "sponsor_id"))
    for meeting in held:
        rate(meeting, meeting.boss, colour="green", note="", follow_up=False)
    organiser = UserFactory(is_staff=True, is_superuser=True)
    base = str(live_server)
    sign_in(page, base, organiser.email)
    page.goto(f"{base}/organise/{seminar.event.slug}/")
    page.get_by_role("button", name="Re-plan from round 3 (rounds that have started stay)").click()
    expect(page.get_by_label("Planning progress")).to_have_attribute("value", "100")
    assert seminar.event.planning_runs.first().from_round == 3

    assert set(held.values_list("pk", "round__number", "table", "boss_id", "sponsor_id")) == past
    assert Rating.objects.filter(meeting__in=held).count() == len(past)
    page.get_by_role("link", name="Meetings").click()
    first = page.locator("section.round").first
    expect(first.get_by_role("button", name="Remove")).to_have_count(0)
    expect(first.get_by_text("Started: kept as it is").first).to_be_visible()
    later = page.locator("section.round").nth(4)
    expect(later.get_by_role("button", name="Remove").first).to_be_visible()
