package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IMAP-only consumer options (idle, moveTo, copyTo, moveFailedTo, folder, idempotentRemoveOnCommit) a POP3 endpoint
 * inherits from the component's configuration without naming them itself.
 * A component option applies to every endpoint, whatever its protocol, and a POP3 consumer refuses these (no IDLE, no
 * folders, RFC 1939): so {@code camel.component.catalystmail.idle=true}, meant for the IMAP routes, stopped the start
 * of any application that also had a POP3 route, with a message that named no route. An inherited value is put back
 * to its default for that endpoint, said once at INFO; the same option in the POP3 endpoint's own URI is still refused.
 */
final class ComponentImapOnlyOptions {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentImapOnlyOptions.class);

    /** One IMAP-only option: its URI name, how it is read and set, and the default a POP3 endpoint gets back. */
    private record ImapOnly<T>(String name, Function<CatalystMailConfiguration, T> getter,
            BiConsumer<CatalystMailConfiguration, T> setter, T defaultValue) {

        /** Set away from its default by the component, not by the endpoint's own URI ({@code ownOptions}). */
        boolean inherited(CatalystMailConfiguration config, Set<String> ownOptions) {
            return !isDefault(getter.apply(config)) && !ownOptions.contains(name.toLowerCase(Locale.ROOT));
        }

        private boolean isDefault(T value) {
            // INBOX names the same folder in any case (RFC 3501 §5.1)
            return value instanceof String text && defaultValue instanceof String inbox
                    ? text.equalsIgnoreCase(inbox) : Objects.equals(value, defaultValue);
        }

        void reset(CatalystMailConfiguration config) {
            setter.accept(config, defaultValue);
        }
    }

    private static final List<ImapOnly<?>> OPTIONS = List.of(
            new ImapOnly<>("idle", CatalystMailConfiguration::isIdle, CatalystMailConfiguration::setIdle, false),
            new ImapOnly<>("moveTo", CatalystMailConfiguration::getMoveTo, CatalystMailConfiguration::setMoveTo, null),
            new ImapOnly<>("copyTo", CatalystMailConfiguration::getCopyTo, CatalystMailConfiguration::setCopyTo, null),
            new ImapOnly<>("moveFailedTo", CatalystMailConfiguration::getMoveFailedTo,
                    CatalystMailConfiguration::setMoveFailedTo, null),
            new ImapOnly<>("folder", CatalystMailConfiguration::getFolder, CatalystMailConfiguration::setFolder,
                    "INBOX"),
            // IMAP nodes sharing a repository remove the keys of expunged UIDs; identical POP3 copies may share a UIDL
            new ImapOnly<>("idempotentRemoveOnCommit", CatalystMailConfiguration::isIdempotentRemoveOnCommit,
                    CatalystMailConfiguration::setIdempotentRemoveOnCommit, false));

    private ComponentImapOnlyOptions() {
    }

    /**
     * @param ownOptions the option names the endpoint's URI sets, lower case
     */
    static void dropInheritedByPop3(CatalystMailEndpoint endpoint, CatalystMailConfiguration config,
            Set<String> ownOptions) {
        List<String> dropped = new ArrayList<>();
        for (ImapOnly<?> option : OPTIONS) {
            if (option.inherited(config, ownOptions)) {
                option.reset(config);
                dropped.add(option.name());
            }
        }
        if (!dropped.isEmpty()) {
            // said when the endpoint is made, before it is known to be consumed from or produced to
            LOG.info("POP3 endpoint {} does not take the component's IMAP-only options {}: it reads INBOX, and a POP3"
                     + " consumer polls on its schedule (RFC 1939 has no folders, no push, and its UIDLs may repeat)",
                    endpoint.getEndpointUri(), dropped);
        }
    }
}
