#!/usr/bin/env bash
# Cyrus IMAP (Debian's cyrus-imapd and cyrus-pop3d, 3.6) on loopback: the third real IMAP/POP3 server of the interop
# suite, beside Dovecot and Apache James. Called by scripts/mail-servers.sh (start/stop/status/env), which has made
# the certificate in $CATALYST_SERVERS_DIR/tls; runnable alone with the same variables. Its own imapd.conf,
# cyrus.conf, databases and spool under $CATALYST_SERVERS_DIR/cyrus; the distribution's instance is never started.
# Cyrus has no SMTP server: `mail-servers.sh env-cyrus` keeps its Postfix for SMTP, which hands mail for
# cyrus.example.test to Cyrus's lmtpd (a Unix socket here). See src-docs/modules/ROOT/pages/real-servers.adoc.
#
# Usage: scripts/cyrus-server.sh start|stop|status|env
set -euo pipefail
# shellcheck source=debian-packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"
# shellcheck source=server-process.sh
source "$(dirname "${BASH_SOURCE[0]}")/server-process.sh"

DIR=${CATALYST_SERVERS_DIR:-/tmp/catalyst-mail-servers}
CYRUS_DIR=$DIR/cyrus
USERS=${CATALYST_MAIL_USERS:-alice bob carol}
# Mail for this domain reaches Cyrus through mail-servers.sh's Postfix (Cyrus drops the domain: virtdomains off).
DOMAIN=${CATALYST_CYRUS_DOMAIN:-cyrus.example.test}
PASSWORD=secret
# The IMAP administrator that creates the users' mailboxes (Cyrus creates none on its own).
ADMIN=cyrus
TRUSTSTORE_PASSWORD=changeit
START_DEADLINE_SECONDS=${CATALYST_CYRUS_START_TIMEOUT:-60}

CYRUS_IMAP_PORT=${CATALYST_CYRUS_IMAP_PORT:-12143}
CYRUS_IMAPS_PORT=${CATALYST_CYRUS_IMAPS_PORT:-12993}
CYRUS_POP3_PORT=${CATALYST_CYRUS_POP3_PORT:-12110}
CYRUS_POP3S_PORT=${CATALYST_CYRUS_POP3S_PORT:-12995}

# cyrus-common has master, lmtpd and the libraries; saslpasswd2 writes the password database.
PACKAGES=(cyrus-common sasl2-bin)
BIN=/usr/lib/cyrus/bin
# imapd and pop3d are never installed as packages: cyrus-imapd and cyrus-pop3d conflict with dovecot-imapd and
# dovecot-pop3d (all provide imap-server/pop3-server), so installing them would REMOVE the Dovecot this suite needs.
# Their .debs are downloaded and unpacked here instead, at cyrus-common's exact version.
UNPACKED=$CYRUS_DIR/pkg
SERVER_BIN=$UNPACKED/usr/lib/cyrus/bin
CERT=$DIR/tls/localhost.crt
KEY=$DIR/tls/localhost.key
IMAPD_CONF=$CYRUS_DIR/imapd.conf
CYRUS_CONF=$CYRUS_DIR/cyrus.conf
SASLDB=$CYRUS_DIR/sasldb2
PIDFILE=$CYRUS_DIR/master.pid
LOG=$CYRUS_DIR/master.log
# The Debian package's service user; master starts as root and runs every service as this user.
RUN_USER=cyrus
RUN_GROUP=mail

log() { printf 'cyrus-server: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

install_packages() {
    install_missing_debian_packages "${PACKAGES[@]}" || die "apt-get install of ${PACKAGES[*]} failed"
    unpack_servers
}

unpack_servers() {
    local version
    version=$(dpkg-query -W -f='${Version}' cyrus-common)
    [[ -f $UNPACKED/.complete-$version ]] && return 0
    log "unpacking cyrus-imapd and cyrus-pop3d $version into $UNPACKED (not installed: they conflict with Dovecot)"
    rm -rf "$UNPACKED"
    mkdir -p "$UNPACKED/debs"
    (cd "$UNPACKED/debs" && apt-get download -q "cyrus-imapd=$version" "cyrus-pop3d=$version" >&2 </dev/null) \
        || die "apt-get download of cyrus-imapd/cyrus-pop3d $version failed"
    local deb
    for deb in "$UNPACKED"/debs/*.deb; do
        dpkg-deb -x "$deb" "$UNPACKED" || die "cannot unpack $deb"
    done
    [[ -x $SERVER_BIN/imapd && -x $SERVER_BIN/pop3d ]] || die "no imapd/pop3d in the unpacked packages"
    touch "$UNPACKED/.complete-$version"
}

write_configuration() {
    rm -rf "$CYRUS_DIR"/{lib,spool,run}
    mkdir -p "$CYRUS_DIR"/{lib,spool,run,tls}
    # Cyrus reads its key as the service user; a copy keeps the shared key private to root.
    install -m 600 -o "$RUN_USER" -g "$RUN_GROUP" "$KEY" "$CYRUS_DIR/tls/localhost.key"
    install -m 644 "$CERT" "$CYRUS_DIR/tls/localhost.crt"
    # altnamespace: a user's folders sit beside INBOX ("Archive", not "INBOX.Archive"), as on Dovecot and James;
    # unixhierarchysep no: '.' separates levels, as there. Passwords in sasldb (plain), so CRAM-MD5 works too.
    # expunge_mode immediate: an expunged message leaves the spool at once, nothing lingers for the next test.
# imapidlepoll 1: with the default (60 s) an IDLE-ing client here saw no EXISTS for a delivery within a minute,
# idled running or not; with 1 s the EXISTS came within 0.05 s of each LMTP delivery (4 probes).
    cat > "$IMAPD_CONF" <<EOF
configdirectory: $CYRUS_DIR/lib
partition-default: $CYRUS_DIR/spool
servername: localhost
admins: $ADMIN
altnamespace: yes
unixhierarchysep: no
virtdomains: off
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $SASLDB
sasl_mech_list: PLAIN LOGIN CRAM-MD5
tls_server_cert: $CYRUS_DIR/tls/localhost.crt
tls_server_key: $CYRUS_DIR/tls/localhost.key
tls_sessions_db: skiplist
lmtpsocket: $CYRUS_DIR/run/lmtp
idlesocket: $CYRUS_DIR/run/idle
notifysocket: $CYRUS_DIR/run/notify
expunge_mode: immediate
delete_mode: immediate
popminpoll: 0
imapidlepoll: 1
syslog_prefix: catalyst-cyrus
EOF
    cat > "$CYRUS_CONF" <<EOF
START {
  recover cmd="$BIN/ctl_cyrusdb -C $IMAPD_CONF -r"
}
SERVICES {
  imap  cmd="$SERVER_BIN/imapd -C $IMAPD_CONF" listen="127.0.0.1:$CYRUS_IMAP_PORT" prefork=0 maxchild=100
  imaps cmd="$SERVER_BIN/imapd -s -C $IMAPD_CONF" listen="127.0.0.1:$CYRUS_IMAPS_PORT" prefork=0 maxchild=100
  pop3  cmd="$SERVER_BIN/pop3d -C $IMAPD_CONF" listen="127.0.0.1:$CYRUS_POP3_PORT" prefork=0 maxchild=50
  pop3s cmd="$SERVER_BIN/pop3d -s -C $IMAPD_CONF" listen="127.0.0.1:$CYRUS_POP3S_PORT" prefork=0 maxchild=50
  lmtpunix cmd="$BIN/lmtpd -C $IMAPD_CONF" listen="$CYRUS_DIR/run/lmtp" prefork=0 maxchild=20
}
# idled tells an IDLE-ing imapd of new mail (see imapidlepoll above).
DAEMON {
  idled cmd="$SERVER_BIN/idled -C $IMAPD_CONF"
}
EVENTS {
  checkpoint cmd="$BIN/ctl_cyrusdb -C $IMAPD_CONF -c" period=30
}
EOF
    chown -R "$RUN_USER:$RUN_GROUP" "$CYRUS_DIR"/{lib,spool,run,tls}
}

running() {
    pidfile_running "$PIDFILE"
}

set_password() {
    printf '%s' "$PASSWORD" | saslpasswd2 -p -c -f "$SASLDB" -u localhost "$1" \
        || die "saslpasswd2 could not set the password of $1"
}

# One IMAP session as the administrator: CREATE user.<name> makes the user's INBOX (Cyrus's admin namespace).
create_mailboxes() (
    local tag=0 line user
    exec 3<>"/dev/tcp/127.0.0.1/$CYRUS_IMAP_PORT" || die "cannot reach Cyrus IMAP on $CYRUS_IMAP_PORT"
    read -r -t 10 line <&3 || die "Cyrus IMAP sent no greeting"
    send() {
        tag=$((tag + 1))
        printf 'a%d %s\r\n' "$tag" "$1" >&3
        while read -r -t 10 line <&3; do
            case $line in
                "a$tag OK"*) return 0 ;;
                "a$tag NO"*"already exists"* | "a$tag NO"*"Mailbox already exists"*) return 0 ;;
                "a$tag "*) die "Cyrus answered '$1' with: ${line%$'\r'}" ;;
            esac
        done
        die "Cyrus did not answer '$1' within 10 s"
    }
    send "LOGIN $ADMIN $PASSWORD"
    for user in $USERS; do
        send "CREATE user.$user"
    done
    send "LOGOUT"
)

start() {
    [[ -s $CERT && -s $KEY ]] || die "no certificate in $DIR/tls: start through scripts/mail-servers.sh"
    if running; then
        log "already running (pid $(cat "$PIDFILE"))"
        return 0
    fi
    install_packages
    write_configuration
    rm -f "$SASLDB"
    local user
    for user in $ADMIN $USERS; do
        set_password "$user"
    done
    chown "$RUN_USER:$RUN_GROUP" "$SASLDB"
    chmod 600 "$SASLDB"
    : > "$LOG"
    chown "$RUN_USER:$RUN_GROUP" "$LOG"
    log "starting Cyrus IMAP on 127.0.0.1 (IMAP $CYRUS_IMAP_PORT, IMAPS $CYRUS_IMAPS_PORT, POP3 $CYRUS_POP3_PORT)"
    # -D: master stays in the foreground of its own session (setsid), so its pid is ours to stop.
    setsid "$BIN/master" -C "$IMAPD_CONF" -M "$CYRUS_CONF" -p "$PIDFILE" -D >>"$LOG" 2>&1 </dev/null &
    local deadline=$((SECONDS + START_DEADLINE_SECONDS)) port
    for port in "$CYRUS_IMAP_PORT" "$CYRUS_IMAPS_PORT" "$CYRUS_POP3_PORT" "$CYRUS_POP3S_PORT"; do
        until port_open "$port"; do
            ((SECONDS < deadline)) || die "Cyrus did not open port $port within ${START_DEADLINE_SECONDS}s; see $LOG"
            sleep 1
        done
    done
    create_mailboxes
    log "Cyrus is up (users: $USERS, password $PASSWORD)"
}

stop() {
    stop_pidfile_process "$PIDFILE"
}

# The variable names of mail-servers.sh env pointing at Cyrus for IMAP and POP3; mail-servers.sh env-cyrus prints
# them after its own, so SMTP stays on Postfix.
env_exports() {
    print_mail_env cyrus "$DOMAIN" "$PASSWORD" "$CYRUS_IMAP_PORT" "$CYRUS_IMAPS_PORT" "$CYRUS_POP3_PORT" \
        "$CYRUS_POP3S_PORT" "$DIR" "$TRUSTSTORE_PASSWORD"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if running; then echo "cyrus: running (pid $(cat "$PIDFILE"))"; else echo "cyrus: stopped"; fi ;;
    env) env_exports ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
