# How long Dovecot takes to announce a message submitted to Postfix to a bare IDLE (no Camel involved): the
# server's share of the latency workload. Uses carol's INBOX (emptied at the end).
#   eval "$(bash scripts/mail-servers.sh env)"; flock /tmp/catalyst-interop.lock python3 benchmarks/dovecot-idle-probe.py
import os, socket, smtplib, time, random, ssl
host=os.environ["CATALYST_MAIL_HOST"]; imap=int(os.environ["CATALYST_IMAP_PORT"]); smtp=int(os.environ["CATALYST_SMTP_PORT"])
pw=os.environ["CATALYST_MAIL_PASSWORD"]; dom=os.environ["CATALYST_MAIL_DOMAIN"]
s=socket.create_connection((host,imap)); f=s.makefile("rb")
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
for i in range(40):
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
print("raw IDLE, Postfix 250 -> Dovecot EXISTS, %d messages: min %.0f p50 %.0f p90 %.0f max %.0f ms"%(n,lat[0],lat[n//2],lat[int(n*0.9)],lat[-1]))
