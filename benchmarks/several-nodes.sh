#!/usr/bin/env bash
# Several nodes against the real servers (Dovecot, PostgreSQL, ZooKeeper from scripts/mail-servers.sh): each run
# starts JVMs of io.catalystmail.camel.interop.MailNode with delete=true, kills nodes with SIGKILL at random moments
# (each replaced by a new one) and counts per message how often a route began it (attempts) and how often its
# transaction committed (effects; see src-docs several-nodes.adoc, "the set-up without any" duplicates). Prints one
# line per run with the load average; exits non-zero if a run lost a message, committed one twice or left one on
# the server.
#   eval "$(bash scripts/mail-servers.sh env)"
#   flock /tmp/catalyst-interop.lock benchmarks/several-nodes.sh            # everything below
#   benchmarks/several-nodes.sh throughput   # no kill, nodes logging at INFO: 1, 2, 3 active-active nodes on one
#                                            # mailbox, then 1, 2, 3 nodes each alone on its own mailbox (alice,
#                                            # bob, carol; "spread"); TP_RUNS (2) runs each: 12 runs, about 10 min
#                                            # on a quiet 2-core machine
#   benchmarks/several-nodes.sh kills        # 3 JVMs x 3,000 messages x 2 kills x 5 runs, active-active on bob's INBOX
#                                            # (orphan-lock JDBC) and active-passive (ZooKeeper master:); one of
#                                            # them: kills-active-active, kills-active-passive; and
#                                            # kills-active-passive-file (camel-file's file-lock cluster service,
#                                            # not part of "kills")
#   benchmarks/several-nodes.sh latency      # throughput as above with the nodes' IMAP a network away: every node
#                                            # connects through LatencyRelay (a userspace relay, RTT_MS round trip,
#                                            # default 10; the kernel here has no netem) on RELAY_PORT (15143); the
#                                            # harness and PostgreSQL stay on loopback. The relay is stopped at the end
# Active-passive runs print each takeover (kill -9 of the leader to the next message another node routed); each
# node's log, with every IMAP command and the leadership events, is WORK/<mode>-<nodes>nodes-run<n>/node<k>.camel.log.
# Variables: MESSAGES (3000), RUNS (5), TP_RUNS (2), FETCH_SIZE (50), MAX_PER_POLL (200), WORK (a temporary
# directory).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
: "${CATALYST_PG_URL:?run eval \"\$(bash scripts/mail-servers.sh env)\" first}"
MESSAGES=${MESSAGES:-3000}
RUNS=${RUNS:-5}
TP_RUNS=${TP_RUNS:-2}
FETCH_SIZE=${FETCH_SIZE:-50}
MAX_PER_POLL=${MAX_PER_POLL:-200}
WORK=${WORK:-$(mktemp -d /tmp/several-nodes.XXXXXX)}
CP_FILE=camel-catalyst-mail/target/several-nodes.classpath
./build-support/mvnw.sh -B -q -pl camel-catalyst-mail test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=test >&2
# the nodes run from a copy, so a build in the work tree during a run cannot pull classes from under them
mkdir -p "$WORK/classes"
cp -r camel-catalyst-mail/target/classes "$WORK/classes/main"
cp -r camel-catalyst-mail/target/test-classes "$WORK/classes/test"
CP="$WORK/classes/test:$WORK/classes/main:$(cat "$CP_FILE")"
NODE_IMAP_PORT=""
run() { # mode nodes kills runs [node log level]
    java -Dcatalystmail.nodeLogLevel="${5:-DEBUG}" -Dcatalystmail.nodeImapPort="$NODE_IMAP_PORT" -cp "$CP" \
        io.catalystmail.camel.interop.SeveralNodesRun "$1" "$2" "$MESSAGES" "$3" "$4" "$FETCH_SIZE" "$MAX_PER_POLL" "$WORK"
}
what=${1:-all}
echo "several nodes: $MESSAGES messages, fetchRoundSize=$FETCH_SIZE, maxMessagesPerPoll=$MAX_PER_POLL, work in $WORK"
if [[ $what == latency ]]; then
    RTT_MS=${RTT_MS:-10}
    RELAY_PORT=${RELAY_PORT:-15143}
    java -cp "$CP" io.catalystmail.camel.interop.LatencyRelay "$RELAY_PORT" "$CATALYST_MAIL_HOST" "$CATALYST_IMAP_PORT" \
        $((RTT_MS / 2)) &
    relay=$!
    trap 'kill "$relay" 2>/dev/null || true' EXIT
    NODE_IMAP_PORT=$RELAY_PORT
    echo "nodes reach IMAP through a relay with a round trip of $RTT_MS ms (port $RELAY_PORT, pid $relay)"
    for nodes in 1 2 3; do run active-active "$nodes" 0 "$TP_RUNS" INFO; done
    for nodes in 1 2 3; do run spread "$nodes" 0 "$TP_RUNS" INFO; done
fi
if [[ $what == all || $what == throughput ]]; then
    # INFO: at DEBUG every node logs each IMAP command, which costs the throughput being measured
    for nodes in 1 2 3; do run active-active "$nodes" 0 "$TP_RUNS" INFO; done
    for nodes in 1 2 3; do run spread "$nodes" 0 "$TP_RUNS" INFO; done
fi
if [[ $what == all || $what == kills || $what == kills-active-active ]]; then
    run active-active 3 2 "$RUNS"
fi
if [[ $what == all || $what == kills || $what == kills-active-passive ]]; then
    run active-passive 3 2 "$RUNS"
fi
if [[ $what == kills-active-passive-file ]]; then
    run active-passive-file 3 2 "$RUNS"
fi
