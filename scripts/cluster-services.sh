#!/usr/bin/env bash
# Starts what the several-nodes interop tests need beside the mail servers: a real ZooKeeper (leader election
# for `master:` through camel-zookeeper's cluster service) and a real PostgreSQL (camel-sql's orphan-lock
# idempotent repository), both from Debian's packages, on loopback, each from its own configuration in a
# throwaway directory. scripts/mail-servers.sh calls it; it also runs on its own. Run as root.
#
# Usage: scripts/cluster-services.sh start|stop|status|env
# `start` and `env` print only `export` lines on stdout (progress goes to stderr).
set -euo pipefail
# shellcheck source=debian-packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"

DIR=${CATALYST_CLUSTER_DIR:-/tmp/catalyst-cluster-services}
ZK_PORT=${CATALYST_ZK_PORT:-12181}
PG_PORT=${CATALYST_PG_PORT:-15432}
PG_USER=catalyst
PG_PASSWORD=secret
PG_DATABASE=catalyst
START_DEADLINE_SECONDS=${CATALYST_SERVERS_START_TIMEOUT:-60}

ZK_DIR=$DIR/zookeeper
PG_DIR=$DIR/postgresql
PACKAGES=(zookeeper postgresql)

log() { printf 'cluster-services: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_root() {
    [[ $(id -u) -eq 0 ]] || die "must run as root (it installs packages and runs PostgreSQL as its own user)"
}

# Installed without starting Debian's default daemons (scripts/debian-packages.sh).
install_packages() {
    install_missing_debian_packages "${PACKAGES[@]}" || die "apt-get install failed"
}

pg_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $bin ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
    printf '%s' "$bin"
}

as_postgres() { runuser -u postgres -- "$@"; }

zk_running() { [[ -f $ZK_DIR/pid ]] && kill -0 "$(cat "$ZK_DIR/pid")" 2>/dev/null; }

pg_running() { [[ -f $PG_DIR/data/postmaster.pid ]] && as_postgres "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; }

stop_services() {
    if zk_running; then
        log "stopping ZooKeeper"
        kill "$(cat "$ZK_DIR/pid")"
        local i
        for ((i = 0; i < 50; i++)); do zk_running || break; sleep 0.2; done
    fi
    rm -f "$ZK_DIR/pid"
    if pg_running; then
        log "stopping PostgreSQL"
        as_postgres "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
    fi
}

start_zookeeper() {
    rm -rf "$ZK_DIR"
    mkdir -p "$ZK_DIR/data"
    # standalone; the admin server (HTTP on 8080) stays off, so nothing listens beyond the client port
    cat >"$ZK_DIR/zoo.cfg" <<EOF
dataDir=$ZK_DIR/data
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
tickTime=500
maxSessionTimeout=60000
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr
EOF
    log "starting ZooKeeper $(dpkg-query -W -f='${Version}' zookeeper)"
    # the Debian jar names its dependencies in its manifest's Class-Path; slf4j-simple (libslf4j-java, a dependency)
    # gives it a log with milliseconds: sessions established and expired, the timeline of a takeover
    nohup java -Xmx128m -Dorg.slf4j.simpleLogger.showDateTime=true \
        -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS \
        -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar org.apache.zookeeper.server.ZooKeeperServerMain \
        "$ZK_DIR/zoo.cfg" </dev/null >"$ZK_DIR/zookeeper.log" 2>&1 &
    echo $! >"$ZK_DIR/pid"
}

start_postgresql() {
    local bin
    bin=$(pg_bin)
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR/socket"
    printf '%s\n' "$PG_PASSWORD" >"$PG_DIR/pwfile"
    chown -R postgres: "$PG_DIR"
    chmod 700 "$PG_DIR"
    as_postgres "$bin/initdb" -D "$PG_DIR/data" -U "$PG_USER" --pwfile="$PG_DIR/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    log "starting PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
    as_postgres "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgresql.log" -w -t "$START_DEADLINE_SECONDS" \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR/socket -c max_connections=50" start >/dev/null \
        || { cat "$PG_DIR/postgresql.log" >&2; die "PostgreSQL refused to start"; }
    as_postgres "$bin/createdb" -h "$PG_DIR/socket" -p "$PG_PORT" -U "$PG_USER" "$PG_DATABASE" \
        || die "createdb $PG_DATABASE failed"
}

zk_answers() {
    local reply
    reply=$(exec 3<>"/dev/tcp/127.0.0.1/$ZK_PORT" && printf 'ruok' >&3 && timeout 2 cat <&3) 2>/dev/null || return 1
    [[ $reply == imok ]]
}

pg_answers() {
    as_postgres "$(pg_bin)/psql" -h "$PG_DIR/socket" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DATABASE" -tAc 'select 1' 2>/dev/null \
        | grep -q '^1$'
}

wait_until_ready() {
    local deadline=$((SECONDS + START_DEADLINE_SECONDS))
    until zk_answers; do
        ((SECONDS < deadline)) || { cat "$ZK_DIR/zookeeper.log" >&2; die "ZooKeeper did not answer within ${START_DEADLINE_SECONDS}s"; }
        sleep 0.2
    done
    pg_answers || die "PostgreSQL does not answer on port $PG_PORT"
}

print_env() {
    cat <<EOF
export CATALYST_ZK_CONNECT=127.0.0.1:$ZK_PORT
export CATALYST_PG_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DATABASE
export CATALYST_PG_USER=$PG_USER
export CATALYST_PG_PASSWORD=$PG_PASSWORD
EOF
}

status_services() {
    local failed=0
    if zk_answers; then log "zookeeper: up"; else log "zookeeper: DOWN"; failed=1; fi
    if pg_answers; then log "postgresql: up"; else log "postgresql: DOWN"; failed=1; fi
    return "$failed"
}

start_services() {
    require_root
    install_packages
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    stop_services
    start_zookeeper
    start_postgresql
    wait_until_ready
    log "ZooKeeper on 127.0.0.1:$ZK_PORT, PostgreSQL on 127.0.0.1:$PG_PORT (config and logs in $DIR)"
    print_env
}

case ${1:-} in
    start) start_services ;;
    stop) require_root; stop_services ;;
    status) status_services ;;
    env) print_env ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
