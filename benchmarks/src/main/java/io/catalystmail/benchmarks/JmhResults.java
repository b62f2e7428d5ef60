package io.catalystmail.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts the text report of a JMH run ({@code -rf text}) into the results file, with the machine it ran on.
 * Arguments: the JMH report, the results file.
 */
public final class JmhResults {

    private JmhResults() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: JmhResults JMH_TEXT_REPORT RESULTS_FILE");
            System.exit(2);
        }
        String report = Files.readString(Path.of(args[0])).strip();
        ResultsFile.writeSection(Path.of(args[1]), "jmh", "## MIME microbenchmarks (JMH)\n\n"
                + "- Date: " + ResultsFile.now() + "\n"
                + ResultsFile.machineAndJvm()
                + "- Command: `benchmarks/run.sh --jmh`\n\n"
                + "```\n" + report + "\n```\n\n");
        System.out.println("Written to " + args[1]);
    }
}
