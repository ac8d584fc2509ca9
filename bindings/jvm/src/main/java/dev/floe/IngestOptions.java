package dev.floe;

import java.util.LinkedHashMap;
import java.util.Map;

/** How {@link Warehouse#ingest} commits; the defaults append to main. Immutable. */
public final class IngestOptions {
    final IngestMode mode;
    final String branch;
    final Map<String, String> properties;

    private IngestOptions(IngestMode mode, String branch, Map<String, String> properties) {
        this.mode = mode;
        this.branch = branch;
        this.properties = properties;
    }

    /** Append to main, no snapshot properties. */
    public static IngestOptions defaults() {
        return new IngestOptions(IngestMode.APPEND, null, null);
    }

    /** Commit with this mode. */
    public IngestOptions mode(IngestMode value) {
        return new IngestOptions(value, branch, properties);
    }

    /** Commit to this branch (created when missing). */
    public IngestOptions branch(String name) {
        return new IngestOptions(mode, name, properties);
    }

    /** Add a snapshot summary property. */
    public IngestOptions property(String key, String value) {
        Map<String, String> copy = properties == null ? new LinkedHashMap<>() : new LinkedHashMap<>(properties);
        copy.put(key, value);
        return new IngestOptions(mode, branch, copy);
    }
}
