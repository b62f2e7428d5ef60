# Sourced by scripts/james-server.sh and scripts/cyrus-server.sh (not run on its own): what both do alike with the
# server process they start and the env block they print.

# pidfile_running PIDFILE: the process the file names is alive.
pidfile_running() {
    [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# port_open PORT: something accepts connections on 127.0.0.1:PORT (a subshell keeps the socket off our descriptors).
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# stop_pidfile_process PIDFILE: TERM, up to 30 s to exit, then KILL; the file goes either way.
stop_pidfile_process() {
    if pidfile_running "$1"; then
        local pid deadline=$((SECONDS + 30))
        pid=$(cat "$1")
        kill "$pid"
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$1"
}

# print_mail_env KIND DOMAIN PASSWORD IMAP IMAPS POP3 POP3S DIR TRUSTSTORE_PASSWORD: the variables of
# `mail-servers.sh env` the interop suite reads for IMAP and POP3, pointing at this server.
print_mail_env() {
    cat <<END
export CATALYST_SERVER_KIND=$1
export CATALYST_MAIL_HOST=localhost
export CATALYST_MAIL_DOMAIN=$2
export CATALYST_MAIL_PASSWORD=$3
export CATALYST_IMAP_PORT=$4
export CATALYST_IMAPS_PORT=$5
export CATALYST_POP3_PORT=$6
export CATALYST_POP3S_PORT=$7
export CATALYST_TRUSTSTORE=$8/truststore.p12
export CATALYST_TRUSTSTORE_PASSWORD=$9
export CATALYST_SERVERS_DIR=$8
END
}
