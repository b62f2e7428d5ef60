package io.catalystmail.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A mail-processing Spring Boot application. Everything it does is in application.yaml and the YAML routes it
 * names: save the attachments of incoming mail to a folder, send a notification for each mail. Without a profile
 * it talks to an embedded GreenMail ({@link EmbeddedMailServer}); with the {@code real} profile to the servers
 * named by environment variables.
 */
@SpringBootApplication
public class MailExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(MailExampleApplication.class, args);
    }
}
