#!/usr/bin/env bash
# The full benchmark: builds the benchmarks module, then runs every workload for catalystmail and camel-mail
# against one server, interleaved over several rounds, prints the table and writes benchmarks/RESULTS.md.
#   benchmarks/run.sh                                   # embedded GreenMail, 1000 messages, 3 rounds
#   eval "$(scripts/mail-servers.sh start)" && benchmarks/run.sh --server real
#   benchmarks/run.sh --help                            # every option
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./build-support/mvnw.sh -B -q -pl benchmarks -am -DskipTests package >&2
CLASSPATH_FILE=benchmarks/target/workload.classpath
# the driver holds the embedded GreenMail and its mailboxes (up to 10,000 messages and one of 100 MB)
exec java -Xmx4g -cp "benchmarks/target/classes:$(cat "$CLASSPATH_FILE")" io.catalystmail.benchmarks.BenchmarkDriver "$@"
