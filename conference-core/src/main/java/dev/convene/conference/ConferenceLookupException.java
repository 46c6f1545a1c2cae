package dev.convene.conference;

import java.util.List;

/**
 * A conference reference (id, id prefix or title) that matches no conference, or several. Carries the
 * reference and the candidates so a caller can tell the two apart and show them.
 */
public final class ConferenceLookupException extends ConferenceException {
    private static final long serialVersionUID = 1L;
    /** @serial the reference looked up. */
    private final String reference;
    private final transient List<ConferenceView> candidates;

    /**
     * A failed lookup.
     *
     * @param reference the reference as given, stripped
     * @param candidates the conferences it matches (empty when none, two or more when ambiguous)
     */
    public ConferenceLookupException(String reference, List<ConferenceView> candidates) {
        super(candidates.isEmpty() ? "no conference matches the reference"
                : "the reference matches " + candidates.size() + " conferences");
        this.reference = reference;
        this.candidates = List.copyOf(candidates);
    }

    /**
     * The reference looked up.
     *
     * @return the reference, stripped
     */
    public String reference() {
        return reference;
    }

    /**
     * The matching conferences.
     *
     * @return the candidates: empty when none matched
     */
    public List<ConferenceView> candidates() {
        return candidates;
    }

    /**
     * Whether several conferences matched.
     *
     * @return true when the reference is ambiguous
     */
    public boolean ambiguous() {
        return candidates.size() > 1;
    }
}
