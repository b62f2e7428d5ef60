# Splits the measured IMAP poll of a run log written with --protocol-log true (benchmarks/run.sh) into where the
# wall time went: the server's own time in UID EXPUNGE (Dovecot's imap process is single-threaded, so nothing else
# on the connection moves meanwhile), the wait from a round's last FETCH answer to the answer of the routed round's
# UID STORE, and the gap from that answer to the next round's FETCH (client and server taking turns). The rest is
# the fetch thread reading and mapping bodies while the server streams them.
#   python3 benchmarks/poll-timeline.py benchmarks/target/benchmark-work/r1-imap_consume-catalystmail.log
# (or the wire's log, r1-imap_consume-wire.log: one FETCH, STORE and EXPUNGE).
# The last line gives the medians per round of the three steps the fetch pipeline repeats.
import re, sys
from datetime import datetime

def stamp(text):
    return datetime.strptime(text, "%H:%M:%S.%f").timestamp()

sent, events = {}, []
for line in open(sys.argv[1], errors="replace"):
    # catalystmail's lines (ImapConnection) and the wire client's (timeline), tags A1, A2, ... or a, b, ...
    m = re.match(r"(\d\d:\d\d:\d\d\.\d+) .*(?:ImapConnection|timeline) - ([CS]): ([A-Za-z]\d*) (.*)", line)
    if m:
        events.append((stamp(m.group(1)), m.group(2), m.group(3), m.group(4)))
if not events:
    sys.exit("no protocol log lines (run with --protocol-log true)")
def covered(intervals):
    """The time the intervals cover, overlaps counted once."""
    total, end = 0.0, None
    for a, b in sorted(intervals):
        if end is None or a > end:
            total += b - a
            end = b
        elif b > end:
            total += b - end
            end = b
    return total

expunges, store_waits, turns = [], [], []
rounds = 0
fetch_ok = store_ok = None
for t, side, tag, text in events:
    if side == "C":
        sent[tag] = (t, text)
        if "FETCH" in text and store_ok is not None:
            turns.append((store_ok, t))
            store_ok = None
        continue
    start, command = sent.get(tag, (t, ""))
    if "EXPUNGE" in command:
        expunges.append((start, t))
    elif "FETCH" in command and "BODY.PEEK[]" in command:
        fetch_ok = t
        rounds += 1
    elif "STORE" in command and fetch_ok is not None:
        store_waits.append((fetch_ok, t))
        store_ok = t
        fetch_ok = None
wall = events[-1][0] - events[0][0]
# each kind counts only the time not covered by the kinds before it: a STORE answered behind an expunge waited for it
expunge = covered(expunges)
store_wait = covered(expunges + store_waits) - expunge
turn = covered(expunges + store_waits + turns) - expunge - store_wait
rest = wall - expunge - store_wait - turn
print("poll %.3f s (first to last command), %d rounds" % (wall, rounds))
print("  %d expunge(s), server time %.3f s (%.0f %%)" % (len(expunges), expunge, 100 * expunge / wall))
print("  last FETCH answer -> routed round's STORE answer (not behind an expunge) %.3f s (%.0f %%)" % (store_wait, 100 * store_wait / wall))
print("  STORE answer -> next FETCH sent %.3f s (%.0f %%)" % (turn, 100 * turn / wall))
print("  the rest (login, listing, bodies streamed and mapped) %.3f s (%.0f %%)" % (rest, 100 * rest / wall))
# Per round, the three steps the pipeline repeats (medians, ms): the FETCH of bodies from sent to its tagged answer
# (the server streams at the pace the client reads and maps), the routed round's STORE answered after it (Dovecot
# answers a STORE only once the FETCH beside it is done), and the client's turn from that answer to the next FETCH.
def median(values):
    values = sorted(values)
    return values[len(values) // 2] * 1000 if values else float("nan")
fetch_spans = []
pending = {}
for t, side, tag, text in events:
    if side == "C" and "FETCH" in text and "BODY.PEEK[]" in text:
        pending[tag] = t
    elif side == "S" and tag in pending:
        fetch_spans.append(t - pending.pop(tag))
print("  per round (medians): FETCH sent -> answered %.1f ms, -> STORE answered %.1f ms, -> next FETCH %.1f ms"
      % (median(fetch_spans), median([b - a for a, b in store_waits]), median([b - a for a, b in turns])))
