#!/usr/bin/env bash
# Makes sure the servers of n8n's queue mode are installed for the queue-mode e2e test
# (test/e2e/queue-mode.test.ts): Redis (`redis-server`, `redis-cli`) and a PostgreSQL server
# (`initdb`, `postgres`, `createdb`, `psql`). Installs what is missing with apt-get (Debian's
# redis-server and postgresql packages); needs root or password-less sudo for that.
# Idempotent: exits at once when both are there. Starts nothing: the test starts its own
# servers on free ports with temporary data folders (test/e2e/lib/queue-services.ts).
# Overrides: REDIS_SERVER=/path/to/redis-server, PG_BINDIR=/path/to/postgresql/bin.
set -euo pipefail

# Where PostgreSQL's server programs are: PG_BINDIR, else Debian's newest
# /usr/lib/postgresql/<major>/bin, else initdb on PATH. Prints nothing when none is found.
find_pg_bindir() {
	if [ -n "${PG_BINDIR:-}" ]; then
		echo "$PG_BINDIR"
		return
	fi
	local dir
	dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
		echo "$dir"
		return
	fi
	if command -v initdb >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
	fi
}

have_redis() {
	if [ -n "${REDIS_SERVER:-}" ]; then
		[ -x "$REDIS_SERVER" ]
	else
		command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1
	fi
}

have_pg() {
	local dir
	dir=$(find_pg_bindir)
	[ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] && [ -x "$dir/createdb" ] && [ -x "$dir/psql" ]
}

missing=()
have_redis || missing+=(redis-server)
have_pg || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
if [ -n "${REDIS_SERVER:-}" ] && [[ " ${missing[*]} " == *" redis-server "* ]]; then
	echo "ensure-queue-services: REDIS_SERVER=$REDIS_SERVER is not executable" >&2
	exit 1
fi
if [ -n "${PG_BINDIR:-}" ] && [[ " ${missing[*]} " == *" postgresql "* ]]; then
	echo "ensure-queue-services: PG_BINDIR=$PG_BINDIR holds no initdb/postgres/createdb/psql" >&2
	exit 1
fi
started=$(date +%s)
# The packages' own services are not used: the test starts private servers on free ports.
bash "$(dirname "$0")/apt-install.sh" ensure-queue-services "${missing[@]}"
if ! have_redis || ! have_pg; then
	echo "ensure-queue-services: apt-get finished but redis-server or PostgreSQL is still missing" >&2
	exit 1
fi
echo "ensure-queue-services: installed ${missing[*]} in $(($(date +%s) - started)) s ($(redis-server --version | head -n1); PostgreSQL in $(find_pg_bindir))" >&2
