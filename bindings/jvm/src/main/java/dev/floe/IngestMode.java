package dev.floe;

/** How {@link Warehouse#ingest} commits. */
public enum IngestMode {
    /** Add the file's rows in a new snapshot. */
    APPEND(FloeNative.INGEST_APPEND),
    /** Atomically replace the partitions present in the file. */
    OVERWRITE_PARTITIONS(FloeNative.INGEST_OVERWRITE_PARTITIONS);

    final int value;

    IngestMode(int value) {
        this.value = value;
    }
}
