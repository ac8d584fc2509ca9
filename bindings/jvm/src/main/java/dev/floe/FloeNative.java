package dev.floe;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * The raw JNI layer: one {@code static native} method per function of {@code native-abi/include/floe.h}, under
 * the C name in Java spelling ({@code tableCreate} is {@code floe_table_create}), plus Arrow C stream helpers.
 * Strings cross as NUL-terminated UTF-8 {@code byte[]} (see {@link #utf8}); handles and Arrow struct addresses as
 * {@code long}. A failed call throws the {@link FloeException} subclass of its code. Use {@link Warehouse} instead.
 *
 * <p>The shim {@code libfloe_jni.so} is found through the system property {@code floe.jni.library} (a path),
 * else the environment variable {@code FLOE_JNI_LIB}, else beside the jar holding this class, else
 * {@code java.library.path}. It links {@code libfloe.so}, found beside it.
 */
final class FloeNative {
    /** The ABI generation this binding was written for. */
    static final int ABI_VERSION = 1;
    static final int INGEST_APPEND = 0;
    static final int INGEST_OVERWRITE_PARTITIONS = 1;

    static {
        load();
        int abi = abiVersion();
        if (abi != ABI_VERSION) {
            throw new UnsatisfiedLinkError("libfloe.so has ABI version " + abi + ", this binding needs " + ABI_VERSION);
        }
    }

    private FloeNative() {
    }

    private static void load() {
        String explicit = System.getProperty("floe.jni.library");
        if (explicit == null || explicit.isEmpty()) {
            explicit = System.getenv("FLOE_JNI_LIB");
        }
        if (explicit != null && !explicit.isEmpty()) {
            System.load(new File(explicit).getAbsolutePath());
            return;
        }
        File beside = besideJar();
        if (beside != null && beside.isFile()) {
            System.load(beside.getAbsolutePath());
            return;
        }
        System.loadLibrary("floe_jni");
    }

    private static File besideJar() {
        try {
            var source = FloeNative.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            File jar = new File(source.getLocation().toURI());
            return new File(jar.getParentFile(), "libfloe_jni.so");
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A NUL-terminated UTF-8 copy of {@code text} for a {@code const char *} argument; null stays null. */
    static byte[] utf8(String text) {
        if (text == null) {
            return null;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        return out;
    }

    /** Text the library returned as UTF-8. */
    static String text(byte[] utf8) {
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------- floe.h, 1:1

    static native byte[] version();

    static native int abiVersion();

    static native long warehouseOpen(byte[] path) throws FloeException;

    /** floe_warehouse_open_catalog; catalog and token may be null. */
    static native long warehouseOpenCatalog(byte[] path, byte[] catalog, byte[] token) throws FloeException;

    static native void warehouseClose(long warehouse);

    static native byte[] warehousePath(long warehouse) throws FloeException;

    static native void tableCreate(long warehouse, byte[] name, byte[] schema, byte[] partition) throws FloeException;

    static native void tableCreateWithProperties(long warehouse, byte[] name, byte[] schema, byte[] partition,
            byte[] propertiesJson) throws FloeException;

    static native byte[] tableUpgrade(long warehouse, byte[] name, int formatVersion) throws FloeException;

    static native byte[] tableDescribe(long warehouse, byte[] name) throws FloeException;

    static native byte[] tableList(long warehouse) throws FloeException;

    static native byte[] snapshots(long warehouse, byte[] table) throws FloeException;

    static native byte[] ingestFile(long warehouse, byte[] table, byte[] path, int mode, byte[] branch,
            byte[] propertiesJson) throws FloeException;

    static native byte[] scanAggregate(long warehouse, byte[] table, byte[] aggregates, byte[] filter) throws FloeException;

    /** floe_ingest_arrow: moves the {@code struct ArrowArrayStream} at {@code stream} (released whatever the result). */
    static native byte[] ingestArrow(long warehouse, byte[] table, long stream, int mode, byte[] branch,
            byte[] propertiesJson) throws FloeException;

    static native byte[] featuresValidate(byte[] definitionPath) throws FloeException;

    /** floe_features_compute into the stream at {@code out}; moves the stream at {@code events}. */
    static native void featuresCompute(long out, byte[] definitionPath, long events, byte[] from, byte[] to)
            throws FloeException;

    static native long scanCount(long warehouse, byte[] table, byte[] filter) throws FloeException;

    /** floe_table_scan into the {@code struct ArrowArrayStream} at {@code stream}. */
    static native void scan(long stream, long warehouse, byte[] table, long snapshotId, byte[] ref, byte[] asOf,
            byte[] columns, byte[] filter) throws FloeException;

    static native void branchCreate(long warehouse, byte[] table, byte[] name, byte[] from) throws FloeException;

    static native void branchFastForward(long warehouse, byte[] table, byte[] branch, byte[] to) throws FloeException;

    /** floe_backfill_run; progress may be null. It is called on this thread; a runtime exception it throws is rethrown. */
    static native byte[] backfillRun(long warehouse, byte[] requestJson, BackfillProgress progress) throws FloeException;

    static native byte[] lineageDescribe(long warehouse, byte[] table, byte[] selectorJson) throws FloeException;

    static native byte[] auditRun(long warehouse, byte[] table, byte[] branch, byte[] optionsJson) throws FloeException;

    static native byte[] publishRun(long warehouse, byte[] table, byte[] branch) throws FloeException;

    static native byte[] trainingSetBuild(long warehouse, byte[] requestJson) throws FloeException;

    static native byte[] backfillPlan(long warehouse, byte[] requestJson) throws FloeException;

    static native byte[] taskExecute(long warehouse, byte[] taskJson) throws FloeException;

    static native byte[] tasksCommit(long warehouse, byte[] planJson, byte[] resultsJson) throws FloeException;

    // ------------------------------------------------------------------------------------- Arrow C streams

    /** A zeroed {@code struct ArrowArrayStream} in native memory. */
    static native long arrowStreamAllocate() throws FloeException;

    /**
     * A live {@code struct ArrowArrayStream} in native memory (free with {@link #arrowStreamFree}) over batches whose
     * buffers are copied now: {@code lengths[b]} rows in batch b; for column c of batch b, {@code nullCounts[b*C+c]}
     * and the buffers {@code buffers[(b*C+c)*3 .. +2]}: validity (byte[] bitmap or null), values (byte[], int[],
     * long[], float[] or double[]) or offsets (int[]), and the data (byte[]) of "u" and "z" columns.
     */
    static native long arrowStreamFromBatches(byte[][] names, byte[][] formats, long[] lengths, long[] nullCounts,
            Object[] buffers) throws FloeException;

    /** Calls the stream's release callback when it is live. */
    static native void arrowStreamRelease(long stream);

    /** Releases the stream when live and frees the memory {@link #arrowStreamAllocate} gave. */
    static native void arrowStreamFree(long stream);

    /** {@code {byte[][] names, byte[][] formats}} of the stream's columns. */
    static native Object[] arrowStreamSchema(long stream) throws FloeException;

    /** The next batch as columns of boxed values (see floe_jni.c), or null at the end. */
    static native Object[] arrowStreamNext(long stream, String[] formats) throws FloeException;

    /** floe_table_delete; branch may be null (main). */
    static native byte[] tableDelete(long warehouse, byte[] table, byte[] filter, byte[] branch) throws FloeException;

    static native byte[] tableCheck(long warehouse, byte[] table, boolean allSnapshots) throws FloeException;

    static native byte[] tableRegister(long warehouse, byte[] name, byte[] metadataFile, byte[] locationMapJson)
            throws FloeException;

    static native byte[] compact(long warehouse, byte[] table, byte[] filter, long targetFileSizeBytes,
            long minFileSizeBytes, int minInputFiles) throws FloeException;

    static native byte[] removeOrphans(long warehouse, byte[] table, byte[] olderThan, boolean dryRun,
            boolean deleteRegisteredFiles) throws FloeException;

    static native byte[] refReplace(long warehouse, byte[] table, byte[] name, byte[] to, boolean tag)
            throws FloeException;

    static native byte[] tableForget(long warehouse, byte[] key, byte[] value, byte[] tables, boolean dryRun,
            byte[] reason) throws FloeException;

    /** floe_table_drop. */
    static native byte[] tableDrop(long warehouse, byte[] table, boolean purge, boolean deleteRegisteredFiles) throws FloeException;

    /** floe_maintenance_expire_snapshots (never deleting a registered table's files); olderThan may be null. */
    static native byte[] expireSnapshots(long warehouse, byte[] table, byte[] olderThan, int retainLast, boolean dryRun) throws FloeException;

    /** floe_tag_create; from may be null (main's head). */
    static native byte[] tagCreate(long warehouse, byte[] table, byte[] name, byte[] from) throws FloeException;

    /** floe_ref_drop: a tag when tag is true, else a branch. */
    static native void refDrop(long warehouse, byte[] table, byte[] name, boolean tag) throws FloeException;

    /** floe_branch_cherry_pick; branch may be null (main). */
    static native byte[] cherryPick(long warehouse, byte[] table, long snapshotId, byte[] branch) throws FloeException;
}
