/**
 * Convene conferences: scheduled, invitation-only, end-to-end encrypted conferences with chat between peers
 * of the overlay, kept in a SQLite store in the peer's home directory.
 *
 * <p>API: {@code dev.convene.conference}, starting at {@link dev.convene.conference.ConferencePeer}. The overlay's
 * API is readable through this module ({@code requires transitive}).
 */
module dev.convene.conference {
    requires transitive dev.convene.overlay;
    requires com.google.common;
    requires org.slf4j;
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    exports dev.convene.conference;
}
