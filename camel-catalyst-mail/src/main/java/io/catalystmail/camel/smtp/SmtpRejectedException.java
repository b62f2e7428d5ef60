package io.catalystmail.camel.smtp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message was refused and definitely NOT sent: the server rejected MAIL FROM, every recipient, DATA or the
 * content, or the session refused it before submitting (too large, needs SMTPUTF8 the server lacks). Safe to
 * retry when {@link #isTransient()}.
 */
public class SmtpRejectedException extends SmtpException {

    private final boolean transientFailure;
    private final transient Map<String, SmtpReply> rejectedRecipients;

    /** A refusal whose permanence follows the reply code (4xx transient); permanent when there is no reply. */
    public SmtpRejectedException(String message, String command, SmtpReply reply) {
        this(message, command, reply, reply != null && reply.isTransientFailure(), Map.of());
    }

    public SmtpRejectedException(String message, String command, SmtpReply reply, boolean transientFailure,
            Map<String, SmtpReply> rejectedRecipients) {
        super(message, command, reply);
        this.transientFailure = transientFailure;
        this.rejectedRecipients = Collections.unmodifiableMap(new LinkedHashMap<>(rejectedRecipients));
    }

    /** True for a temporary refusal (4xx): trying again later may succeed. */
    public boolean isTransient() {
        return transientFailure;
    }

    /** Each refused recipient with the server's reply, in envelope order, when the refusal was about recipients. */
    public Map<String, SmtpReply> rejectedRecipients() {
        return rejectedRecipients;
    }
}
