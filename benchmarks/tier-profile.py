#!/usr/bin/env python3
"""What benchmarks/tier-profile.sh recorded, measurement by measurement: the CPU samples of the measured JVM while
its clock ran, by thread (the JIT compiler threads, the route's threads, the rest) and by the kind of code each
sample was in (interpreter and stubs, C1's profiled code of tiers 2-3, compiled code of tiers 1 and 4, the JVM's
runtime in libjvm, the kernel); then the route's threads' samples by method for each kind, over all measurements.

A measurement's window ends at the last -Xlog line (timenanos, the clock of perf's CLOCK_MONOTONIC) printed before
its result line and starts its measured seconds earlier; a run that compiles nothing in its last milliseconds gets a
window that ends a little early, and the harness's own work after the clock stopped can fall in. The JVM of a run
is the one whose perf map (/tmp/perf-PID.map, written at exit) was written when the run's log was last written.

usage: benchmarks/tier-profile.py OUT_DIR
"""
import collections
import glob
import os
import re
import subprocess
import sys

KINDS = {'non-profiled nmethods': 'compiled, tier 1/4',
         'profiled nmethods': 'C1 profiled, tier 2/3',
         'non-nmethods': 'interpreter and stubs'}
RESULT = re.compile(r'seconds=(\S+)')
NANOS = re.compile(r'\[[\d.]+s\]\[(\d+)ns\]')
HEAP = re.compile(r"CodeHeap '([^']+)'")
BOUNDS = re.compile(r'bounds \[(0x\w+), (0x\w+), (0x\w+)\]')
SAMPLE = re.compile(r'\s*(.+?)\s+(\d+)/(\d+)\s+([\d.]+):\s+(\w+)\s*(.*)')


def windows(log):
    """(start, end) in seconds of CLOCK_MONOTONIC for each measurement of the run, and its code heaps' ranges."""
    lines = open(log, encoding='utf-8', errors='replace').read().split('\n')
    found, heaps, last = [], {}, None
    for i, line in enumerate(lines):
        nanos = NANOS.match(line)
        if nanos:
            last = int(nanos.group(1)) / 1e9
        elif line.startswith('BENCH-RESULT') and last is not None:
            found.append((last - float(RESULT.search(line).group(1)), last))
        heap = HEAP.match(line)
        if heap and i + 1 < len(lines):
            bounds = BOUNDS.search(lines[i + 1])
            heaps[heap.group(1)] = (int(bounds.group(1), 16), int(bounds.group(3), 16))
    return found, heaps


def pid_of(log, maps):
    written = os.path.getmtime(log)
    return min(maps, key=lambda m: abs(m[0] - written))[1]


def kind(ip, dso, heaps):
    for heap, (low, high) in heaps.items():
        if low <= ip < high:
            return KINDS.get(heap, heap)
    if 'kernel' in dso:
        return 'kernel'
    if 'libjvm' in dso:
        return 'JVM runtime (libjvm)'
    return 'other native'


def thread(comm):
    if 'CompilerThre' in comm:
        return comm.split()[0] + ' compiler'
    if comm.startswith('Camel') or comm.startswith('catalyst'):
        return 'route and consumer'
    if comm.startswith('GC') or comm.startswith('G1'):
        return 'GC'
    return 'other: ' + comm


def main(out):
    maps = [(os.path.getmtime(f), int(re.search(r'perf-(\d+)', f).group(1))) for f in glob.glob('/tmp/perf-*.map')]
    script = subprocess.run(['perf', 'script', '-i', os.path.join(out, 'perf.data'), '-F',
                             'comm,pid,tid,time,ip,sym,dso'], capture_output=True, text=True).stdout
    samples = []
    for line in script.split('\n'):
        m = SAMPLE.match(line)
        if m:
            samples.append((m.group(1), int(m.group(2)), float(m.group(4)), int(m.group(5), 16), m.group(6)))
    by_method = collections.Counter()
    for log in sorted(glob.glob(os.path.join(out, 'work', 'r*.log'))):
        found, heaps = windows(log)
        if not found or not heaps or not maps:
            print(os.path.basename(log), ': no window (no result line, -Xlog or PrintCodeCache output, or perf map)')
            continue
        pid = pid_of(log, maps)
        for number, (start, end) in enumerate(found, 1):
            mine = [s for s in samples if s[1] == pid and start <= s[2] <= end]
            print('%s measurement %d: %.3f s, pid %d, %d samples (%.0f ms of CPU)' % (
                os.path.basename(log), number, end - start, pid, len(mine), len(mine) / 1.999))
            tally = collections.Counter((thread(s[0]), kind(s[3], s[4], heaps)) for s in mine)
            for (who, what), n in sorted(tally.items(), key=lambda kv: -kv[1]):
                print('  %5d  %-22s %s' % (n, who, what))
            for s in mine:
                if thread(s[0]) == 'route and consumer':
                    by_method[(kind(s[3], s[4], heaps), re.sub(r'\s*\(/tmp/perf-\d+\.map\)', '', s[4])[:140])] += 1
    print('\nRoute and consumer threads, all measurements: samples by kind of code and method')
    for what in sorted({k for k, _ in by_method}):
        print('--', what)
        for (k, method), n in by_method.most_common():
            if k == what and n >= 2:
                print('  %5d  %s' % (n, method))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
