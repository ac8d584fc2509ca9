package dev.floe;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The binding end to end on a real warehouse in a temporary folder. */
public class WarehouseTest {
    static final String SCHEMA = "id:long not null,amount:double,name:string,ok:boolean,ts:timestamptz";
    static final String ROWS = "id,amount,name,ok,ts\n"
            + "1,1.5,alpha,true,2024-01-01T00:00:00Z\n"
            + "2,2.25,beta,false,2024-01-02T00:00:00Z\n"
            + "3,,gamma,true,2024-01-03T00:00:00Z\n";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Warehouse w;

    @Before
    public void open() throws Exception {
        w = Warehouse.open(temp.getRoot().toPath().resolve("wh"));
        w.createTable("db.events", SCHEMA, null);
    }

    @After
    public void close() {
        w.close();
    }

    private Path csv(String name, String text) throws IOException {
        Path path = temp.getRoot().toPath().resolve(name);
        Files.writeString(path, text);
        return path;
    }

    private static long asLong(Object o) {
        return ((Number) o).longValue();
    }

    @Test
    public void versionAndAbi() {
        assertEquals("0.1.0", Warehouse.libraryVersion());
        assertEquals(1, FloeNative.abiVersion());
    }

    @Test
    public void pathCloseAndUseAfterClose() throws Exception {
        assertEquals(temp.getRoot().toPath().resolve("wh"), w.path());
        assertTrue(Files.isRegularFile(w.path().resolve("catalog.db")));
        w.close();
        w.close();
        assertTrue(w.isClosed());
        InvalidHandleException e = assertThrows(InvalidHandleException.class, () -> w.path());
        assertEquals(FloeException.INVALID_HANDLE, e.code());
        // The raw layer reports a closed handle as an error, never a crash.
        assertThrows(InvalidHandleException.class, () -> FloeNative.warehousePath(12345L));
    }

    @Test
    public void createDescribeList() throws Exception {
        w.createTable("db.daily", SCHEMA, "day(ts)");
        Map<String, Object> d = w.describe("db.events");
        assertEquals("db.events", d.get("name"));
        assertEquals(2L, asLong(d.get("format_version")));
        assertNull(d.get("current_snapshot_id"));
        List<String> tables = new ArrayList<>(w.tables());
        tables.sort(Comparator.naturalOrder());
        assertEquals(List.of("db.daily", "db.events"), tables);
    }

    @Test
    public void aggregatesAgreeWithTheRows() throws Exception {
        w.ingest("db.events", csv("a.csv", ROWS), IngestOptions.defaults());
        Map<String, Object> result = w.aggregate("db.events", "count(*), sum(id), max(amount), min(ts), count(amount)", null);
        Map<String, String> values = new java.util.TreeMap<>();
        for (Object a : (List<?>) result.get("aggregates")) {
            Map<?, ?> entry = (Map<?, ?>) a;
            values.put((String) entry.get("name"), String.valueOf(entry.get("value")));
        }
        assertEquals(Map.of("count(*)", "3", "sum(id)", "6", "max(amount)", "2.25", "min(ts)", "2024-01-01T00:00:00Z", "count(amount)", "2"), values);
        Map<?, ?> avg = (Map<?, ?>) ((List<?>) w.aggregate("db.events", "avg(id)", "id >= 2").get("aggregates")).get(0);
        assertEquals(2.5, ((Number) avg.get("value")).doubleValue(), 0.0);
        assertThrows(InvalidArgumentException.class, () -> w.aggregate("db.events", "median(id)", null));
    }

    @Test
    public void ingestCountSnapshotsAndScan() throws Exception {
        Map<String, Object> commit = w.ingest("db.events", csv("a.csv", ROWS), IngestOptions.defaults());
        assertEquals(3L, asLong(commit.get("rows")));
        assertEquals("append", commit.get("operation"));
        long snapshot = asLong(commit.get("snapshot_id"));
        assertEquals(3, w.count("db.events", null));
        assertEquals(2, w.count("db.events", "id >= 2"));
        List<Map<String, Object>> snapshots = w.snapshots("db.events");
        assertEquals(1, snapshots.size());
        assertEquals(snapshot, asLong(snapshots.get(0).get("snapshot_id")));
        assertEquals(snapshot, asLong(w.describe("db.events").get("current_snapshot_id")));

        Rows rows = w.scan("db.events", ScanOptions.defaults());
        assertEquals(List.of("id", "amount", "name", "ok", "ts"), rows.columns());
        assertEquals("tsu:UTC", rows.formats().get(4));
        List<Map<String, Object>> list = new ArrayList<>(rows.toList());
        list.sort(Comparator.comparingLong(r -> (Long) r.get("id")));
        assertEquals(1.5, list.get(0).get("amount"));
        assertNull(list.get(2).get("amount"));
        assertEquals("beta", list.get(1).get("name"));
        assertEquals(Boolean.FALSE, list.get(1).get("ok"));
        assertEquals(Instant.parse("2024-01-02T00:00:00Z"), list.get(1).get("ts"));

        Rows projected = w.scan("db.events", ScanOptions.defaults().columns(List.of("id")).filter("id > 1"));
        assertEquals(List.of("id"), projected.columns());
        assertEquals(2, projected.size());
        assertEquals(3, w.scan("db.events", ScanOptions.defaults().snapshot(snapshot)).size());
    }

    @Test
    public void overwritePartitionsWithProperties() throws Exception {
        w.createTable("db.daily", SCHEMA, "day(ts)");
        w.ingest("db.daily", csv("a.csv", ROWS), IngestOptions.defaults());
        Map<String, Object> commit = w.ingest("db.daily",
                csv("b.csv", "id,amount,name,ok,ts\n20,9.0,x,true,2024-01-02T05:00:00Z\n21,9.5,y,true,2024-01-02T06:00:00Z\n"),
                IngestOptions.defaults().mode(IngestMode.OVERWRITE_PARTITIONS).property("job", "backfill \"1\""));
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) commit.get("summary");
        assertEquals("backfill \"1\"", summary.get("job"));
        assertEquals(4, w.count("db.daily", null));
        assertEquals(0, w.count("db.daily", "id = 2"));
    }

    @Test
    public void writeAuditPublish() throws Exception {
        w.ingest("db.events", csv("a.csv", ROWS), IngestOptions.defaults());
        w.createBranch("db.events", "staging", null);
        Map<String, Object> staged = w.ingest("db.events",
                csv("b.csv", "id,amount,name,ok,ts\n10,1.0,x,true,2024-02-01T00:00:00Z\n11,-2.0,y,false,2024-02-02T00:00:00Z\n"),
                IngestOptions.defaults().branch("staging"));
        assertEquals(3, w.count("db.events", null));
        Rows audit = w.scan("db.events", ScanOptions.defaults().ref("staging").filter("amount < 0"));
        assertEquals(List.of(11L), audit.column("id"));
        w.fastForward("db.events", "main", "staging");
        assertEquals(5, w.count("db.events", null));
        assertEquals(asLong(staged.get("snapshot_id")), asLong(w.describe("db.events").get("current_snapshot_id")));
        w.ingest("db.events", csv("c.csv", ROWS), IngestOptions.defaults());
        w.ingest("db.events", csv("d.csv", ROWS), IngestOptions.defaults().branch("staging"));
        assertThrows(ValidationException.class, () -> w.fastForward("db.events", "main", "staging"));
    }

    @Test
    public void errorsMapToCheckedExceptions() throws Exception {
        NotFoundException missing = assertThrows(NotFoundException.class, () -> w.describe("db.nosuch"));
        assertEquals(FloeException.NOT_FOUND, missing.code());
        assertEquals("not_found", missing.category());
        assertTrue(missing.getMessage(), missing.getMessage().contains("db.nosuch"));
        assertThrows(InvalidArgumentException.class, () -> w.createTable("db.bad", "id:notatype", null));
        assertThrows(AlreadyExistsException.class, () -> w.createTable("db.events", SCHEMA, null));
        assertThrows(NotFoundException.class, () -> w.scan("db.events", ScanOptions.defaults().ref("nosuch")));
        assertThrows(InvalidArgumentException.class, () -> w.count("db.events", "id >>> 1"));
        assertThrows(InvalidDataException.class,
                () -> w.ingest("db.events", csv("bad.csv", "id,amount\nnot-a-number,1\n"), IngestOptions.defaults()));
        assertThrows(NotFoundException.class,
                () -> w.ingest("db.events", temp.getRoot().toPath().resolve("missing.csv"), IngestOptions.defaults()));
        assertEquals(0, w.count("db.events", null));
        assertFalse(new CommitConflictException("conflict", "x").getMessage().isEmpty());
        assertTrue(FloeException.of(FloeException.CONFLICT, "conflict", "lost a race").isRetryable());
    }

    @Test
    public void nonAsciiNamesAndPathsRoundTrip() throws Exception {
        Path folder = temp.getRoot().toPath().resolve("données 倉庫");
        try (Warehouse other = Warehouse.open(folder)) {
            assertEquals(folder, other.path());
            other.createTable("db.t", "name:string", null);
            other.ingest("db.t", csv("u.csv", "name\nÅsa 😀\n"), IngestOptions.defaults());
            assertEquals(List.of("Åsa 😀"), other.scan("db.t", ScanOptions.defaults()).column("name"));
        }
    }

    @Test
    public void arrowStreamAddressAndRelease() throws Exception {
        w.ingest("db.events", csv("a.csv", ROWS), IngestOptions.defaults());
        try (ArrowStream stream = w.scanArrow("db.events", ScanOptions.defaults())) {
            assertNotEquals(0L, stream.address());
        } // released unread: the producer must cope
        ArrowStream stream = w.scanArrow("db.events", ScanOptions.defaults().filter("ok = true"));
        Rows rows = stream.readRows();
        assertEquals(2, rows.size());
        stream.close();
        stream.close();
        assertThrows(IllegalStateException.class, stream::address);
        // A released stream is refused by the raw layer rather than crashing it.
        long raw = FloeNative.arrowStreamAllocate();
        try {
            assertThrows(InvalidArgumentException.class, () -> FloeNative.arrowStreamSchema(raw));
        } finally {
            FloeNative.arrowStreamFree(raw);
        }
    }

    @Test
    public void threadsShareOneWarehouse() throws Exception {
        w.ingest("db.events", csv("a.csv", ROWS), IngestOptions.defaults());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 10; i++) {
                        assertEquals(2, w.count("db.events", "id >= 2"));
                        assertThrows(NotFoundException.class, () -> w.describe("db.nosuch"));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a thread failed", failure.get());
        }
    }

    @Test
    public void utf8HelperTerminatesWithNul() {
        assertArrayEquals(new byte[] {'a', 0}, FloeNative.utf8("a"));
        assertNull(FloeNative.utf8(null));
    }
}
