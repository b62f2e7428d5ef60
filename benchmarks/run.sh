#!/usr/bin/env bash
# The full benchmark: builds the benchmarks module, then runs every workload for catalystmail and camel-mail
# against one server, interleaved over several rounds, prints the table and writes benchmarks/RESULTS.md.
#   benchmarks/run.sh                                   # embedded GreenMail, 1000 messages, 3 rounds
#   eval "$(scripts/mail-servers.sh start)" && benchmarks/run.sh --server real
#                                                       # the workloads with a wire, 3 rounds, camel-mail in the
#                                                       # first; then once more in cold JVMs (22 min quiet, 40 at load
#                                                       # 5-30; benchmarks/README.md says where the time goes)
#   benchmarks/run.sh --server real --rounds 3 --camel-mail-rounds 1 --settle false
#                                                       # quick: catalystmail and the wire alternate 3 times,
#                                                       # camel-mail once, measured right after the counted warm-up
#                                                       # (no cold pass); "Round by round" gives medians and spread
#   benchmarks/run.sh --help                            # every option
#   benchmarks/run.sh --jmh [JMH options]               # the MIME microbenchmarks instead
#   benchmarks/run.sh --latency [--server dovecot|james|greenmail] [--spaced N --burst N --warmup N]
#                                                       # delivery latency, SMTP 250 to the route (IDLE vs polling)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./build-support/mvnw.sh -B -q -pl benchmarks -am -DskipTests package >&2
CP="benchmarks/target/classes:$(cat benchmarks/target/workload.classpath)"
if [ "${1:-}" = "--jmh" ]; then
  shift
  REPORT=benchmarks/target/jmh-results.txt
  java -cp "$CP" org.openjdk.jmh.Main -rf text -rff "$REPORT" "$@" 'io\.catalystmail\.benchmarks\..*'
  exec java -cp "$CP" io.catalystmail.benchmarks.JmhResults "$REPORT" benchmarks/RESULTS.md
fi
if [ "${1:-}" = "--latency" ]; then
  # --server dovecot (default) or james needs the real servers exported (scripts/mail-servers.sh env or env-james)
  # and the lock: flock /tmp/catalyst-interop.lock; --server greenmail embeds GreenMail. See LatencyBenchmark.
  shift
  exec java -Xmx512m -cp "$CP" io.catalystmail.benchmarks.LatencyBenchmark "$@"
fi
# the driver holds the embedded GreenMail and its mailboxes (up to 10,000 messages and one of 100 MB)
DRIVER=(java -Xmx4g -cp "$CP" io.catalystmail.benchmarks.BenchmarkDriver)
# Against real servers a full run (no --warmup, --send-warmup or --settle false of its own) is what issue 19 asks
# for: the workloads with a wire (IMAP and POP3 consume, SMTP from one
# thread and from 8), three rounds of catalystmail and the wire next to each other, camel-mail in the first round
# only (it runs at a tenth of the wire: one round places it well enough, and its one-thread sends at ~20/s take
# 5 minutes a round), then the same workloads once more in cold JVMs, one round, with the large-attachment ones
# (measured cold anyway; they are about memory): the section "Real servers, cold JVMs". Options given on the command
# line win over these. The raw workloads (parsing left out) and the large mailboxes (10,000 messages to fill per
# run) take long and say nothing about the wire: run them by name (see benchmarks/README.md).
case " $* " in
  *" --server real "*)
    case " $* " in
      *" --warmup "*|*" --send-warmup "*|*" --help "*|*" -h "*|*" --settle false "*) ;;
      *)
        warm=()
        cold=()
        case " $* " in
          *" --workloads "*) ;;
          *)
            warm=(--workloads IMAP_CONSUME,POP3_CONSUME,SMTP_SEND,SMTP_SEND_CONCURRENT)
            cold=(--workloads IMAP_CONSUME,POP3_CONSUME,SMTP_SEND,SMTP_SEND_CONCURRENT,IMAP_LARGE_ATTACHMENT,POP3_LARGE_ATTACHMENT,SMTP_LARGE_ATTACHMENT) ;;
        esac
        status=0
        "${DRIVER[@]}" --camel-mail-rounds 1 "${warm[@]}" "$@" || status=$?
        "${DRIVER[@]}" --camel-mail-rounds 1 "${cold[@]}" "$@" --rounds 1 --warmup 0 --send-warmup 0 || status=$?
        exit $status ;;
    esac ;;
esac
exec "${DRIVER[@]}" "$@"
