package dev.floe;

/** Input data or a stored file is corrupt or does not match the schema ({@code FLOE_EINVALID_DATA}). */
public final class InvalidDataException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public InvalidDataException(String category, String message) {
        super(INVALID_DATA, category, message);
    }
}
