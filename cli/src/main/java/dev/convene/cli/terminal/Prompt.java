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
record Prompt(String name, String mode, int peers, String conference) {
    /** Longest conference title shown in the prompt, in characters. */
    static final int MAX_TITLE = 24;

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
