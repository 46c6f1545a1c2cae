package dev.convene.conference.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.convene.conference.ConferenceId;
import dev.convene.conference.FileOffer;
import dev.convene.conference.MessageId;
import dev.convene.overlay.Identity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Offered file names: what is refused, how a local name is made safe, and the offer's codec. */
class FileNamesTest {
    static final List<String> UNSAFE = List.of("../../x", "..", ".", "", "/etc/passwd", "/", "C:\\x", "C:x", "a/b", "a\\b", "CON",
            "con", "NUL.txt", "aux.tar.gz", "COM1", "lpt9.log", "COM\u00B9", "CONIN$", "a\u0000b", "a\nb", "a\rb", "tab\there",
            "del\u007F", "c1\u0085", "esc\u001B[2J", "rtl\u202Etxt.exe", "zw\u200Bsp", "ls\u2028x", "ends.", "ends ", " starts",
            "what?", "star*", "pipe|", "quote\"", "<lt", "gt>", "\uD800lone", "pu\uE000", "a".repeat(256));

    @Test
    void unsafeNamesAreRefused() {
        for (String name : UNSAFE) {
            assertThat(FileNames.safe(name)).as("'%s'", name).isFalse();
            assertThatThrownBy(() -> FileNames.check(name)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(FileNames.safe(null)).isFalse();
    }

    @Test
    void ordinaryNamesAreKept() {
        for (String name : List.of("report.pdf", "Zoë's notes (draft).txt", ".hidden", "a..b", "CONFIG.SYS", "console.log", "COM10",
                "日本語.txt", "emoji 🎉.png", "a".repeat(255), "é".repeat(127))) {
            assertThat(FileNames.check(name)).isEqualTo(name);
            assertThat(FileNames.sanitise(name)).isEqualTo(name);
        }
    }

    @Test
    void sanitiseMakesEveryNameSafeAndOneElementOfADirectory() {
        Path dir = Path.of("/tmp/downloads");
        for (String name : UNSAFE) {
            String s = FileNames.sanitise(name);
            assertThat(FileNames.safe(s)).as("'%s' -> '%s'", name, s).isTrue();
            assertThat(dir.resolve(s).normalize().getParent()).isEqualTo(dir);
        }
        assertThat(FileNames.sanitise("../../x")).isEqualTo(".._.._x");
        assertThat(FileNames.sanitise("CON")).isEqualTo("_CON");
        assertThat(FileNames.sanitise("")).isEqualTo("file");
        assertThat(FileNames.sanitise("..")).isEqualTo("file");
        assertThat(FileNames.sanitise("a\nb")).isEqualTo("a_b");
        String longName = "x".repeat(300) + ".tar.gz";
        assertThat(FileNames.sanitise(longName)).endsWith(".gz").hasSize(255);
        assertThat(FileNames.sanitise("é".repeat(200)).getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(255);
    }

    @Test
    void numberedNamesStaySafe() {
        assertThat(FileNames.numbered("report.pdf", 2)).isEqualTo("report (2).pdf");
        assertThat(FileNames.numbered("README", 1)).isEqualTo("README (1)");
        assertThat(FileNames.numbered("a".repeat(255), 12).getBytes(StandardCharsets.UTF_8)).hasSize(255);
    }

    @Test
    void offerValuesRoundTripAndDecodingIsStrict() {
        FileCodecs.Value v = new FileCodecs.Value("a b.txt", 1000, FileOffer.DEFAULT_CHUNK_SIZE, "ab".repeat(32), "cd".repeat(32));
        byte[] bytes = FileCodecs.encode(v);
        assertThat(bytes).hasSizeLessThanOrEqualTo(FileCodecs.MAX_BYTES);
        assertThat(FileCodecs.decode(bytes)).isEqualTo(v);
        assertThatThrownBy(() -> FileCodecs.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileCodecs.decode(new byte[1])).isInstanceOf(IllegalArgumentException.class);
        FileCodecs.Value longest = new FileCodecs.Value("a".repeat(255), FileOffer.MAX_SIZE, FileOffer.MAX_CHUNK_SIZE, "ab".repeat(32),
                "cd".repeat(32));
        assertThat(FileCodecs.encode(longest)).hasSize(333);
    }

    @Test
    void anOfferRecordOutOfBoundsNeverExists() {
        Identity alice = Identity.generate();
        ConferenceId c = new ConferenceId("a".repeat(26));
        MessageId id = new MessageId(alice.id(), 1);
        String h = "0".repeat(64);
        assertThat(new FileOffer(c, id, alice.id(), "x", 0, h, FileOffer.MIN_CHUNK_SIZE, h, Instant.EPOCH).chunkCount()).isZero();
        FileOffer o = new FileOffer(c, id, alice.id(), "x", 3 * FileOffer.MIN_CHUNK_SIZE + 1, h, FileOffer.MIN_CHUNK_SIZE, h, Instant.EPOCH);
        assertThat(o.chunkCount()).isEqualTo(4);
        assertThat(o.chunkLength(3)).isEqualTo(1);
        assertThatThrownBy(() -> new FileOffer(c, id, alice.id(), "../x", 1, h, FileOffer.MIN_CHUNK_SIZE, h, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileOffer(c, id, Identity.generate().id(), "x", 1, h, FileOffer.MIN_CHUNK_SIZE, h, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileOffer(c, id, alice.id(), "x", 1, "A".repeat(64), FileOffer.MIN_CHUNK_SIZE, h, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileOffer(c, id, alice.id(), "x", FileOffer.MAX_SIZE + 1, h, FileOffer.MAX_CHUNK_SIZE, h, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileOffer(c, id, alice.id(), "x", (FileOffer.MAX_CHUNKS + 1L) * FileOffer.MIN_CHUNK_SIZE, h,
                FileOffer.MIN_CHUNK_SIZE, h, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileOffer(c, id, alice.id(), "x", 1, h, 3 * FileOffer.MIN_CHUNK_SIZE, h, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
