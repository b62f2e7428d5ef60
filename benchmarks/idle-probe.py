# How long the exported server takes to announce a message submitted over SMTP to a bare IDLE (no Camel involved):
# the server's share of the latency workload (benchmarks/run.sh --latency), its floor for any IDLE client. Uses
# carol's INBOX (emptied at the end). Dovecot (Postfix delivering into it) or Apache James (its own SMTP server):
#   eval "$(bash scripts/mail-servers.sh env)";       flock /tmp/catalyst-interop.lock python3 benchmarks/idle-probe.py
#   eval "$(bash scripts/mail-servers.sh env-james)"; flock /tmp/catalyst-interop.lock python3 benchmarks/idle-probe.py [count]
import os, socket, smtplib, sys, time, random
kind=os.environ.get("CATALYST_SERVER_KIND","dovecot"); count=int(sys.argv[1]) if len(sys.argv)>1 else 40
host=os.environ["CATALYST_MAIL_HOST"]; imap=int(os.environ["CATALYST_IMAP_PORT"]); smtp=int(os.environ["CATALYST_SMTP_PORT"])
pw=os.environ["CATALYST_MAIL_PASSWORD"]; dom=os.environ["CATALYST_MAIL_DOMAIN"]
s=socket.create_connection((host,imap), timeout=60); f=s.makefile("rb")
def line(): return f.readline().decode()
def cmd(tag, c):
    s.sendall((tag+" "+c+"\r\n").encode())
    while True:
        l=line()
        if l.startswith(tag+" "): return l
line()
print(cmd("a1","LOGIN carol "+pw).strip()); print(cmd("a2","SELECT INBOX").strip())
out=smtplib.SMTP(host,smtp); out.ehlo("probe")
random.seed(16); lat=[]
for i in range(count):
    s.sendall(b"i IDLE\r\n")
    while not line().startswith("+"): pass
    msg="From: probe@%s\r\nTo: carol@%s\r\nSubject: probe %d\r\n\r\nprobe\r\n"%(dom,dom,i)
    out.sendmail("probe@"+dom,["carol@"+dom],msg); t0=time.monotonic()
    while "EXISTS" not in line(): pass
    lat.append((time.monotonic()-t0)*1000)
    s.sendall(b"DONE\r\n")
    while not line().startswith("i "): pass
    time.sleep(random.random()*0.5)
out.quit()
cmd("a3","STORE 1:* +FLAGS.SILENT (\\Deleted)"); cmd("a4","EXPUNGE"); cmd("a5","LOGOUT")
lat.sort(); n=len(lat)
print("%s: bare IDLE, SMTP 250 -> EXISTS, %d messages: min %.1f p50 %.1f p90 %.1f max %.1f ms"%(kind,n,lat[0],lat[n//2],lat[int(n*0.9)],lat[-1]))
