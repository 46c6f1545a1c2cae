package dev.convene.overlay;

import dev.convene.overlay.TestMessages.Note;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Note} handler that records what arrives, from whom and on which thread, for tests to wait on.
 * Notes whose text is {@value #REJECT} are refused with {@link RejectedMessageException}; {@value #FAIL}
 * makes the handler throw. Thread-safe. Part of the test-jar.
 */
public final class Inbox implements MessageHandler<Note> {
    /** Text that the handler refuses. */
    public static final String REJECT = "reject me";
    /** Text that makes the handler fail. */
    public static final String FAIL = "fail me";

    /**
     * One delivered note.
     *
     * @param from the verified sender
     * @param note the note
     * @param thread the name of the thread the handler ran on
     */
    public record Received(PeerId from, Note note, String thread) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(PeerId from, Note note) {
        if (note.text().equals(REJECT)) throw new RejectedMessageException("refused by the test");
        if (note.text().equals(FAIL)) throw new IllegalStateException("handler failure for the test");
        received.add(new Received(from, note, Thread.currentThread().getName()));
    }

    /** Everything delivered so far, in order. */
    public List<Received> all() {
        return List.copyOf(received);
    }

    /** The notes from one sender, in order. */
    public List<Note> from(PeerId sender) {
        return received.stream().filter(r -> r.from().equals(sender)).map(Received::note).toList();
    }

    /** True once a note with this text arrived from {@code sender}. */
    public boolean has(PeerId sender, String text) {
        return received.stream().anyMatch(r -> r.from().equals(sender) && r.note().text().equals(text));
    }

    /** Waits until a note with this text arrived from {@code sender}. */
    public void await(Duration timeout, PeerId sender, String text) {
        TestCluster.awaitCondition(timeout, () -> has(sender, text),
                () -> "no '" + text + "' from " + sender.shortId() + "; got " + received.size() + " notes");
    }
}
