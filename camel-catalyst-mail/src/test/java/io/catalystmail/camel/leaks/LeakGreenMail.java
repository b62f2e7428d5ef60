package io.catalystmail.camel.leaks;

import java.util.Arrays;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;

/** The GreenMail of a leak test class: the servers it needs on free ports, one user whose password is "s3cret". */
final class LeakGreenMail {

    static final String PASSWORD = "s3cret";

    private LeakGreenMail() {
    }

    static GreenMailExtension with(String email, String login, ServerSetup... servers) {
        ServerSetup[] onFreePorts = Arrays.stream(servers).map(ServerSetup::dynamicPort).toArray(ServerSetup[]::new);
        return new GreenMailExtension(onFreePorts)
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(email, login, PASSWORD));
    }
}
