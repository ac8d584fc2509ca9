package dev.floe;

/** A closed, forged or wrong-type handle (in Java: a closed object) ({@code FLOE_EINVALID_HANDLE}). */
public final class InvalidHandleException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public InvalidHandleException(String category, String message) {
        super(INVALID_HANDLE, category, message);
    }
}
