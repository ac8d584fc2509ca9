package dev.floe;

import java.util.List;

/**
 * What a scan reads; the defaults read all of main's current snapshot. Give at most one of snapshot, ref and
 * asOf. Immutable: each {@code with...} returns a copy.
 */
public final class ScanOptions {
    final long snapshotId;
    final String ref;
    final String asOf;
    final String columns;
    final String filter;

    private ScanOptions(long snapshotId, String ref, String asOf, String columns, String filter) {
        this.snapshotId = snapshotId;
        this.ref = ref;
        this.asOf = asOf;
        this.columns = columns;
        this.filter = filter;
    }

    /** The defaults. */
    public static ScanOptions defaults() {
        return new ScanOptions(0, null, null, null, null);
    }

    /** Read this snapshot. */
    public ScanOptions snapshot(long id) {
        return new ScanOptions(id, ref, asOf, columns, filter);
    }

    /** Read the head of this branch or tag. */
    public ScanOptions ref(String name) {
        return new ScanOptions(snapshotId, name, asOf, columns, filter);
    }

    /** Read what main showed at this time, e.g. "2024-06-01 12:00:00" (UTC unless an offset is given). */
    public ScanOptions asOf(String timestamp) {
        return new ScanOptions(snapshotId, ref, timestamp, columns, filter);
    }

    /** Read only these columns. */
    public ScanOptions columns(List<String> names) {
        return new ScanOptions(snapshotId, ref, asOf, String.join(",", names), filter);
    }

    /** Keep the rows matching a filter, e.g. "amount > 10 and id in (1, 2)". */
    public ScanOptions filter(String expression) {
        return new ScanOptions(snapshotId, ref, asOf, columns, expression);
    }
}
