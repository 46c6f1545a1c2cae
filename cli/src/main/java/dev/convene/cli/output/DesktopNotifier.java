package dev.convene.cli.output;

import dev.convene.cli.terminal.Safe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Desktop notifications ({@code --desktop-notifications}, off by default) through {@code notify-send},
 * where it is installed: for what rings the bell ({@link Notifications#rings}). One notification at a time,
 * on a thread of its own; one that comes while another is being sent is dropped rather than queued, so a
 * burst of mentions can never pile up processes.
 */
public final class DesktopNotifier {
    private static final Logger log = LoggerFactory.getLogger(DesktopNotifier.class);
    /** How long {@code notify-send} may take. */
    private static final long TIMEOUT_SECONDS = 5;

    private final Path command;
    private final AtomicBoolean busy = new AtomicBoolean();

    DesktopNotifier(Path command) {
        this.command = command;
    }

    /** {@code notify-send} from {@code PATH}, if there is one. */
    public static Optional<DesktopNotifier> find(String path) {
        if (path == null) return Optional.empty();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "notify-send");
            if (Files.isExecutable(candidate)) return Optional.of(new DesktopNotifier(candidate));
        }
        return Optional.empty();
    }

    /** The notification's summary and body for {@code event}, shown safely; empty for events that do not notify. */
    static Optional<List<String>> text(Event event) {
        if (event instanceof Event.Invitation i) {
            return Optional.of(List.of("Convene: invitation", Safe.line(i.inviter().name()) + " invites you to '" + Safe.line(i.title()) + "'"));
        }
        if (event instanceof Event.ConferenceStarted s) return Optional.of(List.of("Convene: starting", "'" + Safe.line(s.title()) + "' is live"));
        if (event instanceof Event.Message m) {
            return Optional.of(List.of("Convene: " + Safe.line(m.from().name()) + " in '" + Safe.line(m.title()) + "'", Safe.line(m.text())));
        }
        return Optional.empty();
    }

    /** Sends a notification for {@code event} unless one is being sent. */
    void notify(Event event) {
        Optional<List<String>> text = text(event);
        if (text.isEmpty() || !busy.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                Process p = new ProcessBuilder(command.toString(), "--app-name=convene", "--", text.get().get(0), text.get().get(1))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (IOException e) {
                log.debug("cannot send a desktop notification: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                busy.set(false);
            }
        }, "convene-desktop-notification");
        t.setDaemon(true);
        t.start();
    }
}
