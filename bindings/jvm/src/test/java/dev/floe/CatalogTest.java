package dev.floe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Warehouse.open(folder, catalog, token) on each kind of catalog: another SQLite file, PostgreSQL
 * ({@code FLOE_POSTGRES_URL}, which .ci/run starts) and an Iceberg REST catalog served by a {@code floe catalog serve}
 * process ({@code -Dfloe.cli}). Each writes through the binding and a separate open reads the table back.
 */
public class CatalogTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private static ArrowBatch rows(long... ids) {
        Instant[] ts = new Instant[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ts[i] = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(86_400L * ids[i]);
        }
        return ArrowBatch.builder().int64("id", ids).timestampTz("ts", ts).build();
    }

    /** Creates db.t through {@code catalog}, writes three rows, and checks a second handle on it reads them. */
    private void writeAndReadBack(Path folder, String catalog, String token) throws Exception {
        try (Warehouse w = Warehouse.open(folder, catalog, token)) {
            w.createTable("db.t", "id:long not null,ts:timestamptz", "day(ts)");
            w.ingestArrow("db.t", List.of(rows(1, 2, 3)), null);
        }
        try (Warehouse again = Warehouse.open(folder, catalog, token)) {
            assertEquals(List.of("db.t"), again.tables());
            assertEquals(3L, again.count("db.t", null));
            assertEquals(1L, again.count("db.t", "id = 2"));
        }
    }

    @Test
    public void aSqliteUriKeepsTheCatalogInThatFile() throws Exception {
        Path folder = temp.getRoot().toPath().resolve("wh");
        Path other = temp.getRoot().toPath().resolve("other.db");
        writeAndReadBack(folder, "sqlite:" + other, null);
        assertTrue(Files.isRegularFile(other));
        try (Warehouse own = Warehouse.open(folder)) {
            assertEquals(List.of(), own.tables()); // the folder's own catalog.db never saw db.t
        }
        try (Warehouse nullCatalog = Warehouse.open(folder, null, null)) {
            assertEquals(List.of(), nullCatalog.tables());
        }
    }

    @Test
    public void anUnknownSchemeIsAnInvalidArgumentNamingIt() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> Warehouse.open(temp.getRoot().toPath(), "nosuch://x", null));
        assertTrue(e.getMessage(), e.getMessage().contains("nosuch"));
        assertEquals(FloeException.INVALID_ARG, e.code());
    }

    @Test
    public void postgresql() throws Exception {
        String url = System.getenv("FLOE_POSTGRES_URL");
        if (url == null || url.isEmpty()) {
            if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
                fail("FLOE_POSTGRES_URL is not set: .ci/run must start PostgreSQL");
            }
            assumeTrue("FLOE_POSTGRES_URL is not set (run through .ci/run, which starts PostgreSQL)", false);
        }
        String uri = url + (url.contains("?") ? "&" : "?") + "catalog=jvm" + UUID.randomUUID().toString().replace("-", "");
        Path folder = temp.getRoot().toPath().resolve("wh");
        writeAndReadBack(folder, uri, null);
        assertFalse("no SQLite file beside a PostgreSQL catalog", Files.exists(folder.resolve("catalog.db")));
    }

    @Test
    public void aRestCatalogServedByAnotherProcess() throws Exception {
        String cli = System.getProperty("floe.cli");
        assumeTrue("-Dfloe.cli is not set", cli != null && Files.isExecutable(Path.of(cli)));
        Path folder = temp.getRoot().toPath().resolve("served");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(cli, "--warehouse", folder.toString(), "catalog", "serve",
                "--port", Integer.toString(port), "--token", "s3cret"));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue("floe catalog serve said: " + line, line != null && line.startsWith("serving the catalog"));
            String url = "http://127.0.0.1:" + port + "/";

            writeAndReadBack(folder, url, "s3cret");
            InvalidArgumentException denied = assertThrows(InvalidArgumentException.class, () -> {
                try (Warehouse wrong = Warehouse.open(folder, url, "wrong")) {
                    wrong.tables();
                }
            });
            assertTrue(denied.getMessage(), denied.getMessage().contains("not authorized"));
        } finally {
            server.destroy();
            assertTrue("floe catalog serve did not stop", server.waitFor(30, TimeUnit.SECONDS));
        }
        // The server kept the catalog in its folder's catalog.db: a plain open sees what went through REST.
        try (Warehouse direct = Warehouse.open(folder)) {
            assertEquals(List.of("db.t"), direct.tables());
            assertEquals(3L, direct.count("db.t", null));
        }
    }
}
