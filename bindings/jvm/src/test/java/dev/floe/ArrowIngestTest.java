package dev.floe;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Warehouse.ingestArrow with batches built from Java arrays in the JNI shim (no Arrow Java): rows committed and read
 * back by scan, partition overwrite, branches, a scan's stream as input, and bad input refused with nothing committed.
 */
public class ArrowIngestTest {
    static final String SCHEMA = "id:long not null,amount:double,name:string,ok:boolean,ts:timestamptz";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Warehouse w;

    @Before
    public void open() throws Exception {
        w = Warehouse.open(temp.getRoot().toPath().resolve("wh"));
        w.createTable("db.events", SCHEMA, "day(ts)");
    }

    @After
    public void close() {
        w.close();
    }

    private static ArrowBatch events(long[] ids, double[] amounts, boolean[] amountValid, String[] names, Instant[] ts) {
        boolean[] ok = new boolean[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ok[i] = ids[i] % 2 == 0;
        }
        return ArrowBatch.builder()
                .int64("id", ids)
                .float64("amount", amounts, amountValid)
                .utf8("name", names)
                .bool("ok", ok)
                .timestampTz("ts", ts)
                .build();
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    @Test
    public void batchesAreCommittedOnceAndReadBackByScan() throws Exception {
        ArrowBatch first = events(new long[] {1, 2, 3}, new double[] {1.5, 0, 3.25}, new boolean[] {true, false, true},
                new String[] {"alpha", null, "gämma ✓"},
                new Instant[] {at("2024-01-01T10:00:00Z"), at("2024-01-01T11:30:00.123456Z"), at("2024-01-02T00:00:00Z")});
        ArrowBatch second = events(new long[] {4, 5}, new double[] {4, 5}, null, new String[] {"", "epsilon"},
                new Instant[] {null, at("2024-01-03T23:59:59Z")});

        Map<String, Object> result = w.ingestArrow("db.events", List.of(first, second), null);

        assertEquals(5L, ((Number) result.get("rows")).longValue());
        assertEquals("append", result.get("operation"));
        assertEquals(1, w.snapshots("db.events").size());
        Rows rows = w.scan("db.events", ScanOptions.defaults().filter("id >= 0"));
        assertEquals(5, rows.size());
        Object[][] sorted = sortedById(rows);
        assertArrayEquals(new Object[] {1L, 1.5, "alpha", false, at("2024-01-01T10:00:00Z")}, sorted[0]);
        assertArrayEquals(new Object[] {2L, null, null, true, at("2024-01-01T11:30:00.123456Z")}, sorted[1]);
        assertArrayEquals(new Object[] {3L, 3.25, "gämma ✓", false, at("2024-01-02T00:00:00Z")}, sorted[2]);
        assertArrayEquals(new Object[] {4L, 4.0, "", true, null}, sorted[3]);
        assertArrayEquals(new Object[] {5L, 5.0, "epsilon", false, at("2024-01-03T23:59:59Z")}, sorted[4]);
        assertEquals(2L, w.count("db.events", "ok = true"));
    }

    private static Object[][] sortedById(Rows rows) {
        Object[][] out = new Object[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.row(i);
        }
        Arrays.sort(out, (a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        return out;
    }

    @Test
    public void manyRowsInManyBatchesKeepEveryValue() throws Exception {
        w.createTable("db.big", "id:long not null,amount:double,name:string", null);
        List<ArrowBatch> batches = new java.util.ArrayList<>();
        long idSum = 0;
        long nulls = 0;
        int rows = 50_000;
        for (int b = 0; b < 4; b++) {
            long[] ids = new long[rows];
            double[] amounts = new double[rows];
            boolean[] valid = new boolean[rows];
            String[] names = new String[rows];
            for (int i = 0; i < rows; i++) {
                long id = (long) b * rows + i;
                ids[i] = id;
                amounts[i] = id * 0.25;
                valid[i] = id % 7 != 0;
                names[i] = id % 5 == 0 ? null : "n" + id;
                idSum += id;
                nulls += valid[i] ? 0 : 1;
            }
            batches.add(ArrowBatch.builder().int64("id", ids).float64("amount", amounts, valid).utf8("name", names).build());
        }
        assertEquals(4L * rows, ((Number) w.ingestArrow("db.big", batches, null).get("rows")).longValue());

        assertEquals(4L * rows, w.count("db.big", null));
        assertEquals(nulls, w.count("db.big", "amount is null"));
        assertEquals(4L * rows / 5, w.count("db.big", "name is null"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> aggregates = (List<Map<String, Object>>) w.aggregate("db.big", "sum(id),max(id)", null)
                .get("aggregates");
        assertEquals(idSum, ((Number) aggregates.get(0).get("value")).longValue());
        assertEquals(4L * rows - 1, ((Number) aggregates.get(1).get("value")).longValue());
        assertEquals(1L, w.count("db.big", "name = 'n199999' and amount = 49999.75"));
    }

    @Test
    public void overwritePartitionsReplacesOnlyTheDaysTheBatchesTouch() throws Exception {
        w.ingestArrow("db.events", List.of(events(new long[] {1, 2, 3}, new double[] {1, 2, 3}, null,
                new String[] {"a", "b", "c"},
                new Instant[] {at("2024-01-01T01:00:00Z"), at("2024-01-01T02:00:00Z"), at("2024-01-02T01:00:00Z")})), null);

        Map<String, Object> result = w.ingestArrow("db.events", List.of(events(new long[] {10}, new double[] {10}, null,
                new String[] {"new"}, new Instant[] {at("2024-01-01T05:00:00Z")})),
                IngestOptions.defaults().mode(IngestMode.OVERWRITE_PARTITIONS));

        assertEquals("overwrite", result.get("operation"));
        Rows rows = w.scan("db.events", ScanOptions.defaults().columns(List.of("id")));
        List<Object> ids = rows.column("id");
        ids.sort(null);
        assertEquals(List.of(3L, 10L), ids);
    }

    @Test
    public void branchAndSnapshotPropertiesAreHonoured() throws Exception {
        ArrowStream data = ArrowStream.of(events(new long[] {7}, new double[] {7}, null, new String[] {"x"},
                new Instant[] {at("2024-02-01T00:00:00Z")}));
        try (data) {
            Map<String, Object> result = w.ingestArrow("db.events", data,
                    IngestOptions.defaults().branch("staging").property("source", "jvm-arrow"));
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) result.get("summary");
            assertEquals("jvm-arrow", summary.get("source"));
        }
        assertEquals(0L, w.count("db.events", null));
        assertEquals(1, w.scan("db.events", ScanOptions.defaults().ref("staging")).size());
    }

    @Test
    public void aScanStreamIsIngestedIntoAnotherTable() throws Exception {
        w.ingestArrow("db.events", List.of(events(new long[] {1, 2}, new double[] {1, 2}, null, new String[] {"a", "b"},
                new Instant[] {at("2024-01-01T00:00:00Z"), at("2024-01-05T00:00:00Z")})), null);
        w.createTable("db.copy", SCHEMA, null);

        try (ArrowStream scan = w.scanArrow("db.events", ScanOptions.defaults().filter("id = 2"))) {
            assertEquals(1L, ((Number) w.ingestArrow("db.copy", scan, null).get("rows")).longValue());
            // The call moved the stream: it is released, only its memory is left for close.
            assertThrows(InvalidArgumentException.class, scan::readRows);
        }
        assertEquals(List.of("b"), w.scan("db.copy", null).column("name"));
    }

    @Test
    public void everyBuilderTypeRoundTrips() throws Exception {
        w.createTable("db.types", "i:int,f:float,d:date,t:timestamp,b:binary,l:long", null);
        ArrowBatch batch = ArrowBatch.builder()
                .int32("i", new int[] {-7, 0}, new boolean[] {true, false})
                .float32("f", new float[] {0.5f, -1.25f})
                .date("d", new LocalDate[] {LocalDate.of(2024, 2, 29), null})
                .timestampMicros("t", new long[] {1_000_001L, 0}, new boolean[] {true, false})
                .binary("b", new byte[][] {{0, (byte) 0xff}, null})
                .int64("l", new long[] {Long.MIN_VALUE, Long.MAX_VALUE})
                .build();
        w.ingestArrow("db.types", List.of(batch), null);

        Rows rows = w.scan("db.types", null);
        assertEquals(2, rows.size());
        Object[] first = rows.row(0)[0] != null ? rows.row(0) : rows.row(1);
        Object[] second = rows.row(0)[0] != null ? rows.row(1) : rows.row(0);
        assertEquals(-7, first[0]);
        assertEquals(0.5f, first[1]);
        assertEquals(LocalDate.of(2024, 2, 29), first[2]);
        assertEquals(Instant.ofEpochSecond(1, 1000), first[3]);
        assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) first[4]);
        assertEquals(Long.MIN_VALUE, first[5]);
        assertArrayEquals(new Object[] {null, -1.25f, null, null, null, Long.MAX_VALUE}, second);
    }

    @Test
    public void anEmptyBatchCommitsNoRows() throws Exception {
        ArrowBatch empty = events(new long[0], new double[0], null, new String[0], new Instant[0]);
        Map<String, Object> result = w.ingestArrow("db.events", List.of(empty), null);
        assertEquals(0L, ((Number) result.get("rows")).longValue());
        assertEquals(0L, w.count("db.events", null));
    }

    @Test
    public void aMismatchedSchemaIsRefusedNamingTheColumnAndCommitsNothing() throws Exception {
        ArrowBatch renamed = ArrowBatch.builder()
                .int64("id", new long[] {1})
                .float64("amount", new double[] {1})
                .utf8("label", new String[] {"x"})
                .bool("ok", new boolean[] {true})
                .timestampTz("ts", new Instant[] {at("2024-01-01T00:00:00Z")})
                .build();
        InvalidDataException wrongName = assertThrows(InvalidDataException.class,
                () -> w.ingestArrow("db.events", List.of(renamed), null));
        assertTrue(wrongName.getMessage(), wrongName.getMessage().contains("label"));

        ArrowBatch wrongType = ArrowBatch.builder()
                .int32("id", new int[] {1})
                .float64("amount", new double[] {1})
                .utf8("name", new String[] {"x"})
                .bool("ok", new boolean[] {true})
                .timestampTz("ts", new Instant[] {at("2024-01-01T00:00:00Z")})
                .build();
        InvalidDataException typeError = assertThrows(InvalidDataException.class,
                () -> w.ingestArrow("db.events", List.of(wrongType), null));
        assertTrue(typeError.getMessage(), typeError.getMessage().contains("'id'"));
        assertEquals(FloeException.INVALID_DATA, typeError.code());

        ArrowBatch noTimeZone = ArrowBatch.builder()
                .int64("id", new long[] {1})
                .float64("amount", new double[] {1})
                .utf8("name", new String[] {"x"})
                .bool("ok", new boolean[] {true})
                .timestampMicros("ts", new long[] {0}, null)
                .build();
        assertThrows(InvalidDataException.class, () -> w.ingestArrow("db.events", List.of(noTimeZone), null));

        assertEquals(0, w.snapshots("db.events").size());
    }

    @Test
    public void aNullInARequiredColumnIsRefusedAndCommitsNothing() throws Exception {
        ArrowBatch batch = ArrowBatch.builder()
                .int64("id", new long[] {1, 2}, new boolean[] {true, false})
                .float64("amount", new double[] {1, 2})
                .utf8("name", new String[] {"a", "b"})
                .bool("ok", new boolean[] {true, true})
                .timestampTz("ts", new Instant[] {at("2024-01-01T00:00:00Z"), at("2024-01-01T00:00:00Z")})
                .build();
        FloeException e = assertThrows(FloeException.class, () -> w.ingestArrow("db.events", List.of(batch), null));
        assertTrue(e.getMessage(), e.getMessage().contains("id"));
        assertEquals(0, w.snapshots("db.events").size());
    }

    @Test
    public void unknownTablesAndClosedWarehousesThrowTheirCodes() throws Exception {
        ArrowBatch one = events(new long[] {1}, new double[] {1}, null, new String[] {"a"},
                new Instant[] {at("2024-01-01T00:00:00Z")});
        assertThrows(NotFoundException.class, () -> w.ingestArrow("db.nosuch", List.of(one), null));
        try (ArrowStream released = ArrowStream.of(one)) {
            FloeNative.arrowStreamRelease(released.address());
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> w.ingestArrow("db.events", released, null));
            assertTrue(e.getMessage(), e.getMessage().contains("released"));
        }
        w.close();
        assertThrows(InvalidHandleException.class, () -> w.ingestArrow("db.events", List.of(one), null));
    }

    @Test
    public void theBuilderRefusesInconsistentColumnsAndBatches() {
        assertThrows(IllegalArgumentException.class,
                () -> ArrowBatch.builder().int64("a", new long[] {1, 2}).float64("b", new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> ArrowBatch.builder().int64("a", new long[] {1, 2}, new boolean[] {true}));
        assertThrows(IllegalStateException.class, () -> ArrowBatch.builder().build());
        ArrowBatch a = ArrowBatch.builder().int64("a", new long[] {1}).build();
        ArrowBatch b = ArrowBatch.builder().float64("a", new double[] {1}).build();
        assertThrows(IllegalArgumentException.class, () -> ArrowStream.of(a, b));
        assertThrows(IllegalArgumentException.class, () -> ArrowStream.of(List.of()));
    }

    @Test
    public void aBuiltStreamReadsBackThroughTheRowFallback() throws Exception {
        ArrowBatch batch = ArrowBatch.builder().int64("a", new long[] {1, 2}, new boolean[] {false, true})
                .utf8("s", new String[] {"x", null}).build();
        try (ArrowStream stream = ArrowStream.of(batch, batch)) {
            Rows rows = stream.readRows();
            assertEquals(List.of("a", "s"), rows.columns());
            assertEquals(List.of("l", "u"), rows.formats());
            assertEquals(4, rows.size());
            assertNull(rows.row(0)[0]);
            assertEquals(Arrays.asList(null, 2L, null, 2L), rows.column("a"));
            assertEquals(Arrays.asList("x", null, "x", null), rows.column("s"));
        }
    }
}
