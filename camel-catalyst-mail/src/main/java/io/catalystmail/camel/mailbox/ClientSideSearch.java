package io.catalystmail.camel.mailbox;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import io.catalystmail.camel.mailbox.SearchKey.DateComparison;

/**
 * Evaluates a {@link SearchKey} against {@link MessageFacts}, for servers that cannot search (POP3).
 *
 * <p>Dates: a calendar day compares the message's day, as RFC 3501 does ("disregarding time and timezone"; the
 * Date header's own day, the arrival date's UTC day). A relative moment such as {@code now-24h} compares the
 * exact instant, which IMAP cannot (it is sent there as a day). BEFORE/ON/SINCE use the arrival date and fall
 * back to the Date header when the protocol has none (POP3). A missing or unreadable Date never matches.
 */
final class ClientSideSearch {

    private final MessageFacts facts;
    private final Instant now;

    ClientSideSearch(MessageFacts facts, Instant now) {
        this.facts = facts;
        this.now = now;
    }

    boolean matches(SearchKey key) {
        if (key instanceof SearchKey.All) {
            return true;
        } else if (key instanceof SearchKey.And and) {
            return and.keys().stream().allMatch(this::matches);
        } else if (key instanceof SearchKey.Or or) {
            return matches(or.left()) || matches(or.right());
        } else if (key instanceof SearchKey.Not not) {
            return !matches(not.key());
        } else if (key instanceof SearchKey.HeaderContains h) {
            return anyContains(facts.headerValues(h.field()), h.value());
        } else if (key instanceof SearchKey.TextContains t) {
            return text(t);
        } else if (key instanceof SearchKey.DateKey d) {
            return date(d);
        } else if (key instanceof SearchKey.SizeKey s) {
            return facts.size() >= 0 && (s.larger() ? facts.size() > s.octets() : facts.size() < s.octets());
        } else {
            SearchKey.FlagKey f = (SearchKey.FlagKey) key;
            return facts.flags().stream().anyMatch(x -> x.equalsIgnoreCase(f.flag())) == f.set();
        }
    }

    private boolean text(SearchKey.TextContains t) {
        String body = facts.bodyText();
        if (body == null) {
            throw new IllegalStateException("BODY/TEXT needs the message body, which was not read");
        }
        return contains(body, t.value()) || (t.includeHeaders() && anyContains(facts.headerLines(), t.value()));
    }

    private boolean date(SearchKey.DateKey d) {
        Instant arrival = d.field() == SearchKey.DateField.INTERNAL ? facts.arrivalDate() : null;
        OffsetDateTime when;
        if (arrival != null) {
            when = arrival.atOffset(ZoneOffset.UTC);
        } else {
            List<String> dates = facts.headerValues("Date");
            when = dates.isEmpty() ? null : DateHeader.parse(dates.get(0));
            if (when == null) {
                return false;
            }
        }
        if (d.value() instanceof SearchKey.RelativeToNow relative) {
            Instant moment = relative.moment(now);
            Instant instant = when.toInstant();
            return switch (d.comparison()) {
                case BEFORE -> instant.isBefore(moment);
                case SINCE -> !instant.isBefore(moment);
                case ON -> LocalDate.ofInstant(instant, ZoneOffset.UTC).equals(relative.day(now));
            };
        }
        return compareDays(when.toLocalDate(), d.comparison(), d.value().day(now));
    }

    private static boolean compareDays(LocalDate day, DateComparison comparison, LocalDate wanted) {
        return switch (comparison) {
            case BEFORE -> day.isBefore(wanted);
            case ON -> day.equals(wanted);
            case SINCE -> !day.isBefore(wanted);
        };
    }

    private static boolean anyContains(List<String> values, String wanted) {
        return values.stream().anyMatch(v -> contains(v, wanted));
    }

    private static boolean contains(String value, String wanted) {
        return value.toLowerCase(Locale.ROOT).contains(wanted.toLowerCase(Locale.ROOT));
    }
}
