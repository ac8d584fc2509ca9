package dev.floe;

import java.nio.charset.StandardCharsets;

/**
 * A failed Floe call: {@link #code()} is the {@code FLOE_E*} value, {@link #category()} its stable name, and the
 * message the library's one-line description. Each code has its own subclass, so callers catch what they handle.
 */
public class FloeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** {@code FLOE_EINTERNAL}. */
    public static final int INTERNAL = -1;
    /** {@code FLOE_EINVALID_ARG}. */
    public static final int INVALID_ARG = -2;
    /** {@code FLOE_ENOTFOUND}. */
    public static final int NOT_FOUND = -3;
    /** {@code FLOE_EEXISTS}. */
    public static final int EXISTS = -4;
    /** {@code FLOE_EINVALID_DATA}. */
    public static final int INVALID_DATA = -5;
    /** {@code FLOE_ECONFLICT}. */
    public static final int CONFLICT = -6;
    /** {@code FLOE_EIO}. */
    public static final int IO = -7;
    /** {@code FLOE_EUNSUPPORTED}. */
    public static final int UNSUPPORTED = -8;
    /** {@code FLOE_EINVALID_HANDLE}. */
    public static final int INVALID_HANDLE = -9;
    /** {@code FLOE_EVALIDATION}. */
    public static final int VALIDATION = -10;
    /** {@code FLOE_ECANCELLED}. */
    public static final int CANCELLED = -11;

    private final int code;
    private final String category;

    /** An exception for {@code code} with the library's category name and message. */
    public FloeException(int code, String category, String message) {
        super(message);
        this.code = code;
        this.category = category;
    }

    /** The {@code FLOE_E*} code. */
    public int code() {
        return code;
    }

    /** The code's stable category name, e.g. {@code "not_found"}. */
    public String category() {
        return category;
    }

    /** Whether repeating the operation against fresh state may succeed (a lost commit race). */
    public boolean isRetryable() {
        return code == CONFLICT;
    }

    /** The subclass for {@code code}; called by the JNI shim with UTF-8 category and message. */
    static FloeException create(int code, byte[] category, byte[] message) {
        return of(code, new String(category, StandardCharsets.UTF_8), new String(message, StandardCharsets.UTF_8));
    }

    /** The subclass for {@code code}. */
    public static FloeException of(int code, String category, String message) {
        switch (code) {
            case INVALID_ARG: return new InvalidArgumentException(category, message);
            case NOT_FOUND: return new NotFoundException(category, message);
            case EXISTS: return new AlreadyExistsException(category, message);
            case INVALID_DATA: return new InvalidDataException(category, message);
            case CONFLICT: return new CommitConflictException(category, message);
            case IO: return new FloeIOException(category, message);
            case UNSUPPORTED: return new UnsupportedException(category, message);
            case INVALID_HANDLE: return new InvalidHandleException(category, message);
            case VALIDATION: return new ValidationException(category, message);
            case CANCELLED: return new CancelledException(category, message);
            case INTERNAL: return new InternalException(category, message);
            default: return new FloeException(code, category, message);
        }
    }
}
