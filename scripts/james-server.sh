#!/usr/bin/env bash
# Apache James (the in-memory Guice server, a JVM) on loopback: the second real IMAP/POP3/SMTP server of the
# interop suite, beside Dovecot and Postfix. Called by scripts/mail-servers.sh (start/stop/status/env), which
# has made the certificate in $CATALYST_SERVERS_DIR/tls; runnable alone with the same variables.
# James comes from Maven Central as an ordinary dependency (scripts/james/pom.xml) through the project's Maven.
# Its mailboxes live in memory: a restart empties them. See src-docs/modules/ROOT/pages/real-servers.adoc.
#
# Usage: scripts/james-server.sh start|stop|status|env
set -euo pipefail
# shellcheck source=server-process.sh
source "$(dirname "${BASH_SOURCE[0]}")/server-process.sh"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR=${CATALYST_SERVERS_DIR:-/tmp/catalyst-mail-servers}
JAMES_DIR=$DIR/james
USERS=${CATALYST_MAIL_USERS:-alice bob carol}
DOMAIN=example.test
PASSWORD=secret
TRUSTSTORE_PASSWORD=changeit
KEYSTORE_PASSWORD=changeit
START_DEADLINE_SECONDS=${CATALYST_JAMES_START_TIMEOUT:-180}

JAMES_IMAP_PORT=${CATALYST_JAMES_IMAP_PORT:-11143}
JAMES_IMAPS_PORT=${CATALYST_JAMES_IMAPS_PORT:-11993}
JAMES_POP3_PORT=${CATALYST_JAMES_POP3_PORT:-11110}
JAMES_POP3S_PORT=${CATALYST_JAMES_POP3S_PORT:-11995}
JAMES_SMTP_PORT=${CATALYST_JAMES_SMTP_PORT:-11025}
JAMES_SMTPS_PORT=${CATALYST_JAMES_SMTPS_PORT:-11465}
JAMES_SUBMISSION_PORT=${CATALYST_JAMES_SUBMISSION_PORT:-11587}
# James's own configuration for 25/465/587: AUTH announced only to addresses outside 127.0.0.0/8
JAMES_TRUSTED_SMTP_PORT=${CATALYST_JAMES_TRUSTED_SMTP_PORT:-11588}
JAMES_WEBADMIN_PORT=${CATALYST_JAMES_WEBADMIN_PORT:-11800}

CERT=$DIR/tls/localhost.crt
KEY=$DIR/tls/localhost.key
LIB=$JAMES_DIR/lib
CONF=$JAMES_DIR/conf
PIDFILE=$JAMES_DIR/james.pid
LOG=$JAMES_DIR/james.log

log() { printf 'james-server: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The runtime class path: james-server-memory-app and its dependencies, copied once into $LIB.
fetch_james() {
    [[ -f $LIB/.complete ]] && return 0
    log "resolving Apache James (scripts/james/pom.xml) into $LIB"
    rm -rf "$LIB"
    mkdir -p "$LIB"
    "$HERE/../build-support/mvnw.sh" -B -q -f "$HERE/james/pom.xml" \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$LIB" >&2 </dev/null \
        || die "could not resolve Apache James with Maven"
    touch "$LIB/.complete"
}

# One IMAP server block: name, port, implicit TLS, STARTTLS.
imap_server() {
    cat <<EOF
  <imapserver enabled="true">
    <jmxName>$1</jmxName>
    <bind>127.0.0.1:$2</bind>
    <tls socketTLS="$3" startTLS="$4">
      <keystore>file://conf/keystore.p12</keystore>
      <keystoreType>PKCS12</keystoreType>
      <secret>$KEYSTORE_PASSWORD</secret>
    </tls>
    <idleTimeInterval>120</idleTimeInterval>
    <idleTimeIntervalUnit>SECONDS</idleTimeIntervalUnit>
    <enableIdle>true</enableIdle>
    <plainAuthDisallowed>false</plainAuthDisallowed>
    <auth>
      <plainAuthEnabled>true</plainAuthEnabled>
    </auth>
  </imapserver>
EOF
}

pop3_server() {
    cat <<EOF
  <pop3server enabled="true">
    <jmxName>$1</jmxName>
    <bind>127.0.0.1:$2</bind>
    <tls socketTLS="$3" startTLS="$4">
      <keystore>file://conf/keystore.p12</keystore>
      <keystoreType>PKCS12</keystoreType>
      <secret>$KEYSTORE_PASSWORD</secret>
    </tls>
    <connectiontimeout>1200</connectiontimeout>
    <handlerchain>
      <handler class="org.apache.james.pop3server.core.CoreCmdHandlerLoader"/>
    </handlerchain>
  </pop3server>
EOF
}

# name, port, implicit TLS, STARTTLS, when AUTH is announced, the addresses allowed to relay without AUTH
smtp_server() {
    cat <<EOF
  <smtpserver enabled="true">
    <jmxName>$1</jmxName>
    <bind>127.0.0.1:$2</bind>
    <tls socketTLS="$3" startTLS="$4">
      <keystore>file://conf/keystore.p12</keystore>
      <keystoreType>PKCS12</keystoreType>
      <secret>$KEYSTORE_PASSWORD</secret>
      <algorithm>SunX509</algorithm>
    </tls>
    <connectiontimeout>360</connectiontimeout>
    <auth>
      <announce>$5</announce>
      <requireSSL>true</requireSSL>
      <plainAuthEnabled>true</plainAuthEnabled>
    </auth>
    <authorizedAddresses>$6</authorizedAddresses>
    <verifyIdentity>false</verifyIdentity>
    <maxmessagesize>102400</maxmessagesize>
    <addressBracketsEnforcement>true</addressBracketsEnforcement>
    <handlerchain>
      <handler class="org.apache.james.smtpserver.fastfail.ValidRcptHandler"/>
      <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
    </handlerchain>
  </smtpserver>
EOF
}

write_configuration() {
    mkdir -p "$CONF" "$JAMES_DIR/var"
    rm -f "$CONF/keystore.p12"
    openssl pkcs12 -export -in "$CERT" -inkey "$KEY" -name james -out "$CONF/keystore.p12" \
        -passout "pass:$KEYSTORE_PASSWORD" 2>/dev/null || die "cannot write James's keystore from $CERT"
    {
        echo '<imapservers>'
        imap_server imapserver "$JAMES_IMAP_PORT" false true
        imap_server imapserver-ssl "$JAMES_IMAPS_PORT" true false
        echo '</imapservers>'
    } > "$CONF/imapserver.xml"
    {
        echo '<pop3servers>'
        pop3_server pop3server "$JAMES_POP3_PORT" false true
        pop3_server pop3server-ssl "$JAMES_POP3S_PORT" true false
        echo '</pop3servers>'
    } > "$CONF/pop3server.xml"
    # 127.0.0.2 stands for "nobody": AUTH is announced to loopback too (after STARTTLS, like Postfix on submission).
    # The last
    # server keeps James's shipped policy: loopback may relay unauthenticated and is not offered AUTH.
    {
        echo '<smtpservers>'
        smtp_server smtpserver "$JAMES_SMTP_PORT" false true forUnauthorizedAddresses 127.0.0.2/32
        smtp_server smtpserver-tls "$JAMES_SMTPS_PORT" true false forUnauthorizedAddresses 127.0.0.2/32
        smtp_server smtpserver-submission "$JAMES_SUBMISSION_PORT" false true forUnauthorizedAddresses 127.0.0.2/32
        smtp_server smtpserver-trusting "$JAMES_TRUSTED_SMTP_PORT" false true forUnauthorizedAddresses 127.0.0.0/8
        echo '</smtpservers>'
    } > "$CONF/smtpserver.xml"
    cat > "$CONF/lmtpserver.xml" <<'EOF'
<lmtpservers>
  <lmtpserver enabled="false"/>
</lmtpservers>
EOF
    cat > "$CONF/managesieveserver.xml" <<'EOF'
<managesieveservers>
  <managesieveserver enabled="false"/>
</managesieveservers>
EOF
    cat > "$CONF/domainlist.xml" <<EOF
<domainlist>
  <autodetect>false</autodetect>
  <autodetectIP>false</autodetectIP>
  <defaultDomain>$DOMAIN</defaultDomain>
  <domainnames>
    <domainname>$DOMAIN</domainname>
  </domainnames>
</domainlist>
EOF
    # Logins are the bare user names, as with Dovecot; mail to user@example.test reaches them.
    cat > "$CONF/usersrepository.xml" <<'EOF'
<usersrepository name="LocalUsers">
  <algorithm>PBKDF2-SHA512</algorithm>
  <enableVirtualHosting>false</enableVirtualHosting>
  <enableForwarding>false</enableForwarding>
</usersrepository>
EOF
    cat > "$CONF/webadmin.properties" <<EOF
enabled=true
host=127.0.0.1
port=$JAMES_WEBADMIN_PORT
https.enabled=false
EOF
    printf 'enabled=false\n' > "$CONF/jmap.properties"
    printf 'jmx.enabled=false\n' > "$CONF/jmx.properties"
    cat > "$CONF/dnsservice.xml" <<'EOF'
<dnsservice>
  <autodiscover>false</autodiscover>
  <servers>
    <server>127.0.0.1</server>
  </servers>
  <authoritative>false</authoritative>
  <maxcachesize>50000</maxcachesize>
</dnsservice>
EOF
    cat > "$CONF/mailrepositorystore.xml" <<'EOF'
<mailrepositorystore>
  <defaultProtocol>memory</defaultProtocol>
  <mailrepositories>
    <mailrepository class="org.apache.james.mailrepository.memory.MemoryMailRepository">
      <protocols>
        <protocol>memory</protocol>
      </protocols>
    </mailrepository>
  </mailrepositories>
</mailrepositorystore>
EOF
    # Local delivery only: everything else goes to an error repository (there is no network to relay to).
    cat > "$CONF/mailetcontainer.xml" <<'EOF'
<mailetcontainer enableJmx="false">
  <context>
    <postmaster>postmaster</postmaster>
  </context>
  <spooler>
    <threads>2</threads>
    <errorRepository>memory://var/mail/error/</errorRepository>
  </spooler>
  <processors>
    <processor state="root" enableJmx="false">
      <mailet match="All" class="ToProcessor">
        <processor>transport</processor>
      </mailet>
    </processor>
    <processor state="error" enableJmx="false">
      <mailet match="All" class="ToRepository">
        <repositoryPath>memory://var/mail/error/</repositoryPath>
      </mailet>
    </processor>
    <processor state="transport" enableJmx="false">
      <mailet match="All" class="RemoveMimeHeader">
        <name>bcc</name>
        <onMailetException>ignore</onMailetException>
      </mailet>
      <mailet match="RecipientIsLocal" class="LocalDelivery"/>
      <mailet match="All" class="ToRepository">
        <repositoryPath>memory://var/mail/not-local/</repositoryPath>
      </mailet>
    </processor>
  </processors>
</mailetcontainer>
EOF
    cat > "$CONF/logback.xml" <<EOF
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$LOG</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} [%-5level] %logger{20} - %msg%n%rEx</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="FILE"/></root>
  <logger name="org.apache.james" level="INFO"/>
</configuration>
EOF
}

running() {
    pidfile_running "$PIDFILE"
}

# James's webadmin REST API: PUT /domains/{domain}, PUT /users/{user} with the password. Plain HTTP/1.0 over
# bash's /dev/tcp, so a fresh machine needs no HTTP client; a subshell keeps the socket off our descriptors.
webadmin_put() (
    local path=$1 body=${2:-} status
    exec 3<>"/dev/tcp/127.0.0.1/$JAMES_WEBADMIN_PORT" || die "cannot reach James webadmin"
    printf 'PUT %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
        "$path" "${#body}" "$body" >&3
    read -r -t 30 _ status _ <&3 || status=000
    exec 3<&-
    [[ $status == 2* || $status == 409 ]] || die "James webadmin PUT $path answered $status (log: $LOG)"
)

start() {
    [[ -s $CERT && -s $KEY ]] || die "no certificate in $DIR/tls: start through scripts/mail-servers.sh"
    command -v java >/dev/null || die "java is needed to run James"
    if running; then
        log "already running (pid $(cat "$PIDFILE"))"
        return 0
    fi
    fetch_james
    write_configuration
    : > "$LOG"
    log "starting Apache James on 127.0.0.1 (IMAP $JAMES_IMAP_PORT, POP3 $JAMES_POP3_PORT, SMTP $JAMES_SMTP_PORT)"
    (
        cd "$JAMES_DIR"
        exec setsid java -Xms64m -Xmx512m -XX:+UseSerialGC \
            -Dworking.directory="$JAMES_DIR" -Dlogback.configurationFile="$CONF/logback.xml" \
            -cp "$LIB/*" org.apache.james.MemoryJamesServerMain >>"$LOG" 2>&1 </dev/null
    ) &
    echo $! > "$PIDFILE"
    local deadline=$((SECONDS + START_DEADLINE_SECONDS)) port
    for port in "$JAMES_WEBADMIN_PORT" "$JAMES_IMAP_PORT" "$JAMES_POP3_PORT" "$JAMES_SMTP_PORT" \
            "$JAMES_SUBMISSION_PORT" "$JAMES_TRUSTED_SMTP_PORT"; do
        until port_open "$port"; do
            running || die "James exited during start-up; see $LOG"
            ((SECONDS < deadline)) || die "James did not open port $port within ${START_DEADLINE_SECONDS}s; see $LOG"
            sleep 1
        done
    done
    webadmin_put "/domains/$DOMAIN"
    local user
    for user in $USERS; do
        webadmin_put "/users/$user" "{\"password\":\"$PASSWORD\"}"
    done
    log "James is up (users: $USERS, password $PASSWORD)"
}

stop() {
    stop_pidfile_process "$PIDFILE"
}

# The same variable names as mail-servers.sh env, pointing at James, so the same interop suite runs against it.
env_exports() {
    print_mail_env james "$DOMAIN" "$PASSWORD" "$JAMES_IMAP_PORT" "$JAMES_IMAPS_PORT" "$JAMES_POP3_PORT" \
        "$JAMES_POP3S_PORT" "$DIR" "$TRUSTSTORE_PASSWORD"
    cat <<EOF
export CATALYST_SMTP_PORT=$JAMES_SMTP_PORT
export CATALYST_SMTPS_PORT=$JAMES_SMTPS_PORT
export CATALYST_SUBMISSION_PORT=$JAMES_SUBMISSION_PORT
export CATALYST_TRUSTED_SMTP_PORT=$JAMES_TRUSTED_SMTP_PORT
EOF
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) if running; then echo "james: running (pid $(cat "$PIDFILE"))"; else echo "james: stopped"; fi ;;
    env) env_exports ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
