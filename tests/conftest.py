"""Shared test set-up: under CI nothing may be skipped; ``SERENDIP_TEST_CLOCK`` fixes the clock."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import override_settings
from django.utils import translation
from hypothesis import settings

# HYPOTHESIS_PROFILE=thorough runs many more generated cases than the everyday run.
settings.register_profile("default", max_examples=60)
settings.register_profile("thorough", max_examples=1500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_skipped: list[str] = []

# The whole run can start at a chosen moment (ISO 8601 with its offset), e.g. the last minute of
# a year: SERENDIP_TEST_CLOCK=2027-12-31T23:59:00+01:00. The clock then ticks on from there, in
# the test process and its live server alike (the browser follows it: tests/e2e/conftest.py).
TEST_CLOCK = os.environ.get("SERENDIP_TEST_CLOCK", "")


def clock_start() -> dt.datetime | None:
    """The moment the run's clock was set to, or None on the machine's clock."""
    return dt.datetime.fromisoformat(TEST_CLOCK) if TEST_CLOCK else None


@pytest.fixture(autouse=True, scope="session")
def fixed_clock() -> Iterator[None]:
    """Move the clock of the whole run to ``SERENDIP_TEST_CLOCK`` when it is set."""
    start = clock_start()
    if start is None:
        yield
        return
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(autouse=True)
def language_of_the_run() -> Iterator[None]:
    """Each test starts in the site's default language. A page asked by a member who reads
    French activates French in the thread that served it (MemberLanguageMiddleware), which is
    the test's own with Django's test client: the next test on this worker would read the
    refusals it asserts in French."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_caches() -> Iterator[None]:
    """Each test starts with empty caches: tests reuse ids and versions, so a page or a report
    kept by one test could otherwise be served to the next one."""
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def machine_clock() -> Iterator[None]:
    """The machine's own clock for a test that shares time with another process.

    A server or worker started as a subprocess reads the real clock: a test that compares
    its timestamps (heartbeats, sessions) with its own must not live at SERENDIP_TEST_CLOCK.
    """
    if clock_start() is None:
        yield
        return
    with time_machine.travel(time_machine.escape_hatch.time.time(), tick=True):
        yield


def pytest_configure(config: pytest.Config) -> None:
    """Give each pytest-xdist worker its own slice of the loopback ports the stack tests use."""
    # Live servers and the SMTP mailbox take free ports from the system; the gunicorn stack
    # (tests/production/test_stack.py) scans SERENDIP_TEST_PORTS, which two workers must not
    # share (two runs side by side give each its own SERENDIP_TEST_PORTS range).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    first, last = (int(p) for p in os.environ.get("SERENDIP_TEST_PORTS", "18100-18199").split("-"))
    width = (last - first + 1) // count
    start = first + int(worker[2:]) * width
    os.environ["SERENDIP_TEST_PORTS"] = f"{start}-{start + width - 1}"


@pytest.fixture(autouse=True, scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A data folder of the run's own (one per xdist worker), never the checkout's ``data``.

    The recommender's shared index and backups land in DATA_DIR: runs side by side, and the
    demo in ./data, must not read each other's files. Processes the tests start inherit it.
    """
    folder = tmp_path_factory.mktemp("data")
    before = (django_settings.DATA_DIR, os.environ.get("SERENDIP_DATA_DIR"))
    django_settings.DATA_DIR = folder
    os.environ["SERENDIP_DATA_DIR"] = str(folder)
    yield
    django_settings.DATA_DIR = before[0]
    if before[1] is None:
        os.environ.pop("SERENDIP_DATA_DIR", None)
    else:
        os.environ["SERENDIP_DATA_DIR"] = before[1]


def pytest_report_header() -> str:
    """Say on which clock the run ran, so that a failure can be replayed."""
    return f"clock: {TEST_CLOCK or 'as the machine says'}"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A test that cannot run in CI (no browser, no PostgreSQL) must fail the run, not vanish.
    if os.environ.get("CI") and _skipped:
        print(f"\nCI: {len(_skipped)} test(s) were skipped, which fails the run: {_skipped}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content: bytes = envelope.content  # type: ignore[attr-defined]
        self.messages.append(message_from_bytes(content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on localhost that Django's mail goes to for the test."""
    box = Mailbox()
    with socket.socket() as probe:  # aiosmtpd cannot start on port 0: find a free port first
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
    ):
        yield box
    controller.stop()
