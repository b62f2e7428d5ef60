#!/usr/bin/env python3
"""Writes the differential corpus: one NAME.eml per shape (python3 corpus.py DIR). CRLF unless the name says lf."""
import base64, os, sys
OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)
N = [0]
def b64(b): return base64.b64encode(b).decode()
def b64lines(b):
    s = b64(b); return "\r\n".join(s[i:i+76] for i in range(0, len(s), 76))
def msg(name, headers, body, eol="\r\n", raw=False):
    N[0] += 1
    sender = "" if headers.startswith("From:") else f"From: Sender <sender@example.test>{eol}"
    h = f"X-Corpus-Id: {name}{eol}{sender}To: rcpt@example.test{eol}" \
        f"Date: Tue, 01 Dec 2026 21:00:00 +0000{eol}Message-ID: <{name}@corpus.example.test>{eol}"
    text = h + headers.replace("\n", eol) + eol + (body if raw else body.replace("\r\n", "\n").replace("\n", eol))
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(data)

def mp(boundary, parts, preamble="", epilogue="", close=True):
    s = preamble
    for p in parts:
        s += f"--{boundary}\n{p}\n"
    if close:
        s += f"--{boundary}--\n" + epilogue
    return s

PLAIN = "Content-Type: text/plain; charset=utf-8\n"
PDF = b"%PDF-1.4\n% fake pdf for the corpus\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 20
def att(ctype, disp, data, extra=""):
    return f"Content-Type: {ctype}\nContent-Disposition: {disp}\nContent-Transfer-Encoding: base64\n{extra}\n{b64lines(data)}"
MIXED = 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="BND"\n'

# --- RFC 2047 encoded words
msg("ew-b-utf8-subject", "Subject: =?UTF-8?B?" + b64("Grüße aus Köln ✓".encode()) + "?=\n" + PLAIN, "body\n")
msg("ew-q-latin1-subject", "Subject: =?ISO-8859-1?Q?Caf=E9_au_lait?=\n" + PLAIN, "body\n")
msg("ew-adjacent-words", "Subject: =?UTF-8?Q?Hall=C3=B6?= =?UTF-8?Q?_Welt?=\n" + PLAIN, "body\n")
msg("ew-adjacent-folded", "Subject: =?UTF-8?B?" + b64("Ein langer ".encode()) + "?=\n =?UTF-8?B?" + b64("Betreff".encode()) + "?=\n" + PLAIN, "body\n")
msg("ew-text-around", "Subject: Re: =?UTF-8?Q?W=C3=B6rld?= is big\n" + PLAIN, "body\n")
msg("ew-split-multibyte", "Subject: =?UTF-8?B?" + b64(b"\xc3") + "?= =?UTF-8?B?" + b64(b"\xa4bc") + "?=\n" + PLAIN, "body\n")
msg("ew-unknown-charset", "Subject: =?x-unknown-cs?Q?plain_text?= tail\n" + PLAIN, "body\n")
msg("ew-from-display-name", "Subject: from\nReply-To: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jm@example.test>\n" + PLAIN, "body\n")
msg("ew-in-quoted-string", 'Subject: quoted\nCc: "=?UTF-8?B?' + b64("Zoë Ångström".encode()) + '?=" <zoe@example.test>\n' + PLAIN, "body\n")
msg("ew-language-tag", "Subject: =?UTF-8*de?Q?Gr=C3=BC=C3=9Fe?=\n" + PLAIN, "body\n")
msg("ew-lowercase-q-underscore", "Subject: =?utf-8?q?a_b=20c=5Fd?=\n" + PLAIN, "body\n")
msg("ew-glued-to-text", "Subject: abc=?UTF-8?Q?=C3=A9?=def\n" + PLAIN, "body\n")
msg("ew-bad-base64", "Subject: =?UTF-8?B?SGVsbG8*?= ok\n" + PLAIN, "body\n")
msg("ew-to-list", 'Subject: to list\nCc: =?UTF-8?Q?Ren=C3=A9?= <rene@example.test>, "Smith, John" <john@example.test>,\n =?ISO-8859-1?Q?Bj=F6rn?= <bjorn@example.test>\n' + PLAIN, "body\n")
msg("ew-windows-1252-subject", "Subject: =?windows-1252?Q?=93quoted=94_=80?=\n" + PLAIN, "body\n")
msg("ew-iso-2022-jp", "Subject: =?ISO-2022-JP?B?" + b64("日本語".encode("iso-2022-jp")) + "?=\n" + PLAIN, "body\n")
msg("ew-empty-encoded-text", "Subject: before =?UTF-8?Q??= after\n" + PLAIN, "body\n")
# --- RFC 2231 parameters
msg("rfc2231-filename-utf8", MIXED, mp("BND", [PLAIN + "\nsee attached", att("application/pdf", "attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf", PDF)]))
msg("rfc2231-continuations", MIXED, mp("BND", [PLAIN + "\nsee attached", att("application/pdf", "attachment;\n filename*0*=UTF-8''Gr%C3%BC%C3%9Fe%20aus%20;\n filename*1*=K%C3%B6ln;\n filename*2=\".pdf\"", PDF)]))
msg("rfc2231-continuations-unordered", MIXED, mp("BND", [PLAIN + "\nsee attached", att("application/pdf", "attachment;\n filename*1=\"two\";\n filename*0=\"part-one-\";\n filename*2=\".pdf\"", PDF)]))
msg("rfc2231-name-in-content-type", MIXED, mp("BND", [PLAIN + "\nsee attached", "Content-Type: application/pdf; name*=iso-8859-1''r%E9sum%E9.pdf\nContent-Transfer-Encoding: base64\n\n" + b64lines(PDF)]))
msg("rfc2231-language", MIXED, mp("BND", [PLAIN + "\nsee attached", att("text/csv", "attachment; filename*=us-ascii'en-us'data%20file.csv", b"a,b\n1,2\n")]))
msg("ew-in-filename", MIXED, mp("BND", [PLAIN + "\nsee attached", att("application/pdf", 'attachment; filename="=?UTF-8?B?' + b64("Übersicht.pdf".encode()) + '?="', PDF)]))
msg("filename-and-extended", MIXED, mp("BND", [PLAIN + "\nsee attached", att("application/pdf", "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%C3%A9t%C3%A9.pdf", PDF)]))
msg("filename-with-path", MIXED, mp("BND", [PLAIN + "\nsee attached", att("application/pdf", 'attachment; filename="C:\\\\Users\\\\me\\\\report.pdf"', PDF)]))
msg("filename-raw-utf8", MIXED, mp("BND", [PLAIN + "\nsee attached", att("application/pdf", 'attachment; filename="naïve café.pdf"', PDF)]))
msg("filename-only-in-name", MIXED, mp("BND", [PLAIN + "\nsee attached", 'Content-Type: application/pdf; name="invoice 42.pdf"\nContent-Transfer-Encoding: base64\n\n' + b64lines(PDF)]))
msg("duplicate-attachment-names", MIXED, mp("BND", [PLAIN + "\nsee attached", att("text/plain", 'attachment; filename="a.txt"', b"one\n"), att("text/plain", 'attachment; filename="a.txt"', b"two\n")]))
msg("unnamed-attachment", MIXED, mp("BND", [PLAIN + "\nsee attached", "Content-Type: image/png\nContent-Transfer-Encoding: base64\n\n" + b64lines(PNG)]))
# --- charsets
msg("charset-latin1-labelled-really-utf8", "Subject: mislabelled\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n", "Grüße – “UTF-8” really\n")
msg("charset-alias-utf8-no-dash", "Subject: alias\nContent-Type: text/plain; charset=UTF8\nContent-Transfer-Encoding: 8bit\n", "Grüße\n")
msg("charset-quoted-spaces", 'Subject: quoted charset\nContent-Type: text/plain; charset=" utf-8 "\nContent-Transfer-Encoding: 8bit\n', "Grüße\n")
msg("charset-ks-c-5601", "Subject: korean\nContent-Type: text/plain; charset=ks_c_5601-1987\nContent-Transfer-Encoding: base64\n", b64lines("안녕하세요".encode("cp949")) + "\n")
msg("charset-gb2312-with-gbk", "Subject: chinese\nContent-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: base64\n", b64lines("中文 鎔".encode("gbk")) + "\n")
msg("charset-iso-2022-jp-body", "Subject: japanese\nContent-Type: text/plain; charset=iso-2022-jp\nContent-Transfer-Encoding: 7bit\n", "日本語のテキスト\n".encode("iso-2022-jp").decode("ascii"))
msg("charset-utf16-base64", "Subject: utf16\nContent-Type: text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n", b64lines("Hello UTF-16 ✓".encode("utf-16")) + "\n")
msg("raw-utf8-headers", "Subject: Grüße aus Köln ✓\nCc: Jürgen Müller <jm@example.test>\n" + PLAIN + "Content-Transfer-Encoding: 8bit\n", "Grüße\n")
with open(os.path.join(OUT, "raw-latin1-headers.eml"), "wb") as f:
    N[0] += 1
    f.write(b"X-Corpus-Id: raw-latin1-headers\r\nFrom: Sender <sender@example.test>\r\nTo: rcpt@example.test\r\nDate: Tue, 01 Dec 2026 21:00:00 +0000\r\nMessage-ID: <raw-latin1-headers@corpus.example.test>\r\nSubject: Caf\xe9 cr\xe8me\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\nCaf\xe9\r\n")
# --- structure
REL = mp("REL", ['Content-Type: text/html; charset=utf-8\n\n<html><body><p>Hello <img src="cid:logo@x"></p></body></html>', att("image/png", 'inline; filename="logo.png"', PNG, "Content-ID: <logo@x>")])
ALT = mp("ALT", [PLAIN + "\nHello plain", 'Content-Type: multipart/related; boundary="REL"\n\n' + REL])
msg("nested-mixed-alternative-related", MIXED, mp("BND", ['Content-Type: multipart/alternative; boundary="ALT"\n\n' + ALT, att("application/pdf", 'attachment; filename="terms.pdf"', PDF)]))
INNER = "From: Inner <inner@example.test>\nSubject: =?UTF-8?Q?Inner_subj=C3=A9ct?=\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=IN\n\n" + mp("IN", [PLAIN + "\ninner body", att("text/plain", 'attachment; filename="inner.txt"', b"inner attachment\n")])
msg("message-rfc822-attachment", MIXED, mp("BND", [PLAIN + "\nforwarding", "Content-Type: message/rfc822\nContent-Disposition: attachment\n\n" + INNER]))
msg("message-rfc822-named", MIXED, mp("BND", [PLAIN + "\nforwarding", 'Content-Type: message/rfc822; name="fwd.eml"\nContent-Disposition: attachment; filename="fwd.eml"\n\n' + INNER]))
DSN = mp("REP", [PLAIN + "\nDelivery failed.", "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.test\n\nFinal-Recipient: rfc822; nobody@example.test\nAction: failed\nStatus: 5.1.1\n", "Content-Type: text/rfc822-headers\n\nFrom: Sender <sender@example.test>\nSubject: lost\n"])
msg("multipart-report-dsn", 'Subject: Undelivered Mail\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="REP"\n', DSN)
msg("missing-closing-boundary", MIXED, mp("BND", [PLAIN + "\nfirst part", att("application/pdf", 'attachment; filename="cut.pdf"', PDF)], close=False))
msg("boundary-in-preamble", MIXED, mp("BND", [PLAIN + "\nreal body"], preamble="This is a preamble mentioning --BNDX and --BND-- as text?\nno\n"))
msg("boundary-prefix-in-body", MIXED, mp("BND", [PLAIN + "\nline one\n--BNDextra is not a delimiter\nline three", att("text/plain", 'attachment; filename="x.txt"', b"x\n")]))
msg("boundary-trailing-space", MIXED, "--BND   \n" + PLAIN + "\nbody with padded delimiters\n--BND\t\n" + att("text/plain", 'attachment; filename="y.txt"', b"y\n") + "\n--BND--  \n")
msg("boundary-special-chars", 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="=_Part 0\'()+_,-./:=?"\n', mp("=_Part 0'()+_,-./:=?", [PLAIN + "\nspecial boundary body"]))
msg("broken-base64-text", "Subject: broken b64\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n", "SGVsbG8g*V29y!bGQ\n")
msg("broken-base64-attachment", MIXED, mp("BND", [PLAIN + "\nbody", "Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"b.bin\"\nContent-Transfer-Encoding: base64\n\nAAEC%%%AwQF\nBgc\n"]))
msg("qp-soft-breaks", "Subject: qp\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n", "Gr=C3=BC=C3=9Fe aus K=C3=B6ln, this line is soft=\n-broken and =3D equals, lower =c3=a9, bad =ZZ end.   \nTrailing =\n")
msg("lf-only", "Subject: bare LF everywhere\n" + MIXED, mp("BND", [PLAIN + "\nlf body\nsecond line", att("application/pdf", 'attachment; filename="lf.pdf"', PDF)]), eol="\n")
with open(os.path.join(OUT, "mixed-crlf-lf.eml"), "wb") as f:
    N[0] += 1
    f.write(b"X-Corpus-Id: mixed-crlf-lf\r\nFrom: Sender <sender@example.test>\nTo: rcpt@example.test\r\nDate: Tue, 01 Dec 2026 21:00:00 +0000\r\nMessage-ID: <mixed-crlf-lf@corpus.example.test>\nSubject: mixed\r\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=BND\r\n\n--BND\r\nContent-Type: text/plain\n\r\nmixed line ends\nsecond\r\n--BND\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=m.txt\n\nm\r\n--BND--\n")
msg("empty-parts", MIXED, mp("BND", [PLAIN, "Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"empty.bin\"\n", PLAIN + "\nthird is text"]))
msg("multipart-no-parts", 'Subject: no parts\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="BND"\n', "just a preamble\n--BND--\n")
msg("empty-body", "Subject: empty body\n" + PLAIN, "")
ICS = "BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:1@example.test\nSUMMARY:Meeting\nDTSTART:20261202T100000Z\nEND:VEVENT\nEND:VCALENDAR"
msg("calendar-invite", "Subject: Invitation\n" + MIXED, mp("BND", ['Content-Type: multipart/alternative; boundary="ALT"\n\n' + mp("ALT", [PLAIN + "\nYou are invited", "Content-Type: text/html; charset=utf-8\n\n<p>You are invited</p>", "Content-Type: text/calendar; charset=utf-8; method=REQUEST\n\n" + ICS]), att("application/ics", 'attachment; filename="invite.ics"', ICS.encode())]))
SIG = b"0\x82\x01\x00fake pkcs7 signature"
msg("smime-signed", 'Subject: signed\nMIME-Version: 1.0\nContent-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="SIG"\n',
    mp("SIG", [PLAIN + "\nsigned text", att("application/pkcs7-signature", 'attachment; filename="smime.p7s"', SIG, "").replace("Content-Type: application/pkcs7-signature", 'Content-Type: application/pkcs7-signature; name="smime.p7s"')]))
msg("smime-opaque", 'Subject: opaque\nMIME-Version: 1.0\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\nContent-Disposition: attachment; filename="smime.p7m"\nContent-Transfer-Encoding: base64\n', b64lines(SIG) + "\n")
TNEF = b"\x78\x9f\x3e\x22" + b"\x00" * 40
msg("winmail-dat", MIXED, mp("BND", [PLAIN + "\nsee winmail", att("application/ms-tnef", 'attachment; filename="winmail.dat"', TNEF).replace("Content-Type: application/ms-tnef", 'Content-Type: application/ms-tnef; name="winmail.dat"')]))
msg("huge-header-line", "Subject: " + "x" * 20000 + "\nX-Long: " + " ".join("<id%d@example.test>" % i for i in range(1500)) + "\n" + PLAIN, "body after huge headers\n")
msg("huge-folded-references", "Subject: many references\nReferences:" + "".join("\n <ref%d@example.test>" % i for i in range(2000)) + "\n" + PLAIN, "body\n")
msg("no-content-type", "Subject: no content type at all\n", "plain body without MIME headers\n")
msg("no-content-type-8bit", "Subject: no content type, 8bit\n", "Grüße without a label\n")
msg("content-type-junk-params", "Subject: junk params\nContent-Type: text/plain; charset=utf-8; foo; =bar; format=flowed;;; delsp=yes; x=\"unterminated\n", "Grüße junk\n")
msg("content-type-no-subtype", "Subject: no subtype\nContent-Type: text; charset=utf-8\n", "Grüße no subtype\n")
msg("content-type-uppercase", 'Subject: upper\nMIME-Version: 1.0\nContent-Type: TEXT/PLAIN; CHARSET="UTF-8"\nContent-Transfer-Encoding: QUOTED-PRINTABLE\n', "Gr=C3=BC=C3=9Fe\n")
msg("unknown-transfer-encoding", "Subject: x-foo cte\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: x-foo\n", "encoded somehow\n")
msg("cte-with-space", "Subject: cte space\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding:  Base64 \n", b64lines("spaced cte ✓".encode()) + "\n")
msg("cte-with-comment", "Subject: cte comment\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit (as sent)\n", "a comment after the token\n")
msg("cte-leading-comment-base64", "Subject: cte leading comment\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: (sent as) base64\n", b64lines("commented base64 ✓".encode()) + "\n")
msg("cte-qp-semicolon", "Subject: cte semicolon\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable;\n", "caf=C3=A9 au lait\n")
msg("html-only", "Subject: html only\nContent-Type: text/html; charset=utf-8\n", "<html><body><p>only html &amp; nothing else</p></body></html>\n")
msg("alternative-html-first", "Subject: html first\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=ALT\n", mp("ALT", ["Content-Type: text/html; charset=utf-8\n\n<p>html</p>", PLAIN + "\nplain"]))
msg("text-attachment-not-body", MIXED, mp("BND", [att("text/plain", 'attachment; filename="notes.txt"', b"attached notes\n"), "Content-Type: text/html; charset=utf-8\n\n<p>the html body</p>"]))
msg("text-after-attachment", MIXED, mp("BND", [att("application/pdf", 'attachment; filename="first.pdf"', PDF), PLAIN + "\nbody comes second"]))
msg("multipart-digest", 'Subject: digest\nMIME-Version: 1.0\nContent-Type: multipart/digest; boundary="DIG"\n', mp("DIG", ["\nFrom: a@example.test\nSubject: first digested\n\nfirst digest body", "\nFrom: b@example.test\nSubject: second digested\n\nsecond digest body"]))
msg("message-rfc822-base64", MIXED, mp("BND", [PLAIN + "\nb64 forwarded", "Content-Type: message/rfc822\nContent-Disposition: attachment\nContent-Transfer-Encoding: base64\n\n" + b64lines(b"From: x@example.test\r\nSubject: inside\r\n\r\ninside body\r\n")]))
msg("multiple-subjects", "Subject: first subject\nSubject: second subject\n" + PLAIN, "body\n")
msg("group-syntax", "Subject: group\nCc: undisclosed-recipients:;\nBcc: Friends: a@example.test, =?UTF-8?Q?B=C3=A9a?= <b@example.test>;\n" + PLAIN, "body\n")
msg("address-comments", "Subject: comments\nReply-To: john@example.test (John =?UTF-8?Q?D=C3=B6e?=)\n" + PLAIN, "body\n")
msg("header-name-case", "SUBJECT: shouting\ncontent-type: text/plain; charset=utf-8\n", "lower case header names\n")
msg("qp-binary-attachment", MIXED, mp("BND", [PLAIN + "\nbody", 'Content-Type: application/octet-stream\nContent-Disposition: attachment; filename="qp.bin"\nContent-Transfer-Encoding: quoted-printable\n\n=00=01=02=FF=\n=FE']))
msg("inline-image-with-name", MIXED, mp("BND", [PLAIN + "\nimage inline", att("image/png", 'inline; filename="inline.png"', PNG, "Content-ID: <img1@x>")]))
msg("deep-nesting", MIXED, mp("BND", ['Content-Type: multipart/mixed; boundary="L2"\n\n' + mp("L2", ['Content-Type: multipart/mixed; boundary="L3"\n\n' + mp("L3", [PLAIN + "\ndeep body", att("text/plain", 'attachment; filename="deep.txt"', b"deep\n")])])]))
msg("ew-in-from", "From: =?UTF-8?B?" + b64("Jörg Weiß".encode()) + "?= <joerg@example.test>\nSubject: ew from\n" + PLAIN, "body\n")
msg("ew-in-from-quoted-comma", 'From: "=?UTF-8?Q?M=C3=BCller=2C_J=C3=B6rg?=" <mueller@example.test>\nSubject: quoted comma\n' + PLAIN, "body\n")
msg("from-8bit-display-name", "From: Jörg Weiß <joerg@example.test>\nSubject: 8bit from\n" + PLAIN + "Content-Transfer-Encoding: 8bit\n", "body\n")
msg("ew-in-from-comma-unquoted", "From: =?UTF-8?Q?M=C3=BCller=2C_J=C3=B6rg?= <mueller@example.test>\nSubject: unquoted comma\nCc: =?UTF-8?Q?a=22b?= <ab@example.test>, =?UTF-8?Q?x=3Cy=3E?= <xy@example.test>\n" + PLAIN, "body\n")
msg("duplicate-boundary-params", 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="AAA"; boundary="BBB"\n', mp("AAA", [PLAIN + "\nfirst boundary wins"]) + "--BBB\n" + PLAIN + "\nsecond boundary\n--BBB--\n")
msg("duplicate-content-type", 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Type: text/html; charset=utf-8\n', "<b>which type?</b>\n")
msg("duplicate-filename", MIXED, mp("BND", [PLAIN + "\nbody", att("application/pdf", 'attachment; filename="first.pdf"; filename="second.pdf"', PDF)]))
msg("rfc2231-bad-percent", MIXED, mp("BND", [PLAIN + "\nbody", att("application/pdf", "attachment; filename*=UTF-8''bad%ZZname%C3.pdf", PDF)]))
msg("rfc2231-unknown-charset", MIXED, mp("BND", [PLAIN + "\nbody", att("application/pdf", "attachment; filename*=x-unknown''r%E9sum%E9.pdf", PDF)]))
msg("ew-invalid-utf8", "Subject: =?UTF-8?Q?bad_=FF=FE_bytes?=\n" + PLAIN, "body\n")
msg("message-global", MIXED, mp("BND", [PLAIN + "\nglobal inside", "Content-Type: message/global\nContent-Disposition: attachment\n\nFrom: x@example.test\nSubject: Grüße intern\n\ninner\n"]))
msg("base64-long-lines-whitespace", "Subject: b64 layout\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n", b64("long line base64 without breaks ✓ ".encode() * 6) + "\n  \t\n")
msg("html-with-charset-meta-only", "Subject: meta charset\nContent-Type: text/html\nContent-Transfer-Encoding: 8bit\n", '<html><head><meta charset="utf-8"></head><body>Grüße</body></html>\n')
# --- RFC 5322 comments in MIME fields (RFC 2045 section 5.1 allows CFWS between tokens)
msg("content-type-comments", "Subject: commented type\nContent-Type: text/html (made by Mailer; v2); charset=koi8-r (Cyrillic)\nContent-Transfer-Encoding: 8bit\n", "<p>Привет</p>\n".encode("koi8-r").decode("utf-8", "surrogateescape"))
msg("disposition-comment", MIXED, mp("BND", [att("text/plain", 'attachment (forwarded); filename="notes.txt"', b"attached notes\n"), "Content-Type: text/html; charset=utf-8\n\n<p>the html body</p>"]))
msg("filename-comment-semicolon", MIXED, mp("BND", [PLAIN + "\nsee attached", att("application/pdf; name=a(b;c).pdf", "attachment; filename=a(b;c).pdf; size=76", PDF)]))
# --- address fields beyond RFC 5322's: RFC 8098 section 2.1 Disposition-Notification-To, RFC 9057 section 3 Author
msg("ew-in-other-address-fields", "Subject: other address fields\nDisposition-Notification-To: =?UTF-8?Q?M=C3=BCller=2C_J=C3=B6rg?= <mueller@example.test>\nAuthor: =?UTF-8?Q?a=22b?= <ab@example.test>, =?UTF-8?Q?Ren=C3=A9?= <rene@example.test>\n" + PLAIN, "body\n")
msg("ew-in-addr-spec", "Subject: encoded words in addresses\nReply-To: =?UTF-8?Q?J=C3=B6rg?= <=?UTF-8?Q?a=2C_evil=40x.test?=@example.test>\nCc: =?UTF-8?Q?a=2C_evil=40x.test=2C_b?=@example.test, x@example.test (=?UTF-8?Q?J=C3=B6rg?=)\n" + PLAIN, "body\n")
print(N[0], "messages")
