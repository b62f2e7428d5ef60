/**
 * SMTP submission, free of Camel: {@link io.catalystmail.camel.smtp.SmtpSession} opens a connection (implicit
 * TLS or STARTTLS through {@code TlsSockets}, EHLO, AUTH) and runs one transaction per message, pipelined when
 * the server offers PIPELINING, with SIZE, 8BITMIME, SMTPUTF8 and DSN parameters as the server allows.
 *
 * <p>Layers, bottom up: {@code SmtpConnection} (Commons Net {@code SocketClient} for the socket and its
 * timeouts, the project's own reply reader and command writer above it), {@code SmtpReplyReader} (replies from
 * bytes), {@code DotStuffingOutputStream} (DATA transparency, CRLF-only output against SMTP smuggling),
 * {@code SmtpAuthentication} (SASL over AUTH by reply code), {@code MailTransaction} (MAIL/RCPT/DATA).
 *
 * <p>Outcomes a caller must tell apart: {@link io.catalystmail.camel.smtp.SmtpRejectedException} (not sent, the
 * session stays usable), {@link io.catalystmail.camel.smtp.SmtpUncertainDeliveryException} (the connection failed
 * after the final dot: maybe sent, do not blindly retry), any other {@link io.catalystmail.camel.smtp.SmtpException}
 * (not sent, session broken), and a {@link io.catalystmail.camel.smtp.SubmissionResult} with some recipients
 * refused.
 */
package io.catalystmail.camel.smtp;
