package dev.floe.examples;

import dev.floe.CommitConflictException;
import dev.floe.FloeException;
import dev.floe.IngestOptions;
import dev.floe.IngestMode;
import dev.floe.ScanOptions;
import dev.floe.Warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The shape of a Spark job that writes a Floe table, compiled against nothing but the binding (floe.jar).
 *
 * <ul>
 *   <li>Driver: create the table and the staging branch ({@link #plan}); after the executors, audit the branch and
 *       publish it to main with a fast-forward ({@link #auditAndPublish}): write-audit-publish.</li>
 *   <li>Executors: {@code rdd.mapPartitions(files -> executePartition(warehouse, table, files))}
 *       ({@link #executePartition}); each task opens the warehouse, ingests its files into the staging branch
 *       (overwriting their partitions, so a rerun task is idempotent) and retries a lost commit race.</li>
 * </ul>
 *
 * In Spark the driver would run
 * {@code sc.parallelize(files, n).mapPartitions(it -> SparkShapedBackfill.executePartition(wh, table, it)).collect()};
 * {@link #main} runs the same functions on a local thread pool instead, so this file needs no Spark jar. When the
 * C ABI gains floe_backfill_plan / floe_task_execute / floe_tasks_commit, plan, executePartition and the publish
 * step map onto them one for one.
 */
public final class SparkShapedBackfill {
    private SparkShapedBackfill() {
    }

    /** Driver: the table and the staging branch the executors write to. */
    public static void plan(String warehouse, String table, String schema, String partition) throws FloeException {
        try (Warehouse w = Warehouse.open(warehouse)) {
            if (!w.tables().contains(table)) {
                w.createTable(table, schema, partition);
            }
            // A table with history stages on top of main's head; an empty one gets the branch from its first commit.
            if (w.describe(table).get("current_snapshot_id") != null) {
                w.createBranch(table, "staging", null);
            }
        }
    }

    /** Executor: one partition of input files; returns one line per committed file (snapshot id and rows). */
    public static Iterator<String> executePartition(String warehouse, String table, Iterator<String> files)
            throws FloeException {
        List<String> results = new ArrayList<>();
        try (Warehouse w = Warehouse.open(warehouse)) {
            while (files.hasNext()) {
                String file = files.next();
                IngestOptions options = IngestOptions.defaults().branch("staging")
                        .mode(IngestMode.OVERWRITE_PARTITIONS).property("source-file", Path.of(file).getFileName().toString());
                for (int attempt = 1; ; attempt++) {
                    try {
                        var commit = w.ingest(table, Path.of(file), options);
                        results.add(commit.get("snapshot_id") + " " + commit.get("rows"));
                        break;
                    } catch (CommitConflictException e) {
                        if (attempt == 10) {
                            throw e; // another executor keeps winning; let the scheduler rerun the task
                        }
                    }
                }
            }
        }
        return results.iterator();
    }

    /** Driver: audit the staged rows, then publish them to main; returns the rows main then holds. */
    public static long auditAndPublish(String warehouse, String table, String auditFilter) throws FloeException {
        try (Warehouse w = Warehouse.open(warehouse)) {
            long bad = w.scan(table, ScanOptions.defaults().ref("staging").filter(auditFilter)).size();
            if (bad != 0) {
                throw new IllegalStateException("audit failed: " + bad + " rows match " + auditFilter);
            }
            w.fastForward(table, "main", "staging");
            return w.count(table, null);
        }
    }

    /** Runs the job locally: {@code SparkShapedBackfill WAREHOUSE FILE...} on a thread pool of 4 "executors". */
    public static void main(String[] args) throws Exception {
        String warehouse = args[0];
        String table = "demo.events";
        plan(warehouse, table, "entity_id:long not null,event_time:timestamptz not null,amount:double", "day(event_time)");
        ExecutorService executors = Executors.newFixedThreadPool(4);
        List<Future<Iterator<String>>> tasks = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            List<String> partition = List.of(args[i]);
            tasks.add(executors.submit(() -> executePartition(warehouse, table, partition.iterator())));
        }
        int committed = 0;
        for (Future<Iterator<String>> task : tasks) {
            for (Iterator<String> it = task.get(); it.hasNext(); it.next()) {
                committed++;
            }
        }
        executors.shutdown();
        long rows = auditAndPublish(warehouse, table, "amount < 0");
        System.out.println("committed " + committed + " files; main holds " + rows + " rows");
        if (!Files.isDirectory(Path.of(warehouse))) {
            throw new IllegalStateException("no warehouse");
        }
    }
}
