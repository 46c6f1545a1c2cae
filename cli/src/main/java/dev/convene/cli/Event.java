package dev.convene.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.convene.overlay.PeerAdvertisement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code convene} tells the user, one event at a time, through an {@link EventWriter}. With
 * {@code --json} each event is one JSON object: {@code "event"} (its {@code NAME}), {@code "at"}, then the
 * record's components (null ones left out). Without it, {@link #human()} is printed.
 *
 * <p>To add an event: add a record here with a {@code static final String NAME}, and document it with an
 * example in docs/EVENTS.md ({@code EventsDocumentedTest} fails until you do). Field names are stable once
 * published; add fields rather than rename them.
 */
sealed interface Event {
    /** The value of the {@code "event"} field. */
    String type();

    /** The text shown without {@code --json}; may span lines; empty means print nothing. */
    String human();

    /** This peer is up: who it is and where it listens. {@code convene router} sends one too (no id). */
    record Ready(String id, String name, String fingerprint, String network, String address, String cluster) implements Event {
        static final String NAME = "ready";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            if (id == null) return name + " listening on " + address + " (" + network + ")";
            return name + " (" + PeerView.shortId(id) + ") is online: " + network + " network, group '" + cluster + "', listening on "
                    + address + ", key fingerprint " + fingerprint;
        }
    }

    /** A peer's signed advertisement was verified and it is online. */
    record PeerJoined(String id, String name, String endpoint, String fingerprint) implements Event {
        static final String NAME = "peer-joined";

        static PeerJoined of(PeerAdvertisement ad) {
            return new PeerJoined(ad.id().value(), ad.name(), ad.endpoint(), ad.fingerprint());
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "+ " + name + " (" + PeerView.shortId(id) + ") joined from " + endpoint;
        }
    }

    /** A peer left: said goodbye, crashed, or was cut off. */
    record PeerLeft(String id, String name, String endpoint, String fingerprint) implements Event {
        static final String NAME = "peer-left";

        static PeerLeft of(PeerAdvertisement ad) {
            return new PeerLeft(ad.id().value(), ad.name(), ad.endpoint(), ad.fingerprint());
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "- " + name + " (" + PeerView.shortId(id) + ") left";
        }
    }

    /**
     * A command succeeded.
     *
     * @param command the command name ({@code peers}, {@code wait}, {@code identity}, …)
     * @param line the script or session line it came from, or null
     * @param data what it produced (a record or map, serialised by Jackson)
     * @param text the human form
     */
    record Result(String command, Integer line, Object data, @JsonIgnore String text) implements Event {
        static final String NAME = "result";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return text;
        }
    }

    /**
     * Something failed. Also printed as one line on stderr.
     *
     * @param message what happened and what to do next
     * @param line the script or session line, or null
     * @param source the script ({@code -} for stdin), or null outside scripts
     */
    record ErrorReport(String message, Integer line, String source) implements Event {
        static final String NAME = "error";

        @Override
        public String type() {
            return NAME;
        }

        /** The stderr form: {@code script.txt:4: message}. */
        @Override
        public String human() {
            return line != null && source != null ? source + ":" + line + ": " + message : "convene: " + message;
        }
    }

    /** {@code convene demo} finished a step: what it did and what each peer saw. */
    record DemoStep(int step, int of, String title, boolean passed, List<String> details) implements Event {
        static final String NAME = "demo-step";

        public DemoStep {
            details = List.copyOf(details);
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            String head = "step " + step + "/" + of + ": " + title + (passed ? "" : "  FAILED");
            return details.isEmpty() ? head : head + details.stream().map(d -> "\n  " + d).collect(Collectors.joining());
        }
    }

    /** {@code convene router}: a peer registered with this router. */
    record RouterClientJoined(String group, String name, String address, String from) implements Event {
        static final String NAME = "router-client-joined";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "+ " + name + " (" + address + ") joined group '" + group + "' from " + from;
        }
    }

    /** {@code convene router}: a registered peer unregistered or its connection closed. */
    record RouterClientLeft(String group, String name, String address) implements Event {
        static final String NAME = "router-client-left";

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public String human() {
            return "- " + name + " (" + address + ") left group '" + group + "'";
        }
    }
}
