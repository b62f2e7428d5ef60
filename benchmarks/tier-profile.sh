#!/usr/bin/env bash
# In which kind of code the measured JVMs spend their CPU while the clock runs: the interpreter, C1's profiled
# code (tiers 2 and 3), C2's (or C1's trivial tier 1) code, the JVM's runtime, the kernel, and how much their JIT
# compiler threads use beside them. Runs the benchmark driver under `perf record` (every CPU, CLOCK_MONOTONIC, which
# is what the JVM's -Xlog "timenanos" decoration prints) and then benchmarks/tier-profile.py on what it recorded.
#
# Why perf and not JFR: JFR on JDK 17 samples a thread at most every 10 ms (a measured poll of 0.3 s gets about
# 25 samples), does not sample the compiler threads, and cannot walk every compiled frame, so its samples lean
# towards interpreted ones. perf samples every thread at the rate asked for; the tier of the code a sample ran in
# follows from its address: HotSpot's segmented code cache keeps profiled code (tiers 2 and 3), the other compiled
# code (tiers 1 and 4) and the interpreter with its stubs in three separate ranges, which -XX:+PrintCodeCache prints
# at exit. -XX:+DumpPerfMapAtExit names the compiled methods for perf.
#
# usage: benchmarks/tier-profile.sh OUT_DIR [driver options, e.g. --workloads IMAP_CONSUME --settle false]
#   needs root (perf -a) and perf; the driver options must not include --jvm-options (this script sets them) nor
#   --work-dir or --output (they go to OUT_DIR). Run it under flock /tmp/catalyst-heavy.lock on a shared machine.
#   The window of a measurement is found from its result line, so it may be a few ms off at either end (see
#   tier-profile.py).
set -euo pipefail
out=${1:?usage: benchmarks/tier-profile.sh OUT_DIR [driver options]}
shift
here=$(cd "$(dirname "$0")" && pwd)
classes=$here/target/classes
[ -f "$here/target/workload.classpath" ] || { echo "build the benchmarks first (see benchmarks/README.md)" >&2; exit 2; }
command -v perf > /dev/null || { echo "perf is not installed (Debian: linux-perf)" >&2; exit 2; }
mkdir -p "$out"
uptime > "$out/load.txt"
perf record -a -k CLOCK_MONOTONIC -e cpu-clock -F 1999 -o "$out/perf.data" -- \
    java -Xmx4g -cp "$classes:$(cat "$here/target/workload.classpath")" io.catalystmail.benchmarks.BenchmarkDriver \
    --work-dir "$out/work" --output "$out/results.md" \
    --jvm-options "-XX:+PrintCodeCache -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -Xlog:jit+compilation=debug:stdout:uptime,timenanos" \
    "$@" > "$out/driver.txt" 2>&1
uptime >> "$out/load.txt"
python3 "$here/tier-profile.py" "$out" | tee "$out/tier-profile.txt"
