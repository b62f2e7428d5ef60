package io.catalystmail.examples.boot;

import java.nio.charset.StandardCharsets;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The demo's mail server: an embedded GreenMail with the accounts application.yaml names, and one mail with an
 * attachment already waiting in the inbox so that a run shows the routes at work. Not active under the
 * {@code real} profile.
 */
@Configuration(proxyBeanMethods = false)
@Profile("!real")
public class EmbeddedMailServer {

    @Bean(destroyMethod = "stop")
    public GreenMail greenMail(@Value("${mail.host}") String host, @Value("${mail.smtp-port}") int smtpPort,
            @Value("${mail.imap-port}") int imapPort, @Value("${mail.inbox.address}") String inbox,
            @Value("${camel.component.catalystmail.username}") String user,
            @Value("${camel.component.catalystmail.password}") String password,
            @Value("${mail.notify}") String notify) throws Exception {
        GreenMail server = new GreenMail(new ServerSetup[] { new ServerSetup(smtpPort, host, ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imapPort, host, ServerSetup.PROTOCOL_IMAP) });
        server.start();
        server.setUser(inbox, user, password).deliver(sampleInvoice(server, inbox));
        server.setUser(notify, notify, password);
        return server;
    }

    private static MimeMessage sampleInvoice(GreenMail server, String inbox) throws Exception {
        MimeMessage message = new MimeMessage(server.getSmtp().createSession());
        message.setFrom(new InternetAddress("billing@supplier.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(inbox));
        message.setSubject("Invoice 2024-0815");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Please find the invoice attached.", "UTF-8");
        MimeBodyPart invoice = new MimeBodyPart();
        invoice.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(
                "invoice,2024-0815,EUR 42.00\n".getBytes(StandardCharsets.UTF_8), "text/csv")));
        invoice.setFileName("invoice-2024-0815.csv");
        message.setContent(new MimeMultipart(text, invoice));
        message.saveChanges();
        return message;
    }
}
