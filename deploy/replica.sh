#!/bin/sh
# A real streaming replica of a PostgreSQL server, as a second cluster on this machine.
#
#   deploy/replica.sh start    # pg_basebackup of the primary, then a hot standby on REPLICA_PORT
#   deploy/replica.sh stop     # stops it and removes its data directory
#   deploy/replica.sh status   # "streaming <lag bytes>" or "stopped"
#
# Settings (environment): PRIMARY_HOST (127.0.0.1), PRIMARY_PORT (5432), PRIMARY_USER
# (postgres), REPLICA_PORT (5433), REPLICA_DIR (/tmp/archive-replica-$REPLICA_PORT).
# It prints the replica's DATABASE_REPLICA_URLS base, postgres://USER@127.0.0.1:PORT, on start.
#
# The primary must accept replication connections from 127.0.0.1: when its pg_hba.conf has no
# "replication" line, start adds "host replication all 127.0.0.1/32 trust" (the machine's own
# loopback; a real deployment names its replica's address and a password) and reloads it.
# Used by tests/scale (the router against a real replica), make bench --replica and make
# loadtest LOAD_MODE=cluster; docs/scaling.md explains the deployment this stands for.
set -eu

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
PRIMARY_USER=${PRIMARY_USER:-postgres}
REPLICA_PORT=${REPLICA_PORT:-5433}
REPLICA_DIR=${REPLICA_DIR:-/tmp/archive-replica-$REPLICA_PORT}

primary() {
  psql -X -At -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" -d postgres -c "$1"
}

# PostgreSQL refuses to run as root: run its programs as the postgres user then.
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bindir() {
  major=$(( $(primary "SHOW server_version_num") / 10000 ))
  echo "/usr/lib/postgresql/$major/bin"
}

allow_replication() {
  hba=$(primary "SHOW hba_file")
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >> "$hba"
    primary "SELECT pg_reload_conf()" >/dev/null
  fi
}

start() {
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then
    echo "postgres://$PRIMARY_USER@127.0.0.1:$REPLICA_PORT"
    return 0
  fi
  bin=$(bindir)
  allow_replication
  rm -rf "$REPLICA_DIR"
  mkdir -p "$REPLICA_DIR"
  chmod 700 "$REPLICA_DIR"
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$REPLICA_DIR"
  # -R writes standby.signal and primary_conninfo: the copy starts as a streaming standby.
  as_owner "$bin/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$PRIMARY_USER" \
    -D "$REPLICA_DIR" -R -X stream -c fast --no-sync >/dev/null
  # A hot standby needs at least the primary's value of these.
  {
    echo "port = $REPLICA_PORT"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$REPLICA_DIR'"
    echo "hot_standby = on"
    for name in max_connections max_worker_processes max_wal_senders \
        max_prepared_transactions max_locks_per_transaction; do
      echo "$name = $(primary "SHOW $name")"
    done
  } > "$REPLICA_DIR/postgresql.conf"
  {
    echo "local all all trust"
    echo "host all all 127.0.0.1/32 trust"
  } > "$REPLICA_DIR/pg_hba.conf"
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$REPLICA_DIR/postgresql.conf" "$REPLICA_DIR/pg_hba.conf"
  as_owner "$bin/pg_ctl" -D "$REPLICA_DIR" -l "$REPLICA_DIR/server.log" -w -t 60 start >/dev/null
  echo "postgres://$PRIMARY_USER@127.0.0.1:$REPLICA_PORT"
}

stop() {
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then
    as_owner "$(bindir)/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null
  fi
  rm -rf "$REPLICA_DIR"
}

status() {
  if [ ! -f "$REPLICA_DIR/postmaster.pid" ]; then echo stopped; return 0; fi
  lag=$(primary "SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), -1)
                 FROM pg_stat_replication WHERE state = 'streaming'")
  echo "streaming $lag"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
