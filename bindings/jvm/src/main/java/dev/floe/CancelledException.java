package dev.floe;

/** The caller cancelled the call, e.g. a {@link BackfillProgress} returned true ({@code FLOE_ECANCELLED}); nothing more was committed. */
public final class CancelledException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public CancelledException(String category, String message) {
        super(CANCELLED, category, message);
    }
}
