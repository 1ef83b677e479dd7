#!/usr/bin/env bash
# The whole test run: lint, types, then every test on SQLite and on PostgreSQL,
# the browser tests included. Called by `make test` (after the venv is built).
#
# Each pass spreads its tests over pytest-xdist workers, one per core by default
# (SERENDIP_TEST_WORKERS=N to choose, 0 for a single process). Every worker has its own test
# database, data folder and loopback ports (tests/conftest.py), so the tests never meet.
# A failing step does not hide the others: every step runs, and the run fails at the end
# with the list of the steps that failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
workers=${SERENDIP_TEST_WORKERS:-auto}
failed=()

step() {
    local name=$1
    shift
    echo "== $name"
    "$@" || failed+=("$name")
}

scripts/system-deps.sh || exit 1

step "ruff" $bin/ruff check --no-cache src tests bench
step "ruff format" $bin/ruff format --no-cache --check src tests bench
step "mypy --strict on the engines" $bin/mypy --strict src/serendip/engines
step "mypy with Django's stubs on the whole package" $bin/mypy

# The SQLite run lives in the last minute of a year (tests must hold on any day and at any hour,
# scripts/test-clocks.sh tries the other risky days) and runs every test; the PostgreSQL run, on
# the machine's clock, runs every test that touches the database again. What does not depend on
# the database runs once: the engines (they import no Django), the static checks of the code and
# catalogues, the fresh install's deploy check, the demo set up on SQLite by its command, and the
# walks through every page for the browser and for the French (the same pages over either
# database; the database's own behaviour is what the permission matrix and the other tests run
# twice).
once=(
    --ignore=tests/engines --ignore=tests/e2e
    --ignore=tests/test_import_rules.py --ignore=tests/test_translations.py
    --ignore=tests/test_bench_imports.py --ignore=tests/test_engine_ids.py
    --ignore=tests/test_pages_in_french.py --ignore=tests/production/test_fresh_install.py
    --deselect=tests/cli/test_demo.py::test_serendip_demo_sets_up_sqlite_in_the_data_folder_and_reuses_it
)
step "tests on SQLite, clock at 2027-12-31 23:59 (Paris)" \
    env -u DATABASE_URL SERENDIP_TEST_CLOCK=2027-12-31T23:59:00+01:00 \
    $bin/python -m pytest -q -n "$workers" --dist worksteal --durations=15 "$@"
step "tests on PostgreSQL (those that touch the database)" \
    scripts/with-postgres.sh $bin/python -m pytest -q -n "$workers" --dist worksteal --durations=15 "${once[@]}" "$@"

if [ ${#failed[@]} -gt 0 ]; then
    printf '== FAILED: %s\n' "${failed[@]}"
    exit 1
fi
echo "== all steps passed"
