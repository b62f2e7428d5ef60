package io.catalystmail.camel.testsupport;

import java.io.StringWriter;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything the component logs (category and message per line) while it is open; for asserting log lines. */
public final class CapturedLog implements AutoCloseable {

    private static final String NAME = "captured";

    private final StringWriter target = new StringWriter();
    private final Appender appender;

    public CapturedLog() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        appender = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%p|%c|%m%n").build(), null,
                target, NAME, false, true);
        appender.start();
        config.addAppender(appender);
        config.getLoggerConfig("io.catalystmail").addAppender(appender, Level.DEBUG, null);
        ctx.updateLoggers();
    }

    public String text() {
        synchronized (target) {
            return target.toString();
        }
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getLoggerConfig("io.catalystmail").removeAppender(NAME);
        ctx.updateLoggers();
        appender.stop();
    }
}
