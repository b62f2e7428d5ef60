package io.catalystmail.camel.faults;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The failure-guarantees page lists every cell of the fault matrix: a cell added to a test without a row in the
 * table (or renamed) fails here.
 */
class FailureGuaranteesDocumentationTest {

    private static final Path PAGE = Path.of("..", "src-docs", "modules", "ROOT", "pages", "failure-guarantees.adoc");

    @Test
    void everyCellHasARow() throws Exception {
        String page = Files.readString(PAGE);
        List<String> missing = new ArrayList<>();
        check(page, "IMAP", ImapFaultMatrixTest.cells(), missing);
        check(page, "POP3", Pop3FaultMatrixTest.cells(), missing);
        check(page, "SMTP", SmtpFaultMatrixTest.cells(), missing);
        for (Method m : SmtpFaultMatrixTest.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Test.class) && !page.contains("`" + m.getName() + "`")) {
                missing.add(m.getName());
            }
        }
        if (!page.contains("ConsumerHealthUnderFaultTest")) {
            missing.add("ConsumerHealthUnderFaultTest");
        }
        for (Class<?> suite : List.of(HostileImapServerTest.class, HostilePop3ServerTest.class,
                HostilePop3OperationsTest.class, HostileSmtpServerTest.class)) {
            for (Method m : suite.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class) && !page.contains("`" + m.getName() + "`")) {
                    missing.add(suite.getSimpleName() + "." + m.getName());
                }
            }
        }
        for (HostileMemoryScenario.Case c : HostileMemoryScenario.Case.values()) {
            if (!page.contains("`" + c.name() + "`")) {
                missing.add("HostileMemoryScenario." + c.name());
            }
        }
        assertEquals(List.of(), missing, "cells without a row in " + PAGE);
    }

    private static void check(String page, String protocol, Stream<Arguments> cells, List<String> missing) {
        cells.map(a -> protocol + " " + a.get()[0] + " " + a.get()[1]).distinct()
                .filter(name -> !page.contains("`" + name + "`"))
                .forEach(missing::add);
    }
}
