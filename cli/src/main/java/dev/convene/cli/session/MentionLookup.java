package dev.convene.cli.session;

import dev.convene.cli.CliException;
import dev.convene.cli.output.PeerView;
import dev.convene.cli.terminal.Safe;
import dev.convene.conference.ConferencePeer;
import dev.convene.conference.ConferenceView;
import dev.convene.overlay.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code @name} in a message's text: resolved here, when the message is sent, to the participants of the
 * conference it names, by id. A word after {@code @} mentions the participant whose name it is (ignoring case), or
 * whose id starts with it (8 characters or more); a name several participants share is an error listing them
 * (then mention by id, {@code @n6uuy37p}); a word that names no participant mentions nobody and stays text.
 */
final class MentionLookup {
    /** {@code @} not inside a word, then a word (letters, digits, {@code _ . -}), trailing {@code .} and {@code -} left out. */
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}_@])@([\\p{L}\\p{N}_](?:[\\p{L}\\p{N}_.\\-]*[\\p{L}\\p{N}_])?)");
    /** The shortest id prefix a mention may use. */
    static final int MIN_ID_PREFIX = 8;

    private MentionLookup() {
    }

    /** The words after {@code @} in {@code text}, each once, in order. */
    static List<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) out.add(m.group(1));
        return List.copyOf(out);
    }

    /**
     * The participants of {@code v} that {@code text} mentions.
     *
     * @throws CliException if a name in it is shared by several participants
     */
    static List<PeerId> resolve(ConferencePeer peer, ConferenceView v, String text) {
        List<PeerId> out = new ArrayList<>();
        for (String word : words(text)) {
            String w = word.toLowerCase(Locale.ROOT);
            List<PeerId> byId = w.length() >= MIN_ID_PREFIX
                    ? v.participants().stream().filter(p -> p.value().startsWith(w)).toList() : List.of();
            if (byId.size() == 1) {
                if (!out.contains(byId.get(0))) out.add(byId.get(0));
                continue;
            }
            List<PeerId> byName = v.participants().stream().filter(p -> PeerView.name(peer, p).equalsIgnoreCase(word)).sorted().toList();
            if (byName.size() > 1) {
                throw CliException.failed("@" + Safe.line(word) + " names several participants: "
                        + byName.stream().map(p -> Safe.line(PeerView.name(peer, p)) + " (" + p.shortId() + ")").collect(Collectors.joining(", "))
                        + "; mention one by id instead (e.g. @" + byName.get(0).shortId() + ")");
            }
            if (byName.size() == 1 && !out.contains(byName.get(0))) out.add(byName.get(0));
        }
        return out;
    }
}
