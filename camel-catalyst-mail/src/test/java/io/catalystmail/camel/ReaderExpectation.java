package io.catalystmail.camel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.Message;
import org.apache.camel.attachment.Attachment;
import org.apache.camel.attachment.AttachmentMessage;

/**
 * What a mature reader makes of a message of the real-world corpus (src/test/resources/messages/real-world), read
 * from the NAME.expected file written by expectations.py there: the body, the attachments by name and SHA-256, and
 * where catalystmail deliberately differs, its own body and charset-fallback header. {@link #mismatches} compares a
 * mapped Camel message with it.
 */
public record ReaderExpectation(String message, String category, String body, String charsetFallback,
        List<ExpectedAttachment> attachments) {

    /** The corpus folder, relative to the module (where Maven runs the tests). */
    public static final Path CORPUS = Path.of("src/test/resources/messages/real-world");

    /** An attachment by file name ("*" when the reader gives none: any generated name will do) and content hash. */
    public record ExpectedAttachment(String name, String sha256) {
    }

    /** Every message of the corpus, by file name, sorted. */
    public static List<String> corpus() {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String message) {
        try {
            return Files.readAllBytes(CORPUS.resolve(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ReaderExpectation of(String message) {
        Path file = CORPUS.resolve(message.replaceFirst("\\.eml$", ".expected"));
        String category = null;
        String readerBody = null;
        String oursBody = null;
        String fallback = null;
        List<ExpectedAttachment> attachments = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int colon = line.indexOf(": ");
                if (line.startsWith("#") || colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon);
                String value = line.substring(colon + 2);
                switch (key) {
                    case "category" -> category = value;
                    case "reader-body" -> readerBody = unescape(value);
                    case "ours-body" -> oursBody = unescape(value);
                    case "ours-charset-fallback" -> fallback = value;
                    case "reader-attachment" -> {
                        String[] fields = value.split(" ");
                        String sha = fields[fields.length - 2].substring("sha256=".length());
                        String name = String.join(" ", List.of(fields).subList(0, fields.length - 2));
                        attachments.add(new ExpectedAttachment(name, sha));
                    }
                    default -> {
                        // reader-body-type, reader-defects, ours-why: for the human reader
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String body = oursBody != null ? oursBody : readerBody;
        if (body == null) {
            throw new IllegalStateException(file + " names no body; a message without one does not belong in this corpus");
        }
        return new ReaderExpectation(message, category, body, fallback, List.copyOf(attachments));
    }

    /** This expectation with {@code suffix} after the body: for a server that appended to the message. */
    public ReaderExpectation withBodySuffix(String suffix) {
        return new ReaderExpectation(message, category, body + suffix, charsetFallback, attachments);
    }

    /** What differs between {@code mapped} and this expectation; empty when they agree. */
    public List<String> mismatches(Message mapped) {
        List<String> problems = new ArrayList<>();
        if (!body.equals(mapped.getBody(String.class))) {
            problems.add(message + ": body " + quoted(mapped.getBody(String.class)) + ", expected " + quoted(body));
        }
        Object header = mapped.getHeader(CatalystMailConstants.CHARSET_FALLBACK);
        if (charsetFallback == null ? header != null : !charsetFallback.equals(header)) {
            problems.add(message + ": " + CatalystMailConstants.CHARSET_FALLBACK + " " + header + ", expected " + charsetFallback);
        }
        Map<String, Attachment> ours = mapped instanceof AttachmentMessage a ? a.getAttachmentObjects() : Map.of();
        List<String> actual = new ArrayList<>();
        for (Map.Entry<String, Attachment> entry : ours.entrySet()) {
            actual.add(entry.getKey() + " sha256=" + sha256(entry.getValue()));
        }
        List<String> expected = attachments.stream().map(a -> a.name() + " sha256=" + a.sha256()).toList();
        boolean same = actual.size() == expected.size();
        for (int i = 0; same && i < actual.size(); i++) {
            ExpectedAttachment want = attachments.get(i);
            same = want.name().equals("*") ? actual.get(i).endsWith(" sha256=" + want.sha256()) : actual.get(i).equals(expected.get(i));
        }
        if (!same) {
            problems.add(message + ": attachments " + actual + ", expected " + expected);
        }
        return problems;
    }

    private static String quoted(String text) {
        return text == null ? "null" : "\"" + text.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    private static String sha256(Attachment attachment) {
        try (InputStream in = attachment.getDataHandler().getInputStream()) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Undoes expectations.py's escape(): \\, \r, \n, \t and \\uXXXX. */
    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
