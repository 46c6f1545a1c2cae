package dev.convene.conference;

/**
 * A value out of bounds: {@link #field()} names it, {@link #value()} describes the offending value (a size,
 * never the content itself) and {@link #expected()} the bound.
 */
public final class InvalidInputException extends ConferenceException {
    private static final long serialVersionUID = 1L;

    /** The field of a chat message's text. */
    public static final String TEXT = "text";
    /** The field of an answer's reason. */
    public static final String REASON = "reason";
    /** The field of a conference's invitees. */
    public static final String INVITEES = "invitees";
    /** The field of a conference's removals. */
    public static final String REMOVALS = "removals";
    /** The field of a new conference's description ({@link NewConference}); see the cause for the detail. */
    public static final String CONFERENCE = "conference";
    /** The field of a conference's key epochs (one per removal, and one per invitation with history joined). */
    public static final String KEY_EPOCHS = "key epochs";
    /** The field of this peer's answers to one conference (each answer is a revision; their number is bounded). */
    public static final String ANSWERS = "answers";
    /** The field of a member's role changes (grants and revokes of the organiser role; their number is bounded). */
    public static final String ROLE_CHANGES = "role changes";
    /** The field of a conference's schedule (a new start or duration, or the number of schedule changes). */
    public static final String SCHEDULE = "schedule";
    /** The field of a conference's title (an unsafe character; the cause is an {@link UnsafeCharacterException}). */
    public static final String TITLE = "title";
    /** The field of a conference's agenda (an unsafe character; the cause is an {@link UnsafeCharacterException}). */
    public static final String AGENDA = "agenda";

    /** The field of a reaction's emoji ({@link Reaction}). */
    public static final String EMOJI = "emoji";
    /** The peers a message mentions. */
    public static final String MENTIONS = "mentions";

    /** The field of a history page's size. */
    public static final String LIMIT = "limit";
    /** The field of a history page's cursor going back. */
    public static final String BEFORE = "before";
    /** The field of a history page's cursor going forward. */
    public static final String AFTER = "after";

    /** @serial which input. */
    private final String field;
    /** @serial the offending value's description. */
    private final String value;
    /** @serial the bound. */
    private final String expected;

    /**
     * A value out of bounds.
     *
     * @param field which input, one of the constants of this class
     * @param value the offending value's description, e.g. {@code "70000 bytes"}
     * @param expected the bound, e.g. {@code "<= 65536 bytes"}
     */
    public InvalidInputException(String field, String value, String expected) {
        this(field, value, expected, null);
    }

    /**
     * A value out of bounds, found by another check.
     *
     * @param field which input, one of the constants of this class
     * @param value the offending value's description
     * @param expected the bound, or empty when {@code value} states it
     * @param cause the check that failed, or null
     */
    public InvalidInputException(String field, String value, String expected, Throwable cause) {
        super(field + ": " + value + (expected.isEmpty() ? "" : " (expected: " + expected + ")"), cause);
        this.field = field;
        this.value = value;
        this.expected = expected;
    }

    /**
     * Which input.
     *
     * @return the field name
     */
    public String field() {
        return field;
    }

    /**
     * The offending value.
     *
     * @return its description (a size or count, not content)
     */
    public String value() {
        return value;
    }

    /**
     * The bound it broke.
     *
     * @return what was expected, empty when the value states it
     */
    public String expected() {
        return expected;
    }
}
