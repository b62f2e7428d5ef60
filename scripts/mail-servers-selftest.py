#!/usr/bin/env python3
"""End-to-end check of the servers started by scripts/mail-servers.sh (python3 standard library only).

Sends mail to alice@example.test through Postfix (plain SMTP, submission with STARTTLS + AUTH, implicit
TLS) and reads it back from Dovecot (IMAP with STARTTLS, IMAPS, POP3 with STLS, POP3S), verifying the
generated certificate and host name on every TLS connection, and checks that the servers advertise the
extensions the interop tests rely on. Exits non-zero with a message naming the first failed check.

The mailbox may be shared with tests running at the same time, so every message carries a unique token,
is found by that token and is deleted again at the end.
"""
import email
import email.message
import email.policy
import imaplib
import os
import poplib
import smtplib
import ssl
import subprocess
import sys
import time
import uuid

SERVERS_DIR = os.environ.get("CATALYST_SERVERS_DIR", "/tmp/catalyst-mail-servers")
HOST = os.environ.get("CATALYST_MAIL_HOST", "localhost")
DOMAIN = os.environ.get("CATALYST_MAIL_DOMAIN", "example.test")
PASSWORD = os.environ.get("CATALYST_MAIL_PASSWORD", "secret")
TRUSTSTORE = os.environ.get("CATALYST_TRUSTSTORE", os.path.join(SERVERS_DIR, "truststore.p12"))
TRUSTSTORE_PASSWORD = os.environ.get("CATALYST_TRUSTSTORE_PASSWORD", "changeit")
CERTIFICATE = os.path.join(SERVERS_DIR, "tls", "localhost.crt")


def port(name, default):
    return int(os.environ.get("CATALYST_%s_PORT" % name, default))


IMAP_PORT = port("IMAP", 10143)
IMAPS_PORT = port("IMAPS", 10993)
POP3_PORT = port("POP3", 10110)
POP3S_PORT = port("POP3S", 10995)
SMTP_PORT = port("SMTP", 10025)
SMTPS_PORT = port("SMTPS", 10465)
SUBMISSION_PORT = port("SUBMISSION", 10587)

TIMEOUT = 15
DELIVERY_DEADLINE = 30
SMTP_EXTENSIONS = ["pipelining", "size", "8bitmime", "smtputf8", "dsn", "enhancedstatuscodes"]
IMAP_CAPABILITIES = ["UIDPLUS", "MOVE", "ESEARCH", "CONDSTORE", "LITERAL+"]
POP3_CAPABILITIES = ["PIPELINING", "UIDL", "SASL"]


class CheckFailed(Exception):
    pass


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


def step(message):
    print("selftest: " + message, flush=True)


def tls_context():
    require(os.path.isfile(CERTIFICATE), "certificate %s is missing: has mail-servers.sh start run?" % CERTIFICATE)
    context = ssl.create_default_context(cafile=CERTIFICATE)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def user(name):
    return "%s@%s" % (name, DOMAIN)


def compose(token, via):
    # 8-bit UTF-8 in a header and the body: needs SMTPUTF8 and 8BITMIME on the way in and must survive LMTP.
    message = email.message.EmailMessage(policy=email.policy.SMTPUTF8)
    message["From"] = user("bob")
    message["To"] = user("alice")
    message["Subject"] = "selftest %s via %s – grüße" % (token, via)
    message["Message-ID"] = "<%s.%s@%s>" % (token, via, DOMAIN)
    message.set_content("Grüße aus dem Selbsttest (%s).\n" % via, cte="8bit")
    return message.as_bytes()


def check_smtp_extensions(smtp, where, expect_auth):
    code, _ = smtp.ehlo("selftest.example.test")
    require(code == 250, "%s: EHLO answered %d" % (where, code))
    missing = [ext.upper() for ext in SMTP_EXTENSIONS if not smtp.has_extn(ext)]
    require(not missing, "%s: EHLO lacks %s (has %s)" % (where, " ".join(missing), sorted(smtp.esmtp_features)))
    size = int(smtp.esmtp_features["size"] or 0)
    require(size >= 200 * 1024 * 1024, "%s: SIZE %d is below the 200 MB the benchmarks need" % (where, size))
    if expect_auth:
        mechanisms = smtp.esmtp_features.get("auth", "").upper().split()
        for mechanism in ("PLAIN", "LOGIN", "CRAM-MD5"):
            require(mechanism in mechanisms, "%s: AUTH lacks %s (has %s)" % (where, mechanism, mechanisms))


def send(smtp, token, via):
    refused = smtp.sendmail(user("bob"), [user("alice")], compose(token, via),
                            mail_options=["SMTPUTF8", "BODY=8BITMIME"])
    require(not refused, "%s: recipients refused: %s" % (via, refused))


def send_plain_smtp(token):
    step("SMTP %d: EHLO extensions, unknown and foreign recipients refused, send" % SMTP_PORT)
    with smtplib.SMTP(HOST, SMTP_PORT, timeout=TIMEOUT) as smtp:
        check_smtp_extensions(smtp, "SMTP %d" % SMTP_PORT, expect_auth=True)
        require(smtp.has_extn("starttls"), "SMTP %d: STARTTLS not offered" % SMTP_PORT)
        smtp.mail(user("bob"))
        code, reply = smtp.rcpt("nobody-%s@%s" % (token, DOMAIN))
        require(code == 550, "SMTP %d: unknown user got %d %r, expected 550" % (SMTP_PORT, code, reply))
        code, reply = smtp.rcpt("someone@outside.invalid")
        require(code // 100 == 5, "SMTP %d: relaying to another domain got %d %r" % (SMTP_PORT, code, reply))
        smtp.rset()
        send(smtp, token, "smtp")


def send_submission(token):
    where = "submission %d" % SUBMISSION_PORT
    step("%s: no AUTH before STARTTLS, STARTTLS with verified certificate, AUTH, send" % where)
    with smtplib.SMTP(HOST, SUBMISSION_PORT, timeout=TIMEOUT) as smtp:
        smtp.ehlo("selftest.example.test")
        require(smtp.has_extn("starttls"), "%s: STARTTLS not offered" % where)
        require(not smtp.has_extn("auth"), "%s: AUTH offered before TLS" % where)
        code, reply = smtp.mail(user("bob"))
        require(code // 100 == 5, "%s: MAIL FROM before STARTTLS got %d %r, expected a refusal" % (where, code, reply))
        smtp.rset()
        smtp.starttls(context=tls_context())
        check_smtp_extensions(smtp, where + " after STARTTLS", expect_auth=True)
        smtp.login(user("bob"), PASSWORD)
        send(smtp, token, "submission")
    # CRAM-MD5 works too (Dovecot needs the plaintext password scheme for it).
    with smtplib.SMTP(HOST, SUBMISSION_PORT, timeout=TIMEOUT) as smtp:
        smtp.starttls(context=tls_context())
        smtp.ehlo("selftest.example.test")
        smtp.user, smtp.password = "carol", PASSWORD
        code, reply = smtp.auth("CRAM-MD5", smtp.auth_cram_md5)
        require(code == 235, "%s: AUTH CRAM-MD5 got %d %r" % (where, code, reply))


def send_smtps(token):
    where = "SMTPS %d" % SMTPS_PORT
    step("%s: implicit TLS with verified certificate, AUTH PLAIN, send" % where)
    with smtplib.SMTP_SSL(HOST, SMTPS_PORT, timeout=TIMEOUT, context=tls_context()) as smtp:
        check_smtp_extensions(smtp, where, expect_auth=True)
        smtp.user, smtp.password = user("alice"), PASSWORD
        code, reply = smtp.auth("PLAIN", smtp.auth_plain)
        require(code == 235, "%s: AUTH PLAIN got %d %r" % (where, code, reply))
        send(smtp, token, "smtps")


def imap_capabilities(imap):
    typ, data = imap.capability()
    require(typ == "OK", "IMAP CAPABILITY failed: %r" % data)
    return data[0].decode("ascii").upper().split()


def imap_find(imap, token):
    typ, data = imap.uid("SEARCH", "HEADER", "Message-ID", token)
    require(typ == "OK", "IMAP UID SEARCH failed: %r" % data)
    return data[0].split()


def read_imap_starttls(token, vias):
    where = "IMAP %d" % IMAP_PORT
    step("%s: STARTTLS with verified certificate, capabilities, wait for delivery, CRAM-MD5" % where)
    with imaplib.IMAP4(HOST, IMAP_PORT, timeout=TIMEOUT) as imap:
        before = imap_capabilities(imap)
        require("STARTTLS" in before, "%s: STARTTLS not in %s" % (where, before))
        imap.starttls(ssl_context=tls_context())
        after_tls = imap_capabilities(imap)
        require("AUTH=PLAIN" in after_tls, "%s: AUTH=PLAIN not in %s" % (where, after_tls))
        imap.login("alice", PASSWORD)
        caps = imap_capabilities(imap)
        missing = [c for c in IMAP_CAPABILITIES if c not in caps]
        require(not missing, "%s: CAPABILITY lacks %s (has %s)" % (where, " ".join(missing), caps))
        imap.select("INBOX")
        deadline = time.monotonic() + DELIVERY_DEADLINE
        while True:
            uids = imap_find(imap, token)
            if len(uids) >= len(vias):
                break
            require(time.monotonic() < deadline, "%s: %d of %d messages arrived within %ds; see %s/postfix.log"
                    % (where, len(uids), len(vias), DELIVERY_DEADLINE, SERVERS_DIR))
            time.sleep(0.2)
            imap.noop()
        typ, data = imap.uid("FETCH", b",".join(uids).decode(), "(BODY.PEEK[])")
        require(typ == "OK", "%s: FETCH failed: %r" % (where, data))
        subjects = []
        for item in data:
            if isinstance(item, tuple):
                parsed = email.message_from_bytes(item[1], policy=email.policy.default)
                subjects.append(str(parsed["Subject"]))
                require("Grüße aus dem Selbsttest" in parsed.get_content(),
                        "%s: 8-bit body did not survive: %r" % (where, parsed.get_content()))
        for via in vias:
            require(any("via %s – grüße" % via in s for s in subjects),
                    "%s: no intact UTF-8 subject for the mail sent via %s (got %s)" % (where, via, subjects))
    with imaplib.IMAP4(HOST, IMAP_PORT, timeout=TIMEOUT) as imap:
        imap.starttls(ssl_context=tls_context())
        typ, data = imap.login_cram_md5("alice", PASSWORD)
        require(typ == "OK", "%s: AUTHENTICATE CRAM-MD5 failed: %r" % (where, data))


def read_imaps(token, vias):
    where = "IMAPS %d" % IMAPS_PORT
    step("%s: implicit TLS with verified certificate, messages present" % where)
    with imaplib.IMAP4_SSL(HOST, IMAPS_PORT, ssl_context=tls_context(), timeout=TIMEOUT) as imap:
        imap.login("alice", PASSWORD)
        imap.select("INBOX", readonly=True)
        uids = imap_find(imap, token)
        require(len(uids) == len(vias), "%s: found %d of %d messages" % (where, len(uids), len(vias)))


def pop3_find(pop, where, token):
    typ = pop.capa()
    missing = [c for c in POP3_CAPABILITIES if c not in typ]
    require(not missing, "%s: CAPA lacks %s (has %s)" % (where, " ".join(missing), sorted(typ)))
    mechanisms = [m.upper() for m in typ.get("SASL", [])]
    for mechanism in ("PLAIN", "LOGIN", "CRAM-MD5"):
        require(mechanism in mechanisms, "%s: SASL lacks %s (has %s)" % (where, mechanism, mechanisms))
    pop.user("alice")
    pop.pass_(PASSWORD)
    found = []
    count, _ = pop.stat()
    for number in range(1, count + 1):
        _, lines, _ = pop.top(number, 0)
        if any(token.encode() in line for line in lines):
            found.append(number)
    return found


def read_pop3(token, vias):
    where = "POP3 %d" % POP3_PORT
    step("%s: STLS with verified certificate, CAPA, messages present" % where)
    pop = poplib.POP3(HOST, POP3_PORT, timeout=TIMEOUT)
    try:
        require("STLS" in pop.capa(), "%s: STLS not offered" % where)
        pop.stls(context=tls_context())
        found = pop3_find(pop, where, token)
        require(len(found) == len(vias), "%s: found %d of %d messages" % (where, len(found), len(vias)))
    finally:
        pop.quit()


def read_pop3s_and_delete(token, vias):
    where = "POP3S %d" % POP3S_PORT
    step("%s: implicit TLS with verified certificate, RETR, DELE of the selftest's messages" % where)
    pop = poplib.POP3_SSL(HOST, POP3S_PORT, timeout=TIMEOUT, context=tls_context())
    try:
        found = pop3_find(pop, where, token)
        require(len(found) == len(vias), "%s: found %d of %d messages" % (where, len(found), len(vias)))
        for number in found:
            _, lines, _ = pop.retr(number)
            require(any(b"Selbsttest" in line for line in lines), "%s: RETR %d lacks the body" % (where, number))
            pop.dele(number)
    finally:
        pop.quit()


def check_truststore():
    step("truststore %s holds the certificate as a trusted entry" % TRUSTSTORE)
    require(os.path.isfile(TRUSTSTORE), "truststore %s is missing" % TRUSTSTORE)
    listing = subprocess.run(["keytool", "-list", "-v", "-storetype", "PKCS12", "-keystore", TRUSTSTORE,
                              "-storepass", TRUSTSTORE_PASSWORD], capture_output=True, text=True, timeout=60)
    require(listing.returncode == 0, "keytool cannot read %s: %s" % (TRUSTSTORE, listing.stderr.strip()))
    require("trustedCertEntry" in listing.stdout, "%s holds no trusted certificate entry" % TRUSTSTORE)
    require("CN=localhost" in listing.stdout, "%s does not hold the localhost certificate" % TRUSTSTORE)


def remove_leftovers(token):
    """Deletes whatever this run delivered but did not delete itself (a failed run), best effort."""
    try:
        with imaplib.IMAP4_SSL(HOST, IMAPS_PORT, ssl_context=tls_context(), timeout=TIMEOUT) as imap:
            imap.login("alice", PASSWORD)
            imap.select("INBOX")
            uids = imap_find(imap, token)
            if uids:
                uid_set = b",".join(uids).decode()
                imap.uid("STORE", uid_set, "+FLAGS.SILENT", "(\\Deleted)")
                imap.uid("EXPUNGE", uid_set)
    except (OSError, CheckFailed, imaplib.IMAP4.error):
        pass


def main():
    token = "selftest-" + uuid.uuid4().hex[:16]
    vias = ["smtp", "submission", "smtps"]
    try:
        check_truststore()
        send_plain_smtp(token)
        send_submission(token)
        send_smtps(token)
        read_imap_starttls(token, vias)
        read_imaps(token, vias)
        read_pop3(token, vias)
        read_pop3s_and_delete(token, vias)
    except CheckFailed as failure:
        print("selftest: FAILED: %s" % failure, file=sys.stderr)
        return 1
    except (smtplib.SMTPException, imaplib.IMAP4.error, poplib.error_proto) as error:
        print("selftest: FAILED: %s: %s" % (type(error).__name__, error), file=sys.stderr)
        return 1
    except OSError as error:
        print("selftest: FAILED: %s: %s (are the servers running? scripts/mail-servers.sh status)"
              % (type(error).__name__, error), file=sys.stderr)
        return 1
    finally:
        remove_leftovers(token)
    step("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
