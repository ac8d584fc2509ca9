package dev.floe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An open warehouse: a folder holding a catalog and its Iceberg tables. Safe to share between threads; close it
 * (try-with-resources) when done. Every failure is a checked {@link FloeException} subclass for its code
 * ({@link NotFoundException}, {@link InvalidArgumentException}, {@link ValidationException}, ...).
 *
 * <pre>{@code
 * try (Warehouse w = Warehouse.open(Path.of("warehouse"))) {
 *     w.createTable("demo.events", "id:long not null,ts:timestamptz,amount:double", "day(ts)");
 *     w.ingest("demo.events", Path.of("events.csv"), IngestOptions.defaults().branch("staging"));
 *     w.fastForward("demo.events", "main", "staging");
 * }
 * }</pre>
 */
public final class Warehouse implements AutoCloseable {
    // Calls share the read lock (the handle is thread-safe); close takes the write lock, so it waits for them.
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long handle;

    private Warehouse(long handle) {
        this.handle = handle;
    }

    /** The loaded library's version, e.g. "0.1.0". */
    public static String libraryVersion() {
        return FloeNative.text(FloeNative.version());
    }

    /** Opens the warehouse rooted at {@code folder}, creating the folder and its catalog when missing. */
    public static Warehouse open(Path folder) throws FloeException {
        return new Warehouse(FloeNative.warehouseOpen(FloeNative.utf8(folder.toString())));
    }

    /** Opens the warehouse rooted at {@code folder}. */
    public static Warehouse open(String folder) throws FloeException {
        return open(Path.of(folder));
    }

    /**
     * Opens the warehouse folder {@code folder} (the tables' data) with a catalog given by URI, as
     * {@code floe --catalog} takes it: {@code "sqlite:PATH"}, {@code "postgresql://user@host:port/db"} (the Iceberg JDBC
     * layout) or {@code "http(s)://host:port[/prefix]"} (an Iceberg REST catalog, {@code token} its bearer token).
     * A null {@code catalog} is the folder's own catalog.db; {@code token} may be null. An unknown scheme throws
     * {@link InvalidArgumentException}, an unreachable catalog {@link FloeIOException}.
     */
    public static Warehouse open(Path folder, String catalog, String token) throws FloeException {
        return new Warehouse(FloeNative.warehouseOpenCatalog(FloeNative.utf8(folder.toString()), FloeNative.utf8(catalog),
                FloeNative.utf8(token)));
    }

    private interface Call<T> {
        T run(long handle) throws FloeException;
    }

    private <T> T with(Call<T> call) throws FloeException {
        lock.readLock().lock();
        try {
            if (handle == 0) {
                throw new InvalidHandleException("invalid_handle", "the warehouse is closed");
            }
            return call.run(handle);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Deletes the data files whose rows all match {@code filter} (whole partitions) in one snapshot; branch null = main. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> delete(String table, String filter, String branch) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.tableDelete(h, u(table), u(filter), u(branch))));
    }

    /**
     * Deletes one entity's rows (column {@code key} = {@code value}) from every table with that column, or only from
     * {@code tables} (null = all), one snapshot per table with {@code reason} (may be null) in its summary, as
     * {@code floe forget --json}; returns {"dry_run", "tables": [{"table", "snapshot_id", "deleted_rows"}]}.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> forget(String key, Object value, List<String> tables, boolean dryRun, String reason)
            throws FloeException {
        String listed = tables == null ? null : String.join(",", tables);
        String text = value == null ? null : String.valueOf(value);
        return (Map<String, Object>) json(with(h -> FloeNative.tableForget(h, u(key), u(text), u(listed), dryRun, u(reason))));
    }

    /**
     * Loads a table and verifies the files its current snapshot (or, with {@code allSnapshots}, every snapshot)
     * references; a broken table is a report with "healthy": false, not an exception.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> checkTable(String table, boolean allSnapshots) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.tableCheck(h, u(table), allSnapshots)));
    }

    /**
     * Registers an existing Iceberg table by its metadata file; {@code locationMap} (may be null) maps location
     * prefixes written in its metadata to where the files are now. Returns the table's description.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> registerTable(String name, Path metadataFile, Map<String, String> locationMap)
            throws FloeException {
        String mapping = locationMap == null || locationMap.isEmpty() ? null : Json.write(locationMap);
        return (Map<String, Object>) json(with(h -> FloeNative.tableRegister(h, u(name), u(metadataFile.toString()), u(mapping))));
    }

    /**
     * Rewrites the small data files of the partitions {@code filter} selects (null = all) into larger ones in one
     * snapshot; {@code minInputFiles} 0 takes the default. Returns the report.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> compact(String table, String filter, int minInputFiles) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.compact(h, u(table), u(filter), 0, 0, minInputFiles)));
    }

    /**
     * Deletes files under the table's location that no snapshot references and that are older than
     * {@code olderThan} (ISO-8601 or epoch ms; null = three days ago), or only lists them on a dry run.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> removeOrphans(String table, String olderThan, boolean dryRun) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.removeOrphans(h, u(table), u(olderThan), dryRun, false)));
    }

    /** Points existing branch {@code name} at {@code to} (a snapshot id, branch or tag); returns the ref. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> replaceBranch(String table, String name, String to) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.refReplace(h, u(table), u(name), u(to), false)));
    }

    /** Points existing tag {@code name} at {@code to} (a snapshot id, branch or tag); returns the ref. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> replaceTag(String table, String name, String to) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.refReplace(h, u(table), u(name), u(to), true)));
    }

    /** Drops a table; purge also deletes exactly the files its metadata references (a registered table's only when asked). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> dropTable(String table, boolean purge, boolean deleteRegisteredFiles) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.tableDrop(h, u(table), purge, deleteRegisteredFiles)));
    }

    /** Expires snapshots older than {@code olderThan} (null = no bound) beyond the newest {@code retainLast} (0 = no bound). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> expireSnapshots(String table, String olderThan, int retainLast, boolean dryRun) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.expireSnapshots(h, u(table), u(olderThan), retainLast, dryRun)));
    }

    /** Creates tag {@code name} at {@code from} (null = main's head); returns the ref. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> createTag(String table, String name, String from) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.tagCreate(h, u(table), u(name), u(from))));
    }

    /** Drops a branch (never main) or, with {@code tag}, a tag. */
    public void dropRef(String table, String name, boolean tag) throws FloeException {
        with(h -> {
            FloeNative.refDrop(h, u(table), u(name), tag);
            return null;
        });
    }

    /** Applies one snapshot's changes onto {@code branch} (null = main); returns the new snapshot. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> cherryPick(String table, long snapshotId, String branch) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.cherryPick(h, u(table), snapshotId, u(branch))));
    }

    private static byte[] u(String s) {
        return FloeNative.utf8(s);
    }

    /** The warehouse's absolute folder. */
    public Path path() throws FloeException {
        return Path.of(FloeNative.text(with(FloeNative::warehousePath)));
    }

    /**
     * Creates a format-v2 table. {@code schema} is "name:type[ not null],..."; {@code partition} is hidden
     * partitioning such as "day(event_time),bucket(16,id)", or null for an unpartitioned table.
     */
    public void createTable(String name, String schema, String partition) throws FloeException {
        with(h -> {
            FloeNative.tableCreate(h, u(name), u(schema), u(partition));
            return null;
        });
    }

    /**
     * Creates a table with table properties (the CLI's {@code table create ... --property K=V}); the property
     * {@code "format-version": "3"} makes a format-v3 table. {@code properties} may be null or empty.
     */
    public void createTable(String name, String schema, String partition, Map<String, String> properties)
            throws FloeException {
        String json = properties == null || properties.isEmpty() ? null : Json.write(properties);
        with(h -> {
            FloeNative.tableCreateWithProperties(h, u(name), u(schema), u(partition), u(json));
            return null;
        });
    }

    /** Upgrades the table's format version in one commit (2 to 3; the same version is a no-op); returns its description. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> upgradeTable(String name, int formatVersion) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.tableUpgrade(h, u(name), formatVersion)));
    }

    /** The table's description as a JSON object (the CLI's {@code floe table show --json}). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> describe(String name) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.tableDescribe(h, u(name))));
    }

    /** The warehouse's table names. */
    public List<String> tables() throws FloeException {
        List<String> out = new ArrayList<>();
        for (Object name : (List<?>) json(with(FloeNative::tableList))) {
            out.add((String) name);
        }
        return out;
    }

    /** The table's snapshots, oldest first, as JSON objects (each with "snapshot_id"). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> snapshots(String table) throws FloeException {
        return (List<Map<String, Object>>) json(with(h -> FloeNative.snapshots(h, u(table))));
    }

    /**
     * Loads a CSV (with a header row) or Parquet file in one atomic commit. Returns the commit:
     * snapshot_id, operation, rows, files, summary.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> ingest(String table, Path file, IngestOptions options) throws FloeException {
        IngestOptions o = options == null ? IngestOptions.defaults() : options;
        String properties = o.properties == null ? null : Json.write(o.properties);
        return (Map<String, Object>) json(with(h ->
                FloeNative.ingestFile(h, u(table), u(file.toString()), o.mode.value, u(o.branch), u(properties))));
    }

    /**
     * Loads an Arrow C stream into a table in one atomic commit: appended, or with
     * {@link IngestMode#OVERWRITE_PARTITIONS} replacing exactly the partitions the batches touch. The stream's columns
     * must be the table's, in order, by name and Arrow type. {@code data} is moved: it is released when this returns,
     * whatever the result (close it to free its memory). Returns the commit as {@link #ingest} does.
     */
    public Map<String, Object> ingestArrow(String table, ArrowStream data, IngestOptions options) throws FloeException {
        return ingestArrow(table, data.address(), options);
    }

    /** {@link #ingestArrow(String, ArrowStream, IngestOptions)} of these batches. */
    public Map<String, Object> ingestArrow(String table, List<ArrowBatch> batches, IngestOptions options)
            throws FloeException {
        try (ArrowStream stream = ArrowStream.of(batches)) {
            return ingestArrow(table, stream, options);
        }
    }

    /**
     * {@link #ingestArrow(String, ArrowStream, IngestOptions)} of the {@code struct ArrowArrayStream} at
     * {@code streamAddress}, e.g. one Arrow Java exported ({@code Data.exportArrayStream(allocator, reader, s)} then
     * {@code s.memoryAddress()}); the stream is moved (released when this returns), its struct stays the caller's.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> ingestArrow(String table, long streamAddress, IngestOptions options) throws FloeException {
        IngestOptions o = options == null ? IngestOptions.defaults() : options;
        String properties = o.properties == null ? null : Json.write(o.properties);
        return (Map<String, Object>) json(with(h ->
                FloeNative.ingestArrow(h, u(table), streamAddress, o.mode.value, u(o.branch), u(properties))));
    }

    /** The number of rows main holds that match {@code filter} (null counts every row). */
    public long count(String table, String filter) throws FloeException {
        return with(h -> FloeNative.scanCount(h, u(table), u(filter)));
    }

    /**
     * Ungrouped aggregates such as {@code "count(*),sum(amount),min(event_time)"} (count, sum, min, max, avg) over
     * main's current snapshot, filtered by {@code filter} (null = every row), as {@code floe scan --agg LIST --json}:
     * answered from statistics where they prove it, else by decoding only the columns involved. Returns
     * {"aggregates": [{"name", "type", "value"}], "snapshot_id", "files_from_statistics", ...}.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> aggregate(String table, String aggregates, String filter) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.scanAggregate(h, u(table), u(aggregates), u(filter))));
    }

    /**
     * Starts a scan as an Arrow C stream for zero-copy consumers (see {@link ArrowStream}). Table, snapshot and
     * filter errors are thrown here; read errors while the stream is consumed.
     */
    public ArrowStream scanArrow(String table, ScanOptions options) throws FloeException {
        ScanOptions o = options == null ? ScanOptions.defaults() : options;
        long stream = FloeNative.arrowStreamAllocate();
        try {
            with(h -> {
                FloeNative.scan(stream, h, u(table), o.snapshotId, u(o.ref), u(o.asOf), u(o.columns), u(o.filter));
                return null;
            });
            return new ArrowStream(stream);
        } catch (FloeException | RuntimeException | Error e) {
            FloeNative.arrowStreamFree(stream);
            throw e;
        }
    }

    /** Reads a scan into plain Java rows (the fallback when no Arrow library is at hand). */
    public Rows scan(String table, ScanOptions options) throws FloeException {
        lock.readLock().lock(); // the warehouse must stay open while the stream is read
        try (ArrowStream stream = scanArrow(table, options)) {
            return stream.readRows();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Creates a branch at {@code from} (a branch, tag or snapshot id; null for main's head). */
    public void createBranch(String table, String name, String from) throws FloeException {
        with(h -> {
            FloeNative.branchCreate(h, u(table), u(name), u(from));
            return null;
        });
    }

    /**
     * Moves {@code branch} to {@code to}'s snapshot when the branch's head is an ancestor of it: with "main" and a
     * staging branch, the publish step of write-audit-publish. Diverged histories throw {@link ValidationException}.
     */
    public void fastForward(String table, String branch, String to) throws FloeException {
        with(h -> {
            FloeNative.branchFastForward(h, u(table), u(branch), u(to));
            return null;
        });
    }

    /**
     * Computes a feature group for the days of {@code request} and replaces those days of its feature table
     * atomically; with {@code wap(true)} it commits to a staging branch, never to main. {@code progress} (may be null)
     * is called on this thread after each day and commit; returning true cancels ({@link CancelledException}).
     * Returns the summary of {@code floe backfill --json}.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> backfill(BackfillRequest request, BackfillProgress progress) throws FloeException {
        String json = request.toJson();
        return (Map<String, Object>) json(with(h -> FloeNative.backfillRun(h, u(json), progress)));
    }

    /**
     * Which snapshot, definition, code version and source produced each partition ({@code floe lineage --json}), at
     * main's head, or at {@code ref} when not null.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> lineage(String table, String ref) throws FloeException {
        String selector = ref == null ? null : Json.writeValue(Map.of("ref", ref));
        return (Map<String, Object>) json(with(h -> FloeNative.lineageDescribe(h, u(table), u(selector))));
    }

    /**
     * Audits a staging branch against main ({@code floe audit --json}); "passed" is the verdict, a failed audit does
     * not throw. {@code rules} (a rules file), {@code reportDir} (folder for the HTML report) and {@code keyColumns}
     * may be null for the defaults.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> audit(String table, String branch, Path rules, Path reportDir, List<String> keyColumns)
            throws FloeException {
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        if (rules != null) {
            options.put("rules", rules.toString());
        }
        if (reportDir != null) {
            options.put("report_dir", reportDir.toString());
        }
        if (keyColumns != null) {
            options.put("key_columns", new ArrayList<Object>(keyColumns));
        }
        String json = options.isEmpty() ? null : Json.writeValue(options);
        return (Map<String, Object>) json(with(h -> FloeNative.auditRun(h, u(table), u(branch), u(json))));
    }

    /**
     * Fast-forwards main to the audited branch's head; {@link ValidationException} when no passing audit covers it.
     * Returns table, branch, snapshot_id, previous_main_snapshot_id.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> publish(String table, String branch) throws FloeException {
        return (Map<String, Object>) json(with(h -> FloeNative.publishRun(h, u(table), u(branch))));
    }

    /** Builds a point-in-time-correct training set and returns {@code floe training-set --json}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> trainingSet(TrainingSetRequest request) throws FloeException {
        String json = request.toJson();
        return (Map<String, Object>) json(with(h -> FloeNative.trainingSetBuild(h, u(json))));
    }

    /**
     * Plans a backfill as one task per day (the distributed protocol): run each of the plan's "tasks" with
     * {@link #executeTask} in any process (a Spark executor's {@code mapPartitions}), then {@link #commitTasks} once.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> backfillPlan(BackfillRequest request) throws FloeException {
        String json = request.toJson();
        return (Map<String, Object>) json(with(h -> FloeNative.backfillPlan(h, u(json))));
    }

    /** Runs one task of a plan: writes its day's data files, commits nothing; returns its result for commitTasks. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> executeTask(Map<String, Object> task) throws FloeException {
        String json = Json.writeValue(task);
        return (Map<String, Object>) json(with(h -> FloeNative.taskExecute(h, u(json))));
    }

    /** Commits one task result per planned day as one snapshot; returns the summary of {@code floe backfill --json}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> commitTasks(Map<String, Object> plan, List<Map<String, Object>> results) throws FloeException {
        String planJson = Json.writeValue(plan);
        String resultsJson = Json.writeValue(new ArrayList<Object>(results));
        return (Map<String, Object>) json(with(h -> FloeNative.tasksCommit(h, u(planJson), u(resultsJson))));
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        lock.readLock().lock();
        try {
            return handle == 0;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Releases the handle; closing twice is harmless. Waits for calls in progress. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != 0) {
                FloeNative.warehouseClose(handle);
                handle = 0;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static Object json(byte[] utf8) {
        return Json.parse(FloeNative.text(utf8));
    }
}
