package dev.floe;

/** An optimistic commit lost a race; retrying may succeed ({@code FLOE_ECONFLICT}). */
public final class CommitConflictException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public CommitConflictException(String category, String message) {
        super(CONFLICT, category, message);
    }
}
