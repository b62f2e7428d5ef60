package io.catalystmail.camel.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.MailProtocol;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.metrics.PollSummary;
import io.catalystmail.camel.metrics.SubmissionStatistics;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/**
 * The {@code catalystmail} dev console: per endpoint the server, the connection state, the last poll's summary,
 * UIDVALIDITY, the capabilities the server announced, pool sizes and the running figures. Built from the
 * statistics only, so it never holds a user name, password or token (endpoints are named by protocol, host and
 * port, not by their URI, whose options name the user).
 */
@DevConsole(name = "catalystmail", displayName = "Catalyst Mail",
            description = "Mail endpoints: connections, polls and submissions")
public class CatalystMailDevConsole extends AbstractDevConsole {

    public CatalystMailDevConsole() {
        super("camel", "catalystmail", "Catalyst Mail", "Mail endpoints: connections, polls and submissions");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> endpoint : endpoints()) {
            out.append(endpoint.get("server")).append('\n');
            endpoint.forEach((key, value) -> {
                if (!key.equals("server")) {
                    out.append("    ").append(key).append(": ").append(value).append('\n');
                }
            });
            out.append('\n');
        }
        return out.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> list = new ArrayList<>();
        for (Map<String, Object> endpoint : endpoints()) {
            list.add(new JsonObject(endpoint));
        }
        root.put("endpoints", list);
        return root;
    }

    private List<Map<String, Object>> endpoints() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Endpoint e : getCamelContext().getEndpoints()) {
            if (e instanceof CatalystMailEndpoint mail) {
                out.add(describe(mail));
            }
        }
        return out;
    }

    private static Map<String, Object> describe(CatalystMailEndpoint endpoint) {
        Map<String, Object> row = new LinkedHashMap<>();
        CatalystMailConfiguration c = endpoint.getConfiguration();
        row.put("server", endpoint.serverName());
        row.put("tls", endpoint.implicitTls() ? "implicit" : String.valueOf(c.getStartTls()));
        if (endpoint.getProtocol().kind() == MailProtocol.Kind.SMTP) {
            SubmissionStatistics s = endpoint.submissionStatistics();
            row.put("producers", s.producers());
            row.put("idleSessions", s.idleSessions());
            row.put("capabilities", s.capabilities());
            row.put("messagesSent", s.messagesSent());
            row.put("rejectedRecipients", s.rejectedRecipients());
            row.put("uncertainDeliveries", s.uncertainDeliveries());
            row.put("sendFailures", s.sendFailures());
            row.put("loginFailures", s.loginFailures());
            row.put("lastSent", instant(s.lastSent()));
        } else {
            MailboxStatistics s = endpoint.mailboxStatistics();
            row.put("connection", s.connectionState());
            row.put("capabilities", s.capabilities());
            if (endpoint.getProtocol().kind() == MailProtocol.Kind.IMAP) {
                row.put("uidValidity", s.uidValidity());
                row.put("uidValidityChanges", s.uidValidityChanges());
            }
            row.put("fetchSize", c.getFetchSize());
            row.put("maxMessagesPerPoll", c.getMaxMessagesPerPoll());
            PollSummary last = s.lastSummary();
            row.put("lastPoll", last == null ? "" : last.toString());
            row.put("lastSuccessfulPoll", instant(s.lastSuccessfulPoll()));
            row.put("polls", s.polls());
            row.put("messagesRouted", s.messagesRouted());
            row.put("messagesFailed", s.messagesFailed());
            row.put("messagesSkipped", s.messagesSkipped());
            row.put("messagesTooLarge", s.messagesTooLarge());
            row.put("afterProcessingApplied", s.actionsApplied().toString());
            row.put("afterProcessingRefused", s.actionsRefused().toString());
            row.put("bytesFetched", s.bytesFetched());
            row.put("loginFailures", s.loginFailures());
        }
        return row;
    }

    private static String instant(long epochMillis) {
        return epochMillis == 0 ? "" : Instant.ofEpochMilli(epochMillis).toString();
    }
}
