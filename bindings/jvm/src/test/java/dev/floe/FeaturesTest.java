package dev.floe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Features.validate and Features.compute: Arrow batches built in Java (and a warehouse scan) in, Arrow out, checked
 * against windows computed by hand from the events below.
 */
public class FeaturesTest {
    static final String DEFINITION = "{\"name\": \"user_txn\", \"version\": 1, \"entity\": [\"entity_id\"],"
            + " \"timestamp\": \"event_time\", \"source\": {\"table\": \"demo.nowhere\"},"
            + " \"features\": [{\"name\": \"txn_count_1d\", \"agg\": \"count\", \"window\": \"1d\"},"
            + " {\"name\": \"amount_sum_1d\", \"agg\": \"sum\", \"column\": \"amount\", \"window\": \"1d\"}]}";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Path definition(String text) throws Exception {
        Path path = temp.getRoot().toPath().resolve("def-" + text.hashCode() + ".json");
        Files.writeString(path, text);
        return path;
    }

    /**
     * Entity 1: two events an hour apart (the second sees both in its 1-day window), one two days later; entity 2:
     * one event, then one on the 9th (outside [01, 05)). The amount of the last entity-1 event is null.
     */
    private static ArrowBatch events() {
        return ArrowBatch.builder()
                .int64("entity_id", new long[] {1, 1, 2, 1, 2})
                .timestampTz("event_time", new Instant[] {Instant.parse("2024-01-01T01:00:00Z"),
                        Instant.parse("2024-01-01T02:00:00Z"), Instant.parse("2024-01-01T03:00:00Z"),
                        Instant.parse("2024-01-03T05:00:00Z"), Instant.parse("2024-01-09T00:00:00Z")})
                .float64("amount", new double[] {1.0, 2.0, 5.0, 0, 8.0}, new boolean[] {true, true, true, false, true})
                .build();
    }

    /** (entity, time, count, sum) per output row, sorted by entity then time. */
    private static List<List<Object>> table(Rows rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows.toList()) {
            out.add(Arrays.asList(row.get("entity_id"), row.get("event_time"), row.get("txn_count_1d"),
                    row.get("amount_sum_1d")));
        }
        out.sort((a, b) -> {
            int byEntity = Long.compare((Long) a.get(0), (Long) b.get(0));
            return byEntity != 0 ? byEntity : ((Instant) a.get(1)).compareTo((Instant) b.get(1));
        });
        return out;
    }

    @Test
    public void validateReportsValidityAndNamesTheProblem() throws Exception {
        Map<String, Object> good = Features.validate(definition(DEFINITION));
        assertEquals(Boolean.TRUE, good.get("valid"));
        assertEquals(List.of(), good.get("errors"));

        Map<String, Object> bad = Features.validate(definition(DEFINITION.replace("\"sum\"", "\"no_such_agg\"")));
        assertEquals(Boolean.FALSE, bad.get("valid"));
        List<?> errors = (List<?>) bad.get("errors");
        assertEquals(1, errors.size());
        assertTrue(errors.toString(), errors.get(0).toString().contains("no_such_agg"));

        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> Features.validate(temp.getRoot().toPath().resolve("missing.json")));
        assertTrue(missing.getMessage(), missing.getMessage().contains("missing.json"));
    }

    @Test
    public void computeOverJavaBatchesGivesTheHandComputedWindows() throws Exception {
        Path def = definition(DEFINITION);
        try (ArrowStream events = ArrowStream.of(events());
             ArrowStream out = Features.compute(def, events, "2024-01-01", "2024-01-05")) {
            Rows rows = out.readRows();
            assertEquals(List.of("entity_id", "event_time", "txn_count_1d", "amount_sum_1d"), rows.columns());
            // A count has no nulls; the null amount adds nothing to its window's sum.
            assertEquals(List.of(
                    Arrays.asList(1L, Instant.parse("2024-01-01T01:00:00Z"), 1L, 1.0),
                    Arrays.asList(1L, Instant.parse("2024-01-01T02:00:00Z"), 2L, 3.0),
                    Arrays.asList(1L, Instant.parse("2024-01-03T05:00:00Z"), 1L, null),
                    Arrays.asList(2L, Instant.parse("2024-01-01T03:00:00Z"), 1L, 5.0)), table(rows));
        }
    }

    @Test
    public void computeOverAScanAndIngestItsOutput() throws Exception {
        Path def = definition(DEFINITION);
        try (Warehouse w = Warehouse.open(temp.getRoot().toPath().resolve("wh"))) {
            w.createTable("demo.events", "entity_id:long not null,event_time:timestamptz not null,amount:double", null);
            w.ingestArrow("demo.events", List.of(events()), null);
            w.createTable("demo.features",
                    "entity_id:long not null,event_time:timestamptz not null,txn_count_1d:long,amount_sum_1d:double", null);
            try (ArrowStream scan = w.scanArrow("demo.events", null);
                 ArrowStream out = Features.compute(def, scan, "2024-01-01", "2024-01-10")) {
                Map<String, Object> committed = w.ingestArrow("demo.features", out, null);
                assertEquals(5L, ((Number) committed.get("rows")).longValue());
            }
            assertEquals(1L, w.count("demo.features", "entity_id = 2 and txn_count_1d = 1 and amount_sum_1d = 8"));
            assertEquals(2L, w.count("demo.features", "txn_count_1d = 1 and entity_id = 1"));
        }
    }

    @Test
    public void aDefinitionThatDoesNotFitTheEventsIsInvalidData() throws Exception {
        Path def = definition(DEFINITION);
        ArrowBatch noAmount = ArrowBatch.builder()
                .int64("entity_id", new long[] {1})
                .timestampTz("event_time", new Instant[] {Instant.parse("2024-01-01T00:00:00Z")})
                .build();
        try (ArrowStream events = ArrowStream.of(noAmount)) {
            InvalidDataException e = assertThrows(InvalidDataException.class,
                    () -> Features.compute(def, events, "2024-01-01", "2024-01-05"));
            assertTrue(e.getMessage(), e.getMessage().contains("amount"));
            // Moved even on failure: released by the library.
            assertThrows(InvalidArgumentException.class, events::readRows);
        }
    }

    @Test
    public void badArgumentsThrowTheirCodes() throws Exception {
        Path def = definition(DEFINITION);
        try (ArrowStream events = ArrowStream.of(events())) {
            assertThrows(InvalidArgumentException.class, () -> Features.compute(def, events, "not a date", "2024-01-05"));
        }
        try (ArrowStream events = ArrowStream.of(events())) {
            assertThrows(NotFoundException.class,
                    () -> Features.compute(temp.getRoot().toPath().resolve("nosuch.json"), events, "2024-01-01", "2024-01-05"));
            assertFalse(Files.exists(temp.getRoot().toPath().resolve("nosuch.json")));
        }
    }
}
