package dev.convene.example.whiteboard;

import dev.convene.conference.ConferenceEvent;
import dev.convene.conference.ConferenceId;
import dev.convene.conference.ConferenceListener;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.conference.Delivery;
import dev.convene.conference.EventCodec;
import dev.convene.conference.EventType;
import dev.convene.conference.NewConference;
import dev.convene.conference.PublishedEvent;
import dev.convene.overlay.Identity;
import dev.convene.overlay.NetworkMode;
import dev.convene.overlay.OverlayConfig;
import dev.convene.overlay.PeerId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A small shared-whiteboard demo on the public typed-events API, run as a real process by {@code TypedEventsIT}:
 * a durable {@code demo.stroke/1} (a stroke joins the board's history; a late joiner gets it) and an ephemeral
 * {@code demo.cursor/1} (where a participant points now; never stored). It uses the public API only.
 *
 * <p>Usage: {@code Whiteboard NAME HOME PORT CLUSTER [--no-types]}; joins the {@code local} network (127.0.0.1
 * only), reads commands from stdin, one a line, and prints one JSON object a line on stdout: {@code ready},
 * each received event ({@code kind} {@code event}: type, author, id, timestamp, value), each invitation, and
 * each command's result. With {@code --no-types} it registers neither type (it still stores and relays strokes).
 * Commands: {@code create TITLE ID...}, {@code accept CONF}, {@code participants CONF N} (waits for N),
 * {@code draw CONF COUNT} (COUNT strokes and COUNT cursor moves, interleaved), {@code list CONF MIN} (waits until
 * at least MIN strokes are listed, then prints them in canonical order), {@code stats}, {@code quit}.
 */
public final class Whiteboard {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** What a stroke or a cursor value may contain: a short printable token. */
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9:,#._-]{1,64}");

    /** Short printable ASCII values; decoding rejects anything else (the bytes come from other peers). */
    static final EventCodec<String> TOKEN = new EventCodec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            try {
                String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
                if (!VALUE.matcher(s).matches()) throw new IllegalArgumentException("not a whiteboard token");
                return s;
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("not UTF-8", e);
            }
        }
    };
    /** A stroke: durable, in the history order. */
    static final EventType<String> STROKE = EventType.of("demo.stroke", 1, TOKEN, Delivery.DURABLE).withLimits(64, 50);
    /** A cursor position: ephemeral, to the participants online now. */
    static final EventType<String> CURSOR = EventType.of("demo.cursor", 1, TOKEN, Delivery.EPHEMERAL).withLimits(64, 50);

    private Whiteboard() {
    }

    /**
     * Runs the demo until {@code quit} or the end of stdin.
     *
     * @param args NAME HOME PORT CLUSTER [--no-types]
     * @throws Exception on a failed command (the process then exits non-zero)
     */
    public static void main(String[] args) throws Exception {
        String name = args[0];
        Path home = Path.of(args[1]);
        boolean types = !(args.length > 4 && args[4].equals("--no-types"));
        OverlayConfig config = OverlayConfig.builder(name).mode(NetworkMode.LOCAL).bindAddress("127.0.0.1")
                .port(Integer.parseInt(args[2])).cluster(args[3]).home(home).build();
        ConferencePeer.Builder builder = ConferencePeer.builder(config, Identity.loadOrCreate(home))
                .listener(new ConferenceListener() {
                    @Override
                    public void invitation(ConferenceView conference, PeerId inviter) {
                        print(line("invitation", "conference", conference.id().toString()));
                    }
                });
        if (types) builder.eventType(STROKE).eventType(CURSOR);
        try (ConferencePeer peer = builder.start()) {
            if (types) {
                peer.onEvent(STROKE, Whiteboard::received);
                peer.onEvent(CURSOR, Whiteboard::received);
            }
            print(line("ready", "id", peer.self().value()));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command; (command = in.readLine()) != null; ) {
                String[] w = command.trim().split("\\s+");
                if (w[0].equals("quit")) break;
                run(peer, w);
            }
        }
        print(line("closed"));
    }

    private static void run(ConferencePeer peer, String[] w) throws Exception {
        switch (w[0]) {
            case "create" -> {
                List<PeerId> invitees = new ArrayList<>();
                for (int i = 2; i < w.length; i++) {
                    PeerId id = PeerId.parse(w[i]);
                    peer.awaitOnline(id, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    invitees.add(id);
                }
                ConferenceView v = peer.create(NewConference.titled(w[1]).standing().invite(invitees))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                print(line("created", "conference", v.id().toString()));
            }
            case "accept" -> {
                peer.accept(ConferenceId.parse(w[1])).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                print(line("accepted"));
            }
            case "participants" -> {
                ConferenceId conf = ConferenceId.parse(w[1]);
                int n = Integer.parseInt(w[2]);
                until(() -> peer.conference(conf).map(v -> v.participants().size() >= n).orElse(false), "participants");
                print(line("participants", "count", peer.conference(conf).orElseThrow().participants().size()));
            }
            case "draw" -> {
                ConferenceId conf = ConferenceId.parse(w[1]);
                int count = Integer.parseInt(w[2]);
                List<CompletableFuture<?>> acks = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    PublishedEvent<String> stroke = peer.publish(conf, STROKE, peer.name() + "#" + i)
                            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    acks.add(stroke.acknowledged());
                    peer.publish(conf, CURSOR, i + "," + (i * 7 % 100)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    Thread.sleep(50); // within the types' 50 a second, so no publish is refused for rate
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                print(line("drawn", "count", count));
            }
            case "list" -> {
                ConferenceId conf = ConferenceId.parse(w[1]);
                int min = Integer.parseInt(w[2]);
                until(() -> peer.events(conf, STROKE).size() >= min, "strokes");
                List<String> events = peer.events(conf, STROKE).stream().map(e -> json(event(e))).toList();
                print("{\"kind\":\"listed\",\"events\":[" + String.join(",", events) + "]}");
            }
            case "stats" -> print(line("stats", "unknown-type", peer.eventStats().unknownType()));
            default -> throw new IllegalArgumentException("unknown command " + w[0]);
        }
    }

    private static void until(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    private static void received(ConferenceEvent<String> e) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("kind", "event");
        o.putAll(event(e));
        print(json(o));
    }

    /** An event's fields: type, author, id, timestamp (HLC wall milliseconds "." counter) and value. */
    private static Map<String, Object> event(ConferenceEvent<String> e) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("type", e.type().key());
        o.put("author", e.author().value());
        o.put("id", e.id().toString());
        o.put("timestamp", e.timestamp().wallMillis() + "." + e.timestamp().counter());
        o.put("value", e.value());
        return o;
    }

    private static String line(String kind, Object... fields) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("kind", kind);
        for (int i = 0; i < fields.length; i += 2) o.put((String) fields[i], fields[i + 1]);
        return json(o);
    }

    /** One JSON object of strings and numbers. */
    private static String json(Map<String, Object> fields) {
        StringBuilder b = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (b.length() > 1) b.append(',');
            b.append(quote(k)).append(':').append(v instanceof Number ? v.toString() : quote(String.valueOf(v)));
        });
        return b.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private static void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
