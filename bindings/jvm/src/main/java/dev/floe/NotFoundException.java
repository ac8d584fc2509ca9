package dev.floe;

/** A table, namespace, snapshot, ref or file does not exist ({@code FLOE_ENOTFOUND}). */
public final class NotFoundException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public NotFoundException(String category, String message) {
        super(NOT_FOUND, category, message);
    }
}
