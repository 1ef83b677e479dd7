#!/usr/bin/env bash
# The whole test run: lint, types, then every test on SQLite and on PostgreSQL,
# the browser tests included. Called by `make test` (after the venv is built).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

scripts/system-deps.sh

echo "== ruff"
$bin/ruff check src tests bench
$bin/ruff format --check src tests bench
echo "== mypy (strict on the engines)"
$bin/mypy --strict src/serendip/engines

# The SQLite run lives in the last minute of a year (tests must hold on any day and at any hour,
# scripts/test-clocks.sh tries the other risky days); the PostgreSQL run on the machine's clock.
echo "== tests on SQLite, clock at 2027-12-31 23:59 (Paris)"
SERENDIP_TEST_CLOCK=2027-12-31T23:59:00+01:00 env -u DATABASE_URL $bin/python -m pytest -q "$@"
echo "== tests on PostgreSQL"
scripts/with-postgres.sh $bin/python -m pytest -q "$@"
