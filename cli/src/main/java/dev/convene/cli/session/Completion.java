package dev.convene.cli.session;

import java.util.List;

/**
 * What the word being typed names, as a session command tells the interactive session's tab completion:
 * a conference, a peer, a session command, one of some fixed words, or nothing completable (free text).
 * The candidates themselves come from the live peer when Tab is pressed.
 *
 * @param kind what to offer
 * @param words the words to offer, for {@link Kind#WORDS}; empty otherwise
 */
public record Completion(Kind kind, List<String> words) {
    /** Where the candidates come from. */
    public enum Kind {
        /** Free text or a number: nothing to offer. */
        NOTHING,
        /** The conferences this peer knows: titles, or ids where titles repeat. */
        CONFERENCES,
        /** The peers this peer knows: names, or ids where names repeat. */
        PEERS,
        /** The session commands. */
        COMMANDS,
        /** {@link #words()}. */
        WORDS,
        /** The names of the files offered in the conference {@code words().get(0)} (as typed). */
        FILES
    }

    static final Completion NOTHING = new Completion(Kind.NOTHING, List.of());
    static final Completion CONFERENCES = new Completion(Kind.CONFERENCES, List.of());
    static final Completion PEERS = new Completion(Kind.PEERS, List.of());
    static final Completion COMMANDS = new Completion(Kind.COMMANDS, List.of());

    public Completion {
        words = List.copyOf(words);
    }

    static Completion words(List<String> words) {
        return new Completion(Kind.WORDS, words);
    }

    /** A conference as the first argument, nothing after it: {@code accept CONF}, {@code history CONF}, … */
    static Completion conferenceFirst(List<String> typed) {
        return typed.isEmpty() ? CONFERENCES : NOTHING;
    }

    /** A conference, then a file offered in it, nothing after: {@code fetch CONF NAME}, {@code wait file CONF NAME}. */
    static Completion conferenceThenFile(List<String> typed) {
        return switch (typed.size()) {
            case 0 -> CONFERENCES;
            case 1 -> new Completion(Kind.FILES, List.of(typed.get(0)));
            default -> NOTHING;
        };
    }

    /** A conference, then a peer, nothing after: {@code remove CONF PEER}, {@code grant CONF PEER}, {@code wait reply CONF PEER}. */
    static Completion conferenceThenPeer(List<String> typed) {
        return switch (typed.size()) {
            case 0 -> CONFERENCES;
            case 1 -> PEERS;
            default -> NOTHING;
        };
    }
}
