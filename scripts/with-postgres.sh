#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: created in a temporary
# folder, reachable on 127.0.0.1 only, stopped and deleted when the command ends.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (DATABASE_URL is set for it)
set -euo pipefail

pg_bin=$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" | sort -V | tail -1)")
port=${SERENDIP_PG_PORT:-54329}
dir=$(mktemp -d /tmp/serendip-pg.XXXXXX)

# PostgreSQL refuses to run as root: use the postgres account the package created.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
    as_pg=(runuser -u postgres --)
fi

cleanup() {
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
# Another run's server (a second checkout, a developer's run beside CI) may hold the port: the
# next ones are tried.
started=""
for _try in $(seq 1 20); do
    if "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" \
        >/dev/null 2>&1; then
        started=1
        break
    fi
    port=$((port + 1))
done
if [ -z "$started" ]; then
    echo "PostgreSQL did not start; its log:" >&2
    tail -20 "$dir/server.log" >&2
    exit 1
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/serendip"
"$@"
