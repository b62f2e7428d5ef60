#!/usr/bin/env bash
# Starts a real Dovecot (IMAP, POP3, LMTP, SASL auth) and a real Postfix (SMTP, SMTPS, submission) on
# loopback, each from its own configuration in a throwaway directory, so interop tests can run against
# the servers people actually use. Debian 12 packages, run as root. See
# src-docs/modules/ROOT/pages/real-servers.adoc for ports, users and how tests find the servers.
#
# Usage: scripts/mail-servers.sh start|stop|status|env|env-james|env-cyrus|clear-mailboxes
# start/stop/status/env also cover ZooKeeper and PostgreSQL (scripts/cluster-services.sh).
# `start` and `env` print only `export` lines on stdout (progress goes to stderr), so
#   eval "$(scripts/mail-servers.sh start)"
# leaves the connection details in the calling shell. `start` also starts Apache James (scripts/james-server.sh)
# unless CATALYST_WITH_JAMES=no; `env-james` prints the same variables pointing at James (ZooKeeper and PostgreSQL
# as with `env`). Likewise Cyrus IMAP (scripts/cyrus-server.sh) unless CATALYST_WITH_CYRUS=no, and `env-cyrus`:
# Cyrus for IMAP and POP3, this Postfix for SMTP, which delivers mail for cyrus.example.test to Cyrus's LMTP.
set -euo pipefail
# shellcheck source=debian-packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"

DIR=${CATALYST_SERVERS_DIR:-/tmp/catalyst-mail-servers}
USERS=${CATALYST_MAIL_USERS:-alice bob carol}
DOMAIN=example.test
PASSWORD=secret
MAIL_USER=catalystmail
TRUSTSTORE_PASSWORD=changeit
START_DEADLINE_SECONDS=${CATALYST_SERVERS_START_TIMEOUT:-60}

# The ports can be moved (same variable names as the env block) to run a second instance beside the first.
IMAP_PORT=${CATALYST_IMAP_PORT:-10143}
IMAPS_PORT=${CATALYST_IMAPS_PORT:-10993}
POP3_PORT=${CATALYST_POP3_PORT:-10110}
POP3S_PORT=${CATALYST_POP3S_PORT:-10995}
LMTP_PORT=${CATALYST_LMTP_PORT:-10024}
SMTP_PORT=${CATALYST_SMTP_PORT:-10025}
SMTPS_PORT=${CATALYST_SMTPS_PORT:-10465}
SUBMISSION_PORT=${CATALYST_SUBMISSION_PORT:-10587}

DOVECOT_CONF=$DIR/dovecot/dovecot.conf
DOVECOT_BASE=$DIR/run/dovecot
POSTFIX_DIR=$DIR/postfix
TLS_DIR=$DIR/tls
CERT=$TLS_DIR/localhost.crt
KEY=$TLS_DIR/localhost.key
TRUSTSTORE=$DIR/truststore.p12

PACKAGES=(dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix)

log() { printf 'mail-servers: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_root() {
    [[ $(id -u) -eq 0 ]] || die "must run as root (it installs packages and binds Postfix/Dovecot as system daemons)"
}

# Installed without starting Debian's default daemons (scripts/debian-packages.sh).
install_packages() {
    command -v keytool >/dev/null || die "keytool (from a JDK) is needed to write the Java truststore"
    local wanted=("${PACKAGES[@]}")
    command -v openssl >/dev/null || wanted+=(openssl)
    debian_packages_installed "${wanted[@]}" && return 0

    # "Local only" gives /etc/postfix/main.cf a loopback-only default instance, which we never start but
    # whose main.cf must exist to name our configuration directory in alternate_config_directories.
    debconf-set-selections <<'EOF'
postfix postfix/main_mailer_type select Local only
postfix postfix/mailname string localhost
EOF
    local status=0
    install_missing_debian_packages "${wanted[@]}" || status=$?
    [[ $status -eq 0 ]] || die "apt-get install failed (exit $status)"
    stop_distro_daemons
}

# Should a package script have started the distribution's own instances anyway (a host without a
# forbidding policy, a booted systemd), stop and disable them: only our loopback instances may run.
stop_distro_daemons() {
    if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
        systemctl disable --now postfix.service dovecot.service dovecot.socket >/dev/null 2>&1 || true
    fi
    if postfix status >/dev/null 2>&1; then
        log "stopping the distribution's default Postfix instance"
        postfix stop >/dev/null 2>&1 || true
    fi
    if [[ -f /run/dovecot/master.pid ]] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
        log "stopping the distribution's default Dovecot instance"
        doveadm stop >/dev/null 2>&1 || kill "$(cat /run/dovecot/master.pid)" || true
    fi
}

ensure_mail_user() {
    if ! id "$MAIL_USER" >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$MAIL_USER"
    fi
}

# A certificate kept across restarts: tests may have loaded the truststore already.
ensure_certificate() {
    mkdir -p "$TLS_DIR"
    chmod 755 "$TLS_DIR"
    if [[ ! -s $CERT || ! -s $KEY ]] || ! openssl x509 -in "$CERT" -noout -checkend 86400 >/dev/null 2>&1; then
        log "generating a self-signed certificate for localhost"
        rm -f "$TRUSTSTORE"
        # umask 077: the key is never readable by others, not even for a moment.
        (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
            -subj "/CN=localhost" \
            -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
            -addext "basicConstraints=critical,CA:FALSE" \
            -addext "keyUsage=critical,digitalSignature,keyEncipherment" \
            -addext "extendedKeyUsage=serverAuth" \
            -keyout "$KEY" -out "$CERT" 2>/dev/null) || die "openssl could not create the certificate"
        chmod 644 "$CERT"
    fi
    if [[ ! -s $TRUSTSTORE ]]; then
        keytool -importcert -noprompt -storetype PKCS12 -alias catalyst-mail-localhost \
            -file "$CERT" -keystore "$TRUSTSTORE" -storepass "$TRUSTSTORE_PASSWORD" >/dev/null 2>&1 \
            || die "keytool could not write $TRUSTSTORE"
        chmod 644 "$TRUSTSTORE"
    fi
}

write_dovecot_config() {
    local uid gid user
    uid=$(id -u "$MAIL_USER")
    gid=$(id -g "$MAIL_USER")
    mkdir -p "$DIR/dovecot" "$DIR/mail" "$DIR/run" "$DIR/state"
    chown "$MAIL_USER:$MAIL_USER" "$DIR/mail"
    chmod 750 "$DIR/mail"

    # Passwords in the PLAIN scheme: CRAM-MD5 needs the clear text, and these are throwaway test users.
    : > "$DIR/dovecot/users"
    for user in $USERS; do
        printf '%s:{PLAIN}%s:%s:%s::%s/mail/%s\n' "$user" "$PASSWORD" "$uid" "$gid" "$DIR" "$user" \
            >> "$DIR/dovecot/users"
    done
    chown root:dovecot "$DIR/dovecot/users"
    chmod 640 "$DIR/dovecot/users"

    local dh_line=""
    [[ -f /usr/share/dovecot/dh.pem ]] && dh_line="ssl_dh = </usr/share/dovecot/dh.pem"

    cat > "$DOVECOT_CONF" <<EOF
# Generated by scripts/mail-servers.sh: a loopback-only Dovecot for interop tests.
base_dir = $DOVECOT_BASE
state_dir = $DIR/state
instance_name = catalyst-mail
protocols = imap pop3 lmtp
listen = 127.0.0.1
log_path = $DIR/dovecot.log
info_log_path = $DIR/dovecot.log

ssl = yes
ssl_cert = <$CERT
ssl_key = <$KEY
$dh_line
ssl_min_protocol = TLSv1.2

# Loopback only: clear-text credentials are acceptable here, and the tests exercise both paths.
disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5
# LMTP recipients arrive as alice@example.test; the user is alice.
auth_username_format = %Ln

passdb {
  driver = passwd-file
  args = $DIR/dovecot/users
}
userdb {
  driver = passwd-file
  args = $DIR/dovecot/users
}

first_valid_uid = $uid
last_valid_uid = $uid
mail_location = maildir:~/Maildir
mail_uid = $uid
mail_gid = $gid
mail_privileged_group =

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $POP3_PORT
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $POP3S_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}

# RFC 6154 special-use attributes, as Debian's own 15-mailboxes.conf declares them: a folder named so carries the
# attribute once it exists (none is created automatically, so the tests start from an INBOX alone)
namespace inbox {
  inbox = yes
  mailbox Sent {
    special_use = \\Sent
  }
  mailbox Drafts {
    special_use = \\Drafts
  }
  mailbox Trash {
    special_use = \\Trash
  }
  mailbox Junk {
    special_use = \\Junk
  }
}

protocol lmtp {
  postmaster_address = postmaster@$DOMAIN
}
protocol pop3 {
  pop3_uidl_format = %08Xu%08Xv
}
EOF
}

write_postfix_config() {
    local user maps="" domains=$DOMAIN transports=""
    for user in $USERS; do
        maps+="${maps:+, }$user@$DOMAIN=$user"
    done
    if [[ $WITH_CYRUS == yes ]]; then
        domains+=", $CYRUS_DOMAIN"
        for user in $USERS; do
            maps+=", $user@$CYRUS_DOMAIN=$user"
        done
        transports="inline:{ $CYRUS_DOMAIN=lmtp:unix:$CYRUS_LMTP_SOCKET }"
    fi
    mkdir -p "$POSTFIX_DIR" "$DIR/postfix-queue" "$DIR/postfix-data"
    chmod 755 "$POSTFIX_DIR" "$DIR/postfix-queue"
    chown postfix:postfix "$DIR/postfix-data"
    chmod 700 "$DIR/postfix-data"
    touch "$DIR/postfix.log"

    cat > "$POSTFIX_DIR/main.cf" <<EOF
# Generated by scripts/mail-servers.sh: a loopback-only Postfix for interop tests.
compatibility_level = 3.6
syslog_name = postfix-catalyst
queue_directory = $DIR/postfix-queue
data_directory = $DIR/postfix-data
maillog_file = $DIR/postfix.log
maillog_file_prefixes = /var, /dev/stdout, $DIR

myhostname = localhost
mydomain = $DOMAIN
myorigin = $DOMAIN
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8

# Nothing leaves the machine: only example.test is delivered, over LMTP to Dovecot (and cyrus.example.test, when
# Cyrus runs, over LMTP to Cyrus).
relayhost =
default_transport = error:outside delivery disabled on this test server
relay_transport = error:outside delivery disabled on this test server
local_transport = error:local delivery disabled on this test server
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = $domains
virtual_mailbox_maps = inline:{ $maps }
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
# empty without Cyrus: a "${x:+inline:{ $x }}" expansion left a lone "}" there, and trivial-rewrite died on it
transport_maps = $transports

# The benchmarks send 100 MB attachments.
message_size_limit = 209715200
mailbox_size_limit = 0
virtual_mailbox_limit = 0
smtputf8_enable = yes
biff = no
append_dot_mydomain = no
readme_directory = no

smtpd_tls_cert_file = $CERT
smtpd_tls_key_file = $KEY
smtpd_tls_security_level = may
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DOVECOT_BASE/auth-postfix
smtpd_sasl_auth_enable = yes
# Other domains are refused at RCPT, authenticated or not: an immediate reply a test can see, where
# accepting and then bouncing would drop a bounce into the sender's mailbox.
smtpd_relay_restrictions = reject_unauth_destination
EOF

    # Every service runs outside a chroot: the queue lives in the throwaway directory, not in a jail.
    cat > "$POSTFIX_DIR/master.cf" <<EOF
# Generated by scripts/mail-servers.sh.
# service        type  private unpriv chroot wakeup maxproc command
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
127.0.0.1:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix-catalyst/smtps
  -o smtpd_tls_wrappermode=yes
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix-catalyst/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n - 0 cleanup
  -o smtputf8_enable=no
qmgr       unix  n - n 300 1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n - - trivial-rewrite
bounce     unix  - - n - 0 bounce
defer      unix  - - n - 0 bounce
trace      unix  - - n - 0 bounce
verify     unix  - - n - 1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n - - proxymap
proxywrite unix  - - n - 1 proxymap
smtp       unix  - - n - - smtp
relay      unix  - - n - - smtp
showq      unix  n - n - - showq
error      unix  - - n - - error
retry      unix  - - n - - error
discard    unix  - - n - - discard
local      unix  - n n - - local
virtual    unix  - n n - - virtual
lmtp       unix  - - n - - lmtp
anvil      unix  - - n - 1 anvil
scache     unix  - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF
    chmod 644 "$POSTFIX_DIR/main.cf" "$POSTFIX_DIR/master.cf"
    allow_postfix_config_directory
}

# `postfix -c DIR` is refused unless the default main.cf names DIR in alternate_config_directories.
allow_postfix_config_directory() {
    local current
    [[ -f /etc/postfix/main.cf ]] || die "/etc/postfix/main.cf is missing (reinstall postfix with mailer type 'Local only')"
    current=$(postconf -h alternate_config_directories 2>/dev/null || true)
    case " ${current//,/ } " in
        *" $POSTFIX_DIR "*) return 0 ;;
    esac
    postconf -e "alternate_config_directories = ${current:+$current, }$POSTFIX_DIR"
}

dovecot_running() {
    [[ -f $DOVECOT_BASE/master.pid ]] && kill -0 "$(cat "$DOVECOT_BASE/master.pid")" 2>/dev/null
}

postfix_running() {
    [[ -f $POSTFIX_DIR/main.cf ]] && postfix -c "$POSTFIX_DIR" status >/dev/null 2>&1
}

stop_servers() {
    stop_james
    stop_cyrus
    if postfix_running; then
        log "stopping Postfix"
        postfix -c "$POSTFIX_DIR" stop >/dev/null 2>&1 || true
    fi
    if dovecot_running; then
        log "stopping Dovecot"
        local pid
        pid=$(cat "$DOVECOT_BASE/master.pid")
        kill "$pid" 2>/dev/null || true
        wait_for_exit "$pid" || kill -9 "$pid" 2>/dev/null || true
    fi
    return 0
}

wait_for_exit() {
    local pid=$1 deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

# Reads the greeting of a clear-text service; $2 is the expected start, $3 the goodbye command.
# A subshell, so the socket's exec redirections never touch the script's own descriptors.
plain_greeting() (
    port=$1 expected=$2 goodbye=$3 line=""
    exec 2>/dev/null
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    IFS= read -r -t 5 line <&3 || true
    printf '%s\r\n' "$goodbye" >&3 || true
    [[ $line == "$expected"* ]]
)

# Same for an implicit-TLS service, verifying the certificate and host name like the tests will.
tls_greeting() {
    local port=$1 expected=$2 goodbye=$3 line
    line=$(printf '%s\r\n' "$goodbye" | timeout 10 openssl s_client -connect "127.0.0.1:$port" \
        -servername localhost -verify_hostname localhost -CAfile "$CERT" -verify_return_error \
        -quiet -ign_eof 2>/dev/null | head -n 1) || true
    [[ $line == "$expected"* ]]
}

service_answers() {
    case $1 in
        imap) plain_greeting "$IMAP_PORT" '* OK' 'a LOGOUT' ;;
        imaps) tls_greeting "$IMAPS_PORT" '* OK' 'a LOGOUT' ;;
        pop3) plain_greeting "$POP3_PORT" '+OK' 'QUIT' ;;
        pop3s) tls_greeting "$POP3S_PORT" '+OK' 'QUIT' ;;
        lmtp) plain_greeting "$LMTP_PORT" '220 ' 'QUIT' ;;
        smtp) plain_greeting "$SMTP_PORT" '220 ' 'QUIT' ;;
        smtps) tls_greeting "$SMTPS_PORT" '220 ' 'QUIT' ;;
        submission) plain_greeting "$SUBMISSION_PORT" '220 ' 'QUIT' ;;
    esac
}

SERVICES=(imap imaps pop3 pop3s lmtp smtp smtps submission)

wait_until_ready() {
    local deadline=$((SECONDS + START_DEADLINE_SECONDS)) service
    for service in "${SERVICES[@]}"; do
        until service_answers "$service"; do
            if ((SECONDS >= deadline)); then
                log "last lines of $DIR/dovecot.log and $DIR/postfix.log:"
                tail -n 20 "$DIR/dovecot.log" "$DIR/postfix.log" >&2 2>/dev/null || true
                die "$service did not answer within ${START_DEADLINE_SECONDS}s"
            fi
            sleep 0.2
        done
    done
}

print_env() {
    cat <<EOF
export CATALYST_SERVER_KIND=dovecot
export CATALYST_MAIL_HOST=localhost
export CATALYST_MAIL_DOMAIN=$DOMAIN
export CATALYST_MAIL_PASSWORD=$PASSWORD
export CATALYST_IMAP_PORT=$IMAP_PORT
export CATALYST_IMAPS_PORT=$IMAPS_PORT
export CATALYST_POP3_PORT=$POP3_PORT
export CATALYST_POP3S_PORT=$POP3S_PORT
export CATALYST_SMTP_PORT=$SMTP_PORT
export CATALYST_SMTPS_PORT=$SMTPS_PORT
export CATALYST_SUBMISSION_PORT=$SUBMISSION_PORT
export CATALYST_TRUSTSTORE=$TRUSTSTORE
export CATALYST_TRUSTSTORE_PASSWORD=$TRUSTSTORE_PASSWORD
export CATALYST_SERVERS_DIR=$DIR
EOF
}

# Checked before anything is stopped: the names end up in passwd-file lines and a Postfix inline map.
check_user_names() {
    local user
    for user in $USERS; do
        [[ $user =~ ^[a-z0-9][a-z0-9._-]*$ ]] || die "user name '$user' in CATALYST_MAIL_USERS: use a-z, 0-9, '.', '_', '-'"
    done
}

start_servers() {
    require_root
    check_user_names
    install_packages
    ensure_mail_user
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    stop_servers
    ensure_certificate
    write_dovecot_config
    write_postfix_config

    log "starting Dovecot $(dovecot --version | cut -d' ' -f1)"
    # The daemons keep the descriptors they start with: hand them none of ours, or a caller reading
    # our output through a pipe ($(...), | tee) would wait for an end of file that never comes.
    if ! dovecot -c "$DOVECOT_CONF" </dev/null >/dev/null 2>"$DIR/dovecot-start.log"; then
        cat "$DIR/dovecot-start.log" >&2
        die "dovecot refused to start; see $DIR/dovecot.log"
    fi
    log "starting Postfix $(postconf -h mail_version)"
    if ! postfix -c "$POSTFIX_DIR" start </dev/null >"$DIR/postfix-start.log" 2>&1; then
        cat "$DIR/postfix-start.log" >&2
        die "postfix refused to start; see $DIR/postfix.log"
    fi
    wait_until_ready
    log "all services answer (config and logs in $DIR)"
    start_james
    start_cyrus
    print_env
}

status_servers() {
    status_james
    status_cyrus
    local service failed=0
    for service in "${SERVICES[@]}"; do
        if service_answers "$service"; then
            log "$service: up"
        else
            log "$service: DOWN"
            failed=1
        fi
    done
    return "$failed"
}

# Empties every user's mailboxes: messages go, and folders other than INBOX are deleted, so each test
# starts from a known state.
clear_mailboxes() {
    require_root
    if dovecot_running; then
        doveadm -c "$DOVECOT_CONF" expunge -A mailbox '*' all
        local user mailbox
        # Tab-separated after a header line; -r takes children along, -s drops the subscription too.
        while IFS=$'\t' read -r user mailbox; do
            [[ -n $mailbox && $mailbox != INBOX ]] || continue
            doveadm -c "$DOVECOT_CONF" mailbox delete -r -s -u "$user" "$mailbox" 2>/dev/null || true
        done < <(doveadm -f tab -c "$DOVECOT_CONF" mailbox list -A | tail -n +2)
    else
        rm -rf "$DIR"/mail/*/Maildir
    fi
    log "mailboxes cleared"
}

# --- Apache James: the second real server (issue #20), run by its own script -----------------------------
# Its mailboxes live in the JVM's memory (a restart empties them); clear-mailboxes does not touch it.
WITH_JAMES=${CATALYST_WITH_JAMES:-yes}
JAMES_SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/james-server.sh"

# run_server_script SCRIPT start|stop|status|env: James's or Cyrus's script, in this instance's directory.
run_server_script() {
    CATALYST_SERVERS_DIR=$DIR CATALYST_MAIL_USERS=$USERS CATALYST_CYRUS_DOMAIN=$CYRUS_DOMAIN bash "$1" "$2"
}

start_james() {
    [[ $WITH_JAMES != yes ]] || run_server_script "$JAMES_SCRIPT" start
}

stop_james() {
    run_server_script "$JAMES_SCRIPT" stop
}

status_james() {
    [[ $WITH_JAMES != yes ]] || log "$(run_server_script "$JAMES_SCRIPT" status)"
}

# --- Cyrus IMAP: the third real IMAP/POP3 server, run by its own script; no SMTP of its own ------------------
# Its mailboxes are made afresh on every start; clear-mailboxes does not touch it.
WITH_CYRUS=${CATALYST_WITH_CYRUS:-yes}
CYRUS_SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cyrus-server.sh"
CYRUS_DOMAIN=cyrus.$DOMAIN
CYRUS_LMTP_SOCKET=$DIR/cyrus/run/lmtp

start_cyrus() {
    [[ $WITH_CYRUS != yes ]] || run_server_script "$CYRUS_SCRIPT" start
}

stop_cyrus() {
    run_server_script "$CYRUS_SCRIPT" stop
}

status_cyrus() {
    [[ $WITH_CYRUS != yes ]] || log "$(run_server_script "$CYRUS_SCRIPT" status)"
}

# --- several nodes: ZooKeeper and PostgreSQL come from a companion script, in a directory of their own under
# $DIR (or CATALYST_CLUSTER_DIR), on their own ports (CATALYST_ZK_PORT, CATALYST_PG_PORT) ---
cluster_services() {
    CATALYST_CLUSTER_DIR=${CATALYST_CLUSTER_DIR:-$DIR/cluster} bash "$(dirname "${BASH_SOURCE[0]}")/cluster-services.sh" "$@"
}

case ${1:-} in
    start) start_servers; cluster_services start ;;
    stop) require_root; stop_servers; cluster_services stop ;;
    status) rc=0; status_servers || rc=1; cluster_services status || rc=1; exit "$rc" ;;
    env) print_env; cluster_services env ;;
    env-james) run_server_script "$JAMES_SCRIPT" env; cluster_services env ;;
    # this Postfix's variables, then Cyrus's over them (IMAP, POP3 and the domain Postfix hands to Cyrus)
    env-cyrus) print_env; run_server_script "$CYRUS_SCRIPT" env; cluster_services env ;;
    clear-mailboxes) clear_mailboxes ;;
    *) echo "usage: $0 start|stop|status|env|env-james|env-cyrus|clear-mailboxes" >&2; exit 2 ;;
esac
