package io.catalystmail.camel.springboot;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The Spring Boot application of the tests: auto-configuration only (no component scan), so each test adds just
 * the beans of its own nested configuration.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestApplication {
}
