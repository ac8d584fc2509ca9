package dev.floe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The main job end to end through the binding: events table, ingest of a generated CSV, backfill with WAP, audit,
 * publish, lineage, training set; cancellation from the progress callback; bad requests. ctest runs it with no
 * dotnet and no DOTNET_ROOT in the environment.
 */
public class MainJobTest {
    static final String DEFINITION = "{\"name\": \"user_txn\", \"version\": 1, \"entity\": [\"entity_id\"],"
            + " \"timestamp\": \"event_time\", \"source\": {\"table\": \"demo.events\"},"
            + " \"features\": [{\"name\": \"txn_count_1d\", \"agg\": \"count\", \"window\": \"1d\"},"
            + " {\"name\": \"amount_sum_1d\", \"agg\": \"sum\", \"column\": \"amount\", \"window\": \"1d\"}]}";
    static final int ENTITIES = 25;
    static final int EVENTS_PER_DAY = 3;
    static final int DAYS = 3;

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Warehouse w;
    private Path definition;
    private final Map<Integer, Double> day2Sums = new HashMap<>();

    @Before
    public void open() throws Exception {
        w = Warehouse.open(temp.getRoot().toPath().resolve("wh"));
        w.createTable("demo.events",
                "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string",
                "day(event_time)");
        StringBuilder events = new StringBuilder("entity_id,event_time,amount,category\n");
        for (int day = 1; day <= DAYS; day++) {
            for (int e = 0; e < ENTITIES; e++) {
                for (int k = 0; k < EVENTS_PER_DAY; k++) {
                    int amount = 1 + (e * 7 + k * 3 + day) % 40;
                    if (day == 2) {
                        day2Sums.merge(e, (double) amount, Double::sum);
                    }
                    events.append(String.format("%d,2024-01-%02dT%02d:%02d:00Z,%d,c%d%n", e, day, 2 + 6 * k, e, amount, k));
                }
            }
        }
        Map<String, Object> ingested = w.ingest("demo.events", file("events.csv", events.toString()), null);
        assertEquals((long) DAYS * ENTITIES * EVENTS_PER_DAY, ((Number) ingested.get("rows")).longValue());
        definition = file("user_txn.json", DEFINITION);
    }

    @After
    public void close() {
        w.close();
    }

    private Path file(String name, String text) throws IOException {
        Path path = temp.getRoot().toPath().resolve(name);
        Files.writeString(path, text);
        return path;
    }

    @Test
    @SuppressWarnings("unchecked")
    public void backfillWithWapAuditPublishLineageAndTrainingSet() throws Exception {
        List<long[]> reports = new ArrayList<>();
        Map<String, Object> summary = w.backfill(
                BackfillRequest.of(definition, "2024-01-01", "2024-01-04").wap(true).codeVersion("jvm-test"),
                (done, total, rows) -> {
                    reports.add(new long[] {done, total, rows});
                    return false;
                });
        assertEquals("wap-user_txn", summary.get("branch"));
        assertEquals((long) DAYS, ((Number) summary.get("days")).longValue());
        long rows = ((Number) summary.get("rows")).longValue();
        assertTrue(rows > 0);
        assertEquals(DAYS, reports.get(reports.size() - 1)[0]);
        assertEquals(DAYS, reports.get(reports.size() - 1)[1]);

        assertThrows(ValidationException.class, () -> w.publish("features.user_txn", "wap-user_txn"));
        Map<String, Object> audit = w.audit("features.user_txn", "wap-user_txn", null, null, List.of("entity_id"));
        assertEquals(Boolean.TRUE, audit.get("passed"));
        Map<String, Object> published = w.publish("features.user_txn", "wap-user_txn");
        assertEquals(summary.get("snapshot_id"), published.get("snapshot_id"));
        assertEquals(rows, w.count("features.user_txn", null));

        Map<String, Object> lineage = w.lineage("features.user_txn", null);
        List<Object> partitions = (List<Object>) lineage.get("partitions");
        assertEquals(DAYS, partitions.size());
        Map<String, Object> first = (Map<String, Object>) partitions.get(0);
        assertEquals("2024-01-01", first.get("partition"));
        assertTrue(first.get("lineage").toString().contains("jvm-test"));

        StringBuilder spine = new StringBuilder("entity_id,ts,label\n");
        for (int e = 0; e < ENTITIES; e++) {
            spine.append(e).append(",2024-01-02T23:59:00Z,").append(e % 2).append('\n');
        }
        Path output = temp.getRoot().toPath().resolve("train.csv");
        Map<String, Object> training = w.trainingSet(
                TrainingSetRequest.of(file("spine.csv", spine.toString()), List.of("features.user_txn"), output));
        assertEquals((long) ENTITIES, ((Number) training.get("rows")).longValue());
        List<String> lines = Files.readAllLines(output);
        assertEquals(ENTITIES + 1, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        int entityColumn = header.indexOf("entity_id");
        int sumColumn = header.indexOf("amount_sum_1d");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            int entity = Integer.parseInt(cells[entityColumn]);
            assertEquals("entity " + entity, day2Sums.get(entity), Double.parseDouble(cells[sumColumn]), 0.0);
        }
    }

    @Test
    public void progressReturningTrueCancelsAndLeavesMainUntouched() throws Exception {
        w.backfill(BackfillRequest.of(definition, "2024-01-01", "2024-01-02"), null);
        List<Map<String, Object>> before = w.snapshots("features.user_txn");
        int[] calls = {0};
        CancelledException e = assertThrows(CancelledException.class, () -> w.backfill(
                BackfillRequest.of(definition, "2024-01-01", "2024-01-04").codeVersion("v2"),
                (done, total, rows) -> ++calls[0] >= 1));
        assertEquals(FloeException.CANCELLED, e.code());
        assertEquals("cancelled", e.category());
        assertEquals(1, calls[0]);
        assertEquals(before, w.snapshots("features.user_txn"));
    }

    @Test
    public void exceptionInProgressIsRethrownAndCommitsNothing() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.backfill(
                BackfillRequest.of(definition, "2024-01-01", "2024-01-03"),
                (done, total, rows) -> {
                    throw new IllegalStateException("from the callback");
                }));
        assertEquals("from the callback", e.getMessage());
        assertEquals(List.of(), w.snapshots("features.user_txn"));
    }

    @Test
    @SuppressWarnings("unchecked")
    public void distributedPlanExecuteCommitEqualsOneProcessBackfill() throws Exception {
        Map<String, Object> plan = w.backfillPlan(
                BackfillRequest.of(definition, "2024-01-01", "2024-01-04").codeVersion("v1").branch("dist"));
        List<Object> tasks = (List<Object>) plan.get("tasks");
        assertEquals(DAYS, tasks.size());
        List<Map<String, Object>> results = new ArrayList<>();
        for (Object task : tasks) {
            results.add(w.executeTask((Map<String, Object>) task));
        }
        assertThrows(InvalidArgumentException.class, () -> w.commitTasks(plan, results.subList(0, 1)));
        Map<String, Object> committed = w.commitTasks(plan, results);
        Map<String, Object> single = w.backfill(BackfillRequest.of(definition, "2024-01-01", "2024-01-04").codeVersion("v1"), null);
        assertEquals("dist", committed.get("branch"));
        assertEquals(single.get("rows"), committed.get("rows"));
    }

    @Test
    public void badRequestsAreInvalidArgumentNamingTheField() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> w.backfill(BackfillRequest.of(definition, "yesterday", "2024-01-02"), null));
        assertTrue(e.getMessage(), e.getMessage().contains("\"from\""));
        e = assertThrows(InvalidArgumentException.class,
                () -> w.backfill(BackfillRequest.of(definition, "2024-01-01", "2024-01-02").commitEvery(-1), null));
        assertTrue(e.getMessage(), e.getMessage().contains("\"commit_every\""));
        assertThrows(NotFoundException.class, () -> w.lineage("db.nosuch", null));
    }
}
