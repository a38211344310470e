#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster on 127.0.0.1:5432 with password auth for the postgres role
# (used by .ci/run and by developers who want the PostgreSQL half of the suite locally).
# `--disposable` (what .ci/run passes, on a machine thrown away after the run) also turns off
# fsync and its kin for the whole cluster: creating and dropping the ~150 test databases of a run
# costs a quarter of what it does with fsync. A crash of PostgreSQL itself could then lose data,
# which no test is about (the crash tests kill Tessera, not PostgreSQL). Never on a cluster you keep.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | grep -q .; then
  pg_createcluster "$version" main >/dev/null
fi
read -r ver name port status _ < <(pg_lsclusters -h | head -n 1)
if [ "$status" != "online" ]; then
  pg_ctlcluster "$ver" "$name" start
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -p $port -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -p $port -qc \"alter role postgres password 'postgres'\"" >/dev/null
if [ "${1:-}" = "--disposable" ]; then
  for setting in "fsync = off" "synchronous_commit = off" "full_page_writes = off"; do
    su postgres -c "psql -p $port -qc \"alter system set $setting\"" >/dev/null
  done
  su postgres -c "psql -p $port -qtAc 'select pg_reload_conf()'" >/dev/null
fi
echo "PostgreSQL $ver is up on 127.0.0.1:$port"
