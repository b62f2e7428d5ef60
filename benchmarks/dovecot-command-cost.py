# What catalystmail's IMAP command pattern costs Dovecot, against the wire's, on 1,000 messages of ~30 KB: the CPU of
# the connection's imap process (utime+stime from /proc, 10 ms ticks: alternate and repeat) and the wall time, per
# phase. Needs the Dovecot master's pid (its imap processes are its children) and root to read their /proc entries;
# run it against PRIVATE servers (it appends to and empties bob's INBOX):
#   source /work/wt/private-env.sh <lane>; eval "$(bash scripts/mail-servers.sh env)"
#   python3 benchmarks/dovecot-command-cost.py <dovecot master pid> sequence [reps]   # wire vs ours, whole poll
#   python3 benchmarks/dovecot-command-cost.py <dovecot master pid> items [reps]      # FETCH items, cached bodies
#   python3 benchmarks/dovecot-command-cost.py <dovecot master pid> second [reps]     # expunge on a 2nd connection
# "sequence" variants: wire (FETCH 1:1000 BODY.PEEK[], STORE, EXPUNGE), wire-items (the same with the consumer's
# FETCH items), rounds (20 x UID FETCH 50 with them + UID STORE \Deleted $CatalystMailDone, UID EXPUNGE every 250),
# rounds-end (the same, one UID EXPUNGE at the end). "second": fetch 500 in rounds of 50 on one connection while
# another expunges 500 others, against the two one after the other.
import imaplib, os, subprocess, sys, threading, time

PORT = int(os.environ["CATALYST_IMAP_PORT"]); PASSWORD = os.environ["CATALYST_MAIL_PASSWORD"]; USER = "bob"
MASTER = int(sys.argv[1]); MODE = sys.argv[2]; REPS = int(sys.argv[3]) if len(sys.argv) > 3 else 2
TICK = os.sysconf("SC_CLK_TCK")
OURS = "(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])"
BODY = ("Subject: probe\r\nFrom: a@example.test\r\nTo: b@example.test\r\n\r\n" + ("x" * 76 + "\r\n") * 390).encode()

def imap_children():
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,cmd="], capture_output=True, text=True).stdout
    return {int(l.split()[0]) for l in out.splitlines()
            if int(l.split()[1]) == MASTER and "imap" in l and "login" not in l}

def connect():
    """A selected connection and the pid of the imap process serving it."""
    before = imap_children()
    c = imaplib.IMAP4("127.0.0.1", PORT); c.login(USER, PASSWORD); c.select("INBOX")
    new = imap_children() - before
    return c, (max(new) if new else None)

def cpu(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK

def fill(count):
    """Tops the folder up to count messages (APPEND), returns their UIDs."""
    c, _ = connect()
    have = len(c.uid("SEARCH", None, "ALL")[1][0].split())
    for _ in range(count - have):
        c.append("INBOX", None, None, BODY)
    c.logout()
    c, pid = connect()
    return c, pid, [int(u) for u in c.uid("SEARCH", None, "ALL")[1][0].split()][:count]

def span(uids):
    return "%d:%d" % (uids[0], uids[-1])

def sequence(variant):
    c, pid, uids = fill(1000)
    spent = {"fetch": 0.0, "store": 0.0, "expunge": 0.0}
    def phase(name, *command):
        before = cpu(pid); c.uid(*command); spent[name] += cpu(pid) - before
    started = time.time()
    if variant.startswith("wire"):
        phase("fetch", "FETCH", span(uids), OURS if variant == "wire-items" else "(BODY.PEEK[])")
        phase("store", "STORE", span(uids), "+FLAGS.SILENT", r"(\Deleted)")
        phase("expunge", "EXPUNGE", span(uids))
    else:
        for r in range(20):
            part = uids[r * 50:(r + 1) * 50]
            phase("fetch", "FETCH", span(part), OURS)
            phase("store", "STORE", span(part), "+FLAGS.SILENT", r"(\Deleted $CatalystMailDone)")
            if variant == "rounds" and r % 5 == 4:
                phase("expunge", "EXPUNGE", span(uids[(r - 4) * 50:(r + 1) * 50]))
        if variant == "rounds-end":
            phase("expunge", "EXPUNGE", span(uids))
    wall = time.time() - started
    c.logout()
    print("%-11s server CPU fetch %.2f store %.2f expunge %.2f total %.2f s; wall %.2f s (load %s)" % (
        variant, spent["fetch"], spent["store"], spent["expunge"], sum(spent.values()), wall, load()))

def items():
    c, pid, uids = fill(1000)
    kinds = ["(BODY.PEEK[])", "(UID FLAGS BODY.PEEK[])", "(INTERNALDATE BODY.PEEK[])", "(RFC822.SIZE BODY.PEEK[])",
             OURS]
    spent = {k: 0.0 for k in kinds}
    for _ in range(REPS * 4):
        for k in kinds:
            before = cpu(pid); c.uid("FETCH", span(uids), k); spent[k] += cpu(pid) - before
    for k in kinds:
        print("%-50s %.3f ms of server CPU per message (load %s)" % (k, spent[k] / (REPS * 4), load()))
    c.uid("STORE", span(uids), "+FLAGS.SILENT", r"(\Deleted)"); c.uid("EXPUNGE", span(uids)); c.logout()

def second(concurrent):
    a, _, uids = fill(1000)
    b, _ = connect()
    fetched, expunged = uids[:500], uids[500:]
    b.uid("STORE", span(expunged), "+FLAGS.SILENT", r"(\Deleted)")
    times = {}
    def expunge():
        t = time.time(); b.uid("EXPUNGE", span(expunged)); times["expunge"] = (t, time.time())
    worker = threading.Thread(target=expunge)
    started = time.time()
    if concurrent:
        worker.start()
    slowest = 0.0
    for r in range(10):
        t = time.time(); a.uid("FETCH", span(fetched[r * 50:(r + 1) * 50]), OURS); slowest = max(slowest, time.time() - t)
    fetch_done = time.time()
    if concurrent:
        worker.join()
    else:
        expunge()
    e0, e1 = times["expunge"]
    print("%-10s fetch 500 %.3f s (slowest round %.3f), expunge 500 %.3f s, both %.3f s (load %s)" % (
        "concurrent" if concurrent else "serial", fetch_done - started, slowest, e1 - e0,
        max(fetch_done, e1) - started, load()))
    a.uid("STORE", span(fetched), "+FLAGS.SILENT", r"(\Deleted)"); a.uid("EXPUNGE", span(fetched))
    a.logout(); b.logout()

def load():
    return open("/proc/loadavg").read().split()[0]

for _ in range(REPS):
    if MODE == "sequence":
        for v in ("wire", "wire-items", "rounds", "rounds-end"):
            sequence(v)
    elif MODE == "second":
        second(False); second(True)
if MODE == "items":
    items()
