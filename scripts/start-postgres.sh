#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster on 127.0.0.1:5432 with password auth for the postgres role
# (used by .ci/run and by developers who want the PostgreSQL half of the suite locally).
# `--disposable` (what .ci/run passes, on a machine thrown away after the run) also turns off
# fsync and its kin for the whole cluster: creating and dropping the ~150 test databases of a run
# costs a quarter of what it does with fsync. A crash of PostgreSQL itself could then lose data,
# which no test is about (the crash tests kill Tessera, not PostgreSQL). Never on a cluster you keep.
#
# It also lets the OS user running it (root, and the user who ran sudo) connect as the postgres
# role over the Unix socket, by a peer map: the tests then reach PostgreSQL through the socket
# (the URL it prints last, which .ci/run uses), which costs the suite a good deal less CPU than
# loopback TCP. Password login on 127.0.0.1 keeps working.
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

# The peer map: OS users root (and $SUDO_USER) may connect as the postgres role on the socket.
conf=/etc/postgresql/$ver/$name
socket_dir=$(su postgres -c "psql -p $port -qtAc 'show unix_socket_directories'" | cut -d, -f1)
if grep -Eq '^local[[:space:]]+all[[:space:]]+postgres[[:space:]]+peer[[:space:]]*$' "$conf/pg_hba.conf"; then
  sed -Ei 's/^(local[[:space:]]+all[[:space:]]+postgres[[:space:]]+peer)[[:space:]]*$/\1 map=tessera/' "$conf/pg_hba.conf"
fi
for os_user in postgres root ${SUDO_USER:-}; do
  grep -Eq "^tessera[[:space:]]+$os_user[[:space:]]+postgres$" "$conf/pg_ident.conf" || echo "tessera $os_user postgres" >>"$conf/pg_ident.conf"
done
su postgres -c "psql -p $port -qtAc 'select pg_reload_conf()'" >/dev/null

echo "PostgreSQL $ver is up on 127.0.0.1:$port and on the socket in $socket_dir"
if grep -Eq '^local[[:space:]]+all[[:space:]]+postgres[[:space:]]+peer map=tessera' "$conf/pg_hba.conf"; then
  # The password is not needed on the socket; it stays in the URL, as a deployment's would be.
  echo "TEST_POSTGRES_URL=postgres://postgres:postgres@localhost:$port/postgres?host=$socket_dir"
else
  echo "TEST_POSTGRES_URL=postgres://postgres:postgres@127.0.0.1:$port/postgres"
fi
