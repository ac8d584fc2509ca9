package dev.floe;

/** An unexpected internal failure (a bug) ({@code FLOE_EINTERNAL}). */
public final class InternalException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public InternalException(String category, String message) {
        super(INTERNAL, category, message);
    }
}
