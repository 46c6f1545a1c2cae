package dev.convene.cli.terminal;

import dev.convene.cli.session.Session;

/**
 * The interactive prompt: {@code alice@local (2 peers)> }, and in chat mode
 * {@code alice@local (2 peers) [Design review]> }. Recomputed whenever it is shown, so the count of peers
 * online stays current.
 *
 * @param name this peer's display name
 * @param mode the network mode, as {@code --network} names it
 * @param peers the other peers online
 * @param conference the title of the conference open in chat mode (made safe and shortened), or null
 */
record Prompt(String name, String mode, int peers, String conference, String typing) {
    /** Longest conference title shown in the prompt, in characters. */
    static final int MAX_TITLE = 24;
    /** Most names of people typing the prompt shows; beyond, how many. */
    static final int MAX_TYPING_NAMES = 2;

    /** A prompt without anyone typing. */
    Prompt(String name, String mode, int peers, String conference) {
        this(name, mode, peers, conference, null);
    }

    /**
     * Who is typing in the open conference, as the prompt says it ({@code bob is typing…}, {@code bob and carol are
     * typing…}, {@code 3 people are typing…}), or null if nobody; the names made safe to print.
     */
    static String typing(java.util.List<String> names) {
        if (names.isEmpty()) return null;
        java.util.List<String> safe = names.stream().map(Safe::line).toList();
        if (safe.size() == 1) return safe.get(0) + " is typing\u2026";
        if (safe.size() <= MAX_TYPING_NAMES) return String.join(" and ", safe) + " are typing\u2026";
        return safe.size() + " people are typing\u2026";
    }

    /** This prompt with {@code typing} ({@link #typing(java.util.List)}) in it. */
    Prompt withTyping(String typing) {
        return new Prompt(name, mode, peers, conference, typing);
    }

    /** The prompt of a session, in chat mode with {@code chatTitle} unless that is null. */
    static Prompt of(Session session, String chatTitle) {
        var config = session.overlay().config();
        return new Prompt(Safe.line(config.name()), config.mode().cliName(), session.overlay().directory().online().size(),
                chatTitle == null ? null : shorten(Safe.line(chatTitle)));
    }

    static String peers(int n) {
        return n + (n == 1 ? " peer" : " peers");
    }

    private static String shorten(String title) {
        return title.length() <= MAX_TITLE ? title : title.substring(0, MAX_TITLE - 1) + "…";
    }

    /** The prompt as plain text. */
    String text() {
        return Styles.prompt(this).toString();
    }
}
