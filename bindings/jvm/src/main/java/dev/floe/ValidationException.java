package dev.floe;

/** An audit or consistency check failed, e.g. a fast-forward of diverged histories ({@code FLOE_EVALIDATION}). */
public final class ValidationException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public ValidationException(String category, String message) {
        super(VALIDATION, category, message);
    }
}
