package dev.floe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Delete, forget, drop, expire, tags, cherry-pick, table properties and upgrades through the binding, checked by counts on a real warehouse. */
public class MaintenanceTest {
    static final String SCHEMA = "id:long not null,amount:double,name:string";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private Warehouse w;

    @Before
    public void open() throws Exception {
        w = Warehouse.open(temp.getRoot().toPath().resolve("wh"));
        w.createTable("db.parts", SCHEMA, "name");
    }

    @After
    public void close() {
        w.close();
    }

    private long ingest(String file, String rows, String branch) throws Exception {
        Path path = temp.getRoot().toPath().resolve(file);
        Files.writeString(path, "id,amount,name\n" + rows);
        IngestOptions options = IngestOptions.defaults();
        if (branch != null) {
            options = options.branch(branch);
        }
        return ((Number) w.ingest("db.parts", path, options).get("snapshot_id")).longValue();
    }

    @Test
    public void deleteTagCherryPickExpireDrop() throws Exception {
        long first = ingest("a.csv", "1,1.0,a\n2,2.0,a\n3,3.0,b\n", null);
        assertEquals(first, ((Number) w.createTag("db.parts", "v1", null).get("snapshot_id")).longValue());
        assertEquals(1L, ((Number) w.delete("db.parts", "name = 'a'", null).get("deleted_files")).longValue());
        assertEquals(1L, w.count("db.parts", null));
        assertThrows(InvalidArgumentException.class, () -> w.delete("db.parts", "name = = 'a'", null));

        w.createBranch("db.parts", "dev", null);
        long picked = ingest("b.csv", "4,4.0,c\n", "dev");
        w.cherryPick("db.parts", picked, null);
        assertEquals(2L, w.count("db.parts", null));

        w.dropRef("db.parts", "v1", true);
        w.dropRef("db.parts", "dev", false);
        assertThrows(NotFoundException.class, () -> w.dropRef("db.parts", "v1", true));
        Map<String, Object> expired = w.expireSnapshots("db.parts", "99999999999999", 1, false);
        assertEquals(3, ((List<?>) expired.get("expired_snapshot_ids")).size());
        assertEquals(2L, w.count("db.parts", null));

        assertEquals(Boolean.TRUE, w.dropTable("db.parts", true, false).get("purged"));
        assertEquals(List.of(), w.tables());
    }

    @Test
    public void forgetCountsOnADryRunThenDeletesFromEveryTableWithTheColumn() throws Exception {
        w.createTable("db.a", "user_id:long,amount:double", null);
        w.createTable("db.b", "user_id:long,name:string", null);
        w.createTable("db.c", "other:long", null);
        for (String[] t : new String[][] {{"db.a", "user_id,amount\n7,1.0\n8,2.0\n7,3.0\n"}, {"db.b", "user_id,name\n7,x\n9,y\n"}}) {
            Path path = temp.getRoot().toPath().resolve(t[0] + ".csv");
            Files.writeString(path, t[1]);
            w.ingest(t[0], path, IngestOptions.defaults());
        }
        Map<String, Object> dry = w.forget("user_id", 7, null, true, null);
        assertEquals(Boolean.TRUE, dry.get("dry_run"));
        assertEquals(Map.of("db.a", 2L, "db.b", 1L), deletedRows(dry));
        assertEquals(3L, w.count("db.a", null));

        Map<String, Object> done = w.forget("user_id", 7, null, false, "erasure request");
        assertEquals(Boolean.FALSE, done.get("dry_run"));
        for (Object table : (List<?>) done.get("tables")) {
            assertNotNull(((Map<?, ?>) table).get("snapshot_id"));
        }
        assertEquals(1L, w.count("db.a", null));
        assertEquals(1L, w.count("db.b", null));
        assertThrows(InvalidArgumentException.class, () -> w.forget("user_id", 7, List.of("db.c"), false, null));
    }

    private static Map<String, Long> deletedRows(Map<String, Object> report) {
        Map<String, Long> rows = new java.util.TreeMap<>();
        for (Object table : (List<?>) report.get("tables")) {
            Map<?, ?> entry = (Map<?, ?>) table;
            rows.put((String) entry.get("table"), ((Number) entry.get("deleted_rows")).longValue());
        }
        return rows;
    }

    @Test
    public void createWithPropertiesThenUpgrade() throws Exception {
        w.createTable("db.v3", "id:long", null, Map.of("format-version", "3", "write.delete.mode", "merge-on-read"));
        Map<String, Object> v3 = w.describe("db.v3");
        assertEquals(3L, ((Number) v3.get("format_version")).longValue());
        assertEquals("merge-on-read", ((Map<?, ?>) v3.get("properties")).get("write.delete.mode"));

        w.createTable("db.v2", "id:long", null, null);
        assertEquals(2L, ((Number) w.describe("db.v2").get("format_version")).longValue());
        assertEquals(3L, ((Number) w.upgradeTable("db.v2", 3).get("format_version")).longValue());
        assertEquals(3L, ((Number) w.describe("db.v2").get("format_version")).longValue());
        assertThrows(InvalidArgumentException.class, () -> w.upgradeTable("db.v2", 2));
        assertThrows(InvalidArgumentException.class,
                () -> w.createTable("db.bad", "id:long", null, Map.of("format-version", "9")));
    }

    @Test
    public void checkRegisterAndReplaceRefs() throws Exception {
        long first = ingest("a.csv", "1,1.0,a\n2,2.0,a\n3,3.0,b\n", null);
        w.createTag("db.parts", "v1", null);
        w.delete("db.parts", "name = 'a'", null);
        w.createBranch("db.parts", "old", null);
        assertEquals(first, ((Number) w.replaceBranch("db.parts", "old", "v1").get("snapshot_id")).longValue());
        long current = ((Number) w.describe("db.parts").get("current_snapshot_id")).longValue();
        assertEquals(current, ((Number) w.replaceTag("db.parts", "v1", "main").get("snapshot_id")).longValue());
        assertThrows(NotFoundException.class, () -> w.replaceTag("db.parts", "nope", "main"));
        assertEquals(Boolean.TRUE, w.checkTable("db.parts", true).get("healthy"));

        String metadata = ((String) w.describe("db.parts").get("metadata_location")).replaceFirst("^file://", "");
        w.registerTable("db.back", Path.of(metadata), null);
        assertEquals(1L, w.count("db.back", null));
        assertThrows(AlreadyExistsException.class, () -> w.registerTable("db.back", Path.of(metadata), null));
    }

    @Test
    public void compactThenRemoveOrphans() throws Exception {
        ingest("a.csv", "1,1.0,x\n", null);
        ingest("b.csv", "2,2.0,x\n", null);
        ingest("c.csv", "3,3.0,x\n", null);
        assertEquals(1L, ((Number) w.compact("db.parts", null, 2).get("added_files")).longValue());
        assertEquals(3L, w.count("db.parts", null));

        String location = ((String) w.describe("db.parts").get("location")).replaceFirst("^file://", "");
        Path orphan = Path.of(location, "data", "orphan.parquet");
        Files.writeString(orphan, "x");
        w.removeOrphans("db.parts", "99999999999999", true);
        assertTrue(Files.exists(orphan));
        w.removeOrphans("db.parts", "99999999999999", false);
        assertFalse(Files.exists(orphan));
        assertEquals(3L, w.count("db.parts", null));
    }
}
