#!/usr/bin/env bash
# Stops the engines start.sh started in RUN_DIR (argument 1): each server's whole process group,
# then PostgreSQL through pg_ctl. Safe to run twice, and after a start that failed half-way.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.sh
. "$here/versions.sh"
run=${1:?usage: stop.sh RUN_DIR}
for name in openbao moto; do
  pidfile=$run/$name.pid
  [ -f "$pidfile" ] || continue
  pgid=$(cat "$pidfile")
  kill -TERM -- "-$pgid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pgid" 2>/dev/null
  rm -f "$pidfile"
done
if [ -f "$run/pg-data/postmaster.pid" ]; then
  pg_user=$(stat -c %U "$run/pg-data")
  if [ "$(id -u)" = 0 ]; then runuser -u "$pg_user" -- "$PG_BIN_DIR/pg_ctl" -D "$run/pg-data" -m immediate -w stop >/dev/null 2>&1
  else "$PG_BIN_DIR/pg_ctl" -D "$run/pg-data" -m immediate -w stop >/dev/null 2>&1; fi
  [ -f "$run/postgres.pid" ] && kill -KILL "$(cat "$run/postgres.pid")" 2>/dev/null
fi
rm -f "$run/postgres.pid"
exit 0
