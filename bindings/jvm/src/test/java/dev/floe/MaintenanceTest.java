package dev.floe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Delete, drop, expire, tags and cherry-pick through the binding, checked by counts on a real warehouse. */
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
}
