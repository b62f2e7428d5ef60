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
        try {
            SpringApplication.run(MailExampleApplication.class, args);
        } catch (RuntimeException failed) {
            // Spring Boot has logged why. camel-spring-boot's run controller (camel.main.run-controller, which keeps
            // this application without a web server running) would hold the JVM of a failed start: a supervisor
            // would see a live process that reads no mail. End it with a failure status instead.
            System.exit(1);
        }
    }
}
