#!/usr/bin/env bash
# The suite on the clocks where date bugs hide: the 1st, 11th, 21st and 31st of a month and the
# last minute of a year (venue time, Europe/Paris). Each run is the whole suite on SQLite with
# its clock moved there (SERENDIP_TEST_CLOCK, see tests/conftest.py); arguments go to pytest.
# Usage: scripts/test-clocks.sh [PYTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
clocks=(
    2027-03-01T08:30:00+01:00
    2027-03-11T12:00:00+01:00
    2027-03-21T18:45:00+01:00
    2027-03-31T00:05:00+02:00
    2027-12-31T23:59:00+01:00
)
for clock in "${clocks[@]}"; do
    echo "== tests on SQLite at $clock"
    SERENDIP_TEST_CLOCK=$clock env -u DATABASE_URL .venv/bin/python -m pytest -q "$@"
done
