package dev.floe;

/** Reading or writing storage failed ({@code FLOE_EIO}). */
public final class FloeIOException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public FloeIOException(String category, String message) {
        super(IO, category, message);
    }
}
