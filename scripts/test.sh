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

echo "== tests on SQLite"
env -u DATABASE_URL $bin/python -m pytest -q "$@"
echo "== tests on PostgreSQL"
scripts/with-postgres.sh $bin/python -m pytest -q "$@"
