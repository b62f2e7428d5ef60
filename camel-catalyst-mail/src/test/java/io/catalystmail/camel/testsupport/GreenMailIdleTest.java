package io.catalystmail.camel.testsupport;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GreenMailIdle reads a private field of GreenMail's: when an upgrade removes it, the tests say so at once. */
class GreenMailIdleTest {

    /** A folder of some later GreenMail: its listeners elsewhere. */
    static final class ChangedFolder {
        final List<Object> listeners = new ArrayList<>();
    }

    static class Folder {
        @SuppressWarnings("unused") // read by reflection, as GreenMail's own
        private final List<Object> _mailboxListeners = new ArrayList<>();
    }

    static final class InboxFolder extends Folder {
    }

    @Test
    void aFolderWithoutTheListenerListFailsNamingWhatWasLookedFor() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GreenMailIdle.listeners(new ChangedFolder()));
        assertTrue(e.getMessage().contains("private List field _mailboxListeners of GreenMail's folder to see the"
                + " IdleFolderListener") && e.getMessage().contains(ChangedFolder.class.getName()), e.getMessage());
    }

    @Test
    void theListIsFoundInAClassAboveTheFolders() throws Exception {
        InboxFolder inbox = new InboxFolder();
        java.lang.reflect.Field field = Folder.class.getDeclaredField("_mailboxListeners");
        field.setAccessible(true);
        assertSame(field.get(inbox), GreenMailIdle.listeners(inbox));
    }
}
