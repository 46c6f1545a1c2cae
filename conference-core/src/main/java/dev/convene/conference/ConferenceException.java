package dev.convene.conference;

/**
 * An operation on a conference that cannot be done: not found, wrong state, not allowed, invalid input.
 * The message says what happened and what to do next, in one line.
 */
public class ConferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConferenceException(String message) {
        super(message);
    }

    public ConferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
