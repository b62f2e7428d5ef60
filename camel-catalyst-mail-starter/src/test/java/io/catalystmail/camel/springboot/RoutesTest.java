package io.catalystmail.camel.springboot;

import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Mail sent and received through routes of both kinds a Boot application has: YAML routes found by
 * camel.main.routes-include-pattern and a Java RouteBuilder bean. Each route sends what the other kind receives,
 * over SMTP and IMAP of the embedded GreenMail, with the credentials and sender taken from
 * camel.component.catalystmail.*.
 */
@SpringBootTest(classes = { TestApplication.class, RoutesTest.JavaRoutes.class }, properties = {
        "camel.main.routes-include-pattern=classpath:routes/mail-routes.yaml",
        "camel.component.catalystmail.from=app@example.test",
})
class RoutesTest {

    @DynamicPropertySource
    static void mailServer(DynamicPropertyRegistry registry) {
        TestMailServer.credentials(registry);
    }

    @TestConfiguration
    static class JavaRoutes {
        @Bean
        RouteBuilder javaMailRoutes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:java-send").routeId("java-send")
                            .to("catalystmail:smtp:localhost:{{test.smtp-port}}?to=app@example.test"
                                + "&subject=sent by the Java route");
                    from("catalystmail:imap:localhost:{{test.imap-port}}?delay=200"
                         + "&searchSubject=sent by the YAML route").routeId("java-receive")
                            .to("mock:java-received");
                }
            };
        }
    }

    @Autowired
    ProducerTemplate producer;

    @EndpointInject("mock:yaml-received")
    MockEndpoint yamlReceived;

    @EndpointInject("mock:java-received")
    MockEndpoint javaReceived;

    @Test
    void theYamlRouteSendsAndTheJavaRouteReceives() throws Exception {
        javaReceived.expectedBodiesReceived("hello from YAML");
        javaReceived.expectedHeaderReceived("From", "app@example.test");
        producer.sendBody("direct:yaml-send", "hello from YAML");
        javaReceived.assertIsSatisfied(20_000);
    }

    @Test
    void theJavaRouteSendsAndTheYamlRouteReceives() throws Exception {
        yamlReceived.expectedBodiesReceived("hello from Java");
        yamlReceived.expectedHeaderReceived("Subject", "sent by the Java route");
        producer.sendBody("direct:java-send", "hello from Java");
        yamlReceived.assertIsSatisfied(20_000);
    }
}
