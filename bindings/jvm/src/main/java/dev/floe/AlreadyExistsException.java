package dev.floe;

/** A table, namespace or ref of that name already exists ({@code FLOE_EEXISTS}). */
public final class AlreadyExistsException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public AlreadyExistsException(String category, String message) {
        super(EXISTS, category, message);
    }
}
