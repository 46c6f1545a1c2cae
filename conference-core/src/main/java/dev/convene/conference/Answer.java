package dev.convene.conference;

/** An invitee's answer. The latest answer of each peer wins; it may change until the conference is over. */
public enum Answer {
    /** Takes part: becomes a participant. */
    ACCEPT,
    /** Does not take part. */
    DECLINE,
    /** Took part and left; may accept again. */
    LEAVE;

    /**
     * Lower-case name for people and JSON.
     *
     * @return lower-case name for people and JSON
     */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
