"""Shared test set-up: under CI nothing may be skipped."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# HYPOTHESIS_PROFILE=thorough runs many more generated cases than the everyday run.
settings.register_profile("default", max_examples=60)
settings.register_profile("thorough", max_examples=1500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A test that cannot run in CI (no browser, no PostgreSQL) must fail the run, not vanish.
    if os.environ.get("CI") and _skipped:
        print(f"\nCI: {len(_skipped)} test(s) were skipped, which fails the run: {_skipped}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
