package dev.convene.conference;

import java.util.List;

/**
 * A conference reference (id, id prefix or title) that matches no conference, or several. Carries the
 * candidates so a caller can tell the two apart and show them.
 */
public final class ConferenceLookupException extends ConferenceException {
    private static final long serialVersionUID = 1L;
    private final transient List<ConferenceView> candidates;

    public ConferenceLookupException(String message, List<ConferenceView> candidates) {
        super(message);
        this.candidates = List.copyOf(candidates);
    }

    /** The matching conferences: empty when none matched. */
    public List<ConferenceView> candidates() {
        return candidates;
    }

    /** True when several conferences matched. */
    public boolean ambiguous() {
        return candidates.size() > 1;
    }
}
