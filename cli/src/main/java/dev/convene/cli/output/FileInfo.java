package dev.convene.cli.output;

import dev.convene.cli.output.ConferenceInfo.PeerRef;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.FileOffer;
import java.util.Locale;

/**
 * A file offered to a conference as {@code files} lists it and {@code file-offered} and {@code wait file} report it,
 * and the words people see for files: sizes, hash prefixes, the progress bar.
 *
 * @param id the offer, {@code AUTHOR-ID:SEQUENCE} (the offer is an event in its sharer's sequence)
 * @param ref the offer as people name it ({@code bob#3}), which {@code fetch} takes when names clash
 * @param name the file's name
 * @param size its size in bytes
 * @param sha256 the SHA-256 of the whole file, 64 hex digits
 * @param sharer who offered it
 * @param sharedAt when, by the sharer's clock
 * @param here what this peer holds of it: {@code held} (the whole file: shared or fetched here), {@code partial} (the
 *             verified chunks of a fetch not finished) or {@code absent}
 * @param bytesHeld how many of its bytes this peer holds, 0 to {@code size}
 */
public record FileInfo(String id, String ref, String name, long size, String sha256, PeerRef sharer, String sharedAt, String here,
                       long bytesHeld) {
    /** How many hex digits of a SHA-256 people see. */
    public static final int SHA_PREFIX = 12;

    /** The offer as listed, with what this peer holds of it (read from its home). */
    public static FileInfo of(ConferencePeer peer, FileOffer offer) {
        long held = peer.fileBytesHeld(offer);
        String here = held == offer.size() ? "held" : held > 0 ? "partial" : "absent";
        return new FileInfo(ConferenceEvents.messageId(offer.id()), ConferenceEvents.ref(peer, offer.id()), offer.name(), offer.size(),
                offer.sha256(), PeerRef.of(peer, offer.sharer()), offer.sharedAt().toString(), here, held);
    }

    /** What this peer holds, for people: {@code held}, {@code partial (12.0 MiB)} or {@code absent}. */
    public String holding() {
        return here.equals("partial") ? "partial (" + bytes(bytesHeld) + ")" : here;
    }

    /** {@code report.pdf (1.2 MiB, sha256 3f2a91c07b1e) from bob (abcd1234)}: one line, safe to print. */
    public String label() {
        return "'" + Safe.line(name) + "' (" + bytes(size) + ", sha256 " + sha256.substring(0, SHA_PREFIX) + ") from " + sharer.label();
    }

    /** A size for people: {@code 0 bytes}, {@code 812 bytes}, {@code 4.0 KiB}, {@code 50.0 MiB}, {@code 1.25 GiB}. */
    public static String bytes(long n) {
        if (n < 1024) return n + (n == 1 ? " byte" : " bytes");
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }

    /**
     * {@code text} as one word of a session command line ({@code ShellWords}): as it is if it splits as one word,
     * else in double quotes with {@code "} and {@code \} escaped. For the commands a line suggests typing.
     */
    public static String word(String text) {
        boolean plain = !text.isEmpty() && text.codePoints().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\')
                && !text.startsWith("#") && !text.startsWith("-");
        if (plain) return text;
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * A progress line for a terminal {@code width} columns wide: {@code report.pdf [#####-----]  48% 24.0 MiB of
     * 50.0 MiB from 2}, the name cut to fit.
     */
    public static String progressBar(String name, long done, long total, int sources, int width) {
        int percent = total == 0 ? 100 : (int) Math.min(100, done * 100 / total);
        String tail = String.format(Locale.ROOT, " %3d%% %s of %s%s", percent, bytes(done), bytes(total),
                sources > 0 ? " from " + sources : "");
        int bar = Math.max(10, Math.min(30, width / 4));
        int filled = total == 0 ? bar : (int) Math.min(bar, done * bar / total);
        String shown = Safe.line(name);
        int room = Math.max(8, width - 1 - tail.length() - bar - 3);
        if (shown.codePointCount(0, shown.length()) > room) {
            shown = shown.substring(0, shown.offsetByCodePoints(0, room - 1)) + "\u2026";
        }
        return shown + " [" + "#".repeat(filled) + "-".repeat(bar - filled) + "]" + tail;
    }
}
