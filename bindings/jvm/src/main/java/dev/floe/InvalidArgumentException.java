package dev.floe;

/** An argument is null, malformed, out of range or not UTF-8 ({@code FLOE_EINVALID_ARG}). */
public final class InvalidArgumentException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public InvalidArgumentException(String category, String message) {
        super(INVALID_ARG, category, message);
    }
}
