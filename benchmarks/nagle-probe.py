# Where an IMAP server's answers wait for a delayed ACK (Nagle's algorithm on one side, the peer's delayed ACK on the
# other, ~40 ms on Linux): APPENDs written the ways clients write them, with TCP_NODELAY off and on, and single-message
# FETCHes of a small and a larger message. Run it against PRIVATE servers (it appends to and empties carol's INBOX):
#   source /work/wt/private-env.sh <lane>; eval "$(bash scripts/mail-servers.sh env-cyrus)"   # or env
#   python3 benchmarks/nagle-probe.py [count]
# APPEND ways: sync-split (synchronizing literal; literal, then CRLF in a write of its own: Jakarta Mail, imaplib),
# sync-joined (literal and CRLF in one write), plus-one (LITERAL+, the whole command in one write: catalystmail for a
# message under its 16 KB buffer), plus-split (LITERAL+: command line, literal, CRLF in three writes).
# tcpdump -i lo -n -tt "tcp port $CATALYST_IMAP_PORT" beside it shows the CRLF leaving right behind the server's ACK.
import os, re, socket, sys, time

PORT = int(os.environ["CATALYST_IMAP_PORT"]); PASSWORD = os.environ["CATALYST_MAIL_PASSWORD"]; USER = "carol"
COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 30

def message(size):
    return b"From: a@example.test\r\nSubject: probe\r\n\r\n" + (b"x" * 70 + b"\r\n") * (size // 72)

class Client:
    def __init__(self, nodelay):
        self.s = socket.create_connection(("127.0.0.1", PORT), timeout=30)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1 if nodelay else 0)
        self.buf, self.tag = b"", 0
        self.read(lambda b: b"\r\n" in b)
        self.command("LOGIN %s %s" % (USER, PASSWORD)); self.command("SELECT INBOX")

    def read(self, done):
        while not done(self.buf):
            data = self.s.recv(65536)
            if not data:
                raise EOFError("server closed the connection")
            self.buf += data

    def tagged(self, tag):
        pattern = re.compile(rb"(^|\r\n)" + tag.encode() + rb" (OK|NO|BAD)[^\r\n]*\r\n")
        self.read(lambda b: pattern.search(b) is not None)
        m = pattern.search(self.buf)
        if m.group(2) != b"OK":
            raise RuntimeError(self.buf[:m.end()].decode(errors="replace"))
        self.buf = self.buf[m.end():]

    def command(self, line):
        self.tag += 1; tag = "n%d" % self.tag
        self.s.sendall(("%s %s\r\n" % (tag, line)).encode()); self.tagged(tag)

    def append(self, msg, way):
        self.tag += 1; tag = "n%d" % self.tag
        head = ("%s APPEND INBOX {%d%s}\r\n" % (tag, len(msg), "+" if way.startswith("plus") else "")).encode()
        if way.startswith("sync"):
            self.s.sendall(head); self.read(lambda b: b.startswith(b"+") and b"\r\n" in b)
            self.buf = self.buf[self.buf.index(b"\r\n") + 2:]
            writes = [msg, b"\r\n"] if way == "sync-split" else [msg + b"\r\n"]
        else:
            writes = [head, msg, b"\r\n"] if way == "plus-split" else [head + msg + b"\r\n"]
        for w in writes:
            self.s.sendall(w)
        self.tagged(tag)

def per_call_ms(action):
    start = time.perf_counter()
    for _ in range(COUNT):
        action()
    return (time.perf_counter() - start) / COUNT * 1000

print("load %s; %d of each" % (open("/proc/loadavg").read().split()[0], COUNT))
for nodelay in (False, True):
    c = Client(nodelay)
    for way in ("sync-split", "sync-joined", "plus-one", "plus-split"):
        print("TCP_NODELAY %-5s APPEND %-11s 636 B: %6.1f ms" % (nodelay, way, per_call_ms(lambda: c.append(message(600), way))))
    c.command("STORE 1:* +FLAGS.SILENT (\\Deleted)"); c.command("EXPUNGE")
    for size in (600, 20000):
        c.append(message(size), "plus-one")
        print("TCP_NODELAY %-5s FETCH 1 BODY.PEEK[] %5d B: %6.1f ms" % (nodelay, size, per_call_ms(lambda: c.command("FETCH 1 BODY.PEEK[]"))))
        c.command("STORE 1:* +FLAGS.SILENT (\\Deleted)"); c.command("EXPUNGE")
    c.command("LOGOUT")
