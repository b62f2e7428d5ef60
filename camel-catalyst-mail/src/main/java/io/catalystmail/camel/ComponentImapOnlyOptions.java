package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

    private ComponentImapOnlyOptions() {
    }

    /**
     * @param ownOptions the option names the endpoint's URI sets, lower case
     */
    static void dropInheritedByPop3(CatalystMailEndpoint endpoint, CatalystMailConfiguration config,
            Set<String> ownOptions) {
        List<String> dropped = new ArrayList<>();
        if (config.isIdle() && !ownOptions.contains("idle")) {
            config.setIdle(false);
            dropped.add("idle");
        }
        if (config.getMoveTo() != null && !ownOptions.contains("moveto")) {
            config.setMoveTo(null);
            dropped.add("moveTo");
        }
        if (config.getCopyTo() != null && !ownOptions.contains("copyto")) {
            config.setCopyTo(null);
            dropped.add("copyTo");
        }
        if (config.getMoveFailedTo() != null && !ownOptions.contains("movefailedto")) {
            config.setMoveFailedTo(null);
            dropped.add("moveFailedTo");
        }
        if (!"INBOX".equalsIgnoreCase(config.getFolder()) && !ownOptions.contains("folder")) {
            config.setFolder("INBOX");
            dropped.add("folder");
        }
        if (config.isIdempotentRemoveOnCommit() && !ownOptions.contains("idempotentremoveoncommit")) {
            // IMAP nodes sharing a repository remove the keys of expunged UIDs; identical POP3 copies may share a UIDL
            config.setIdempotentRemoveOnCommit(false);
            dropped.add("idempotentRemoveOnCommit");
        }
        if (!dropped.isEmpty()) {
            // said when the endpoint is made, before it is known to be consumed from or produced to
            LOG.info("POP3 endpoint {} does not take the component's IMAP-only options {}: it reads INBOX, and a POP3"
                     + " consumer polls on its schedule (RFC 1939 has no folders, no push, and its UIDLs may repeat)",
                    endpoint.getEndpointUri(), dropped);
        }
    }
}
