package dev.floe;

/** Valid Iceberg that this engine does not support, or a value the binding cannot decode ({@code FLOE_EUNSUPPORTED}). */
public final class UnsupportedException extends FloeException {
    private static final long serialVersionUID = 1L;

    /** An exception with the library's category name and message. */
    public UnsupportedException(String category, String message) {
        super(UNSUPPORTED, category, message);
    }
}
