package dev.floe;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The README's example (compiled against floe.jar alone, by the build or else here) and the Spark-shaped example, each
 * run in a child JVM that inherits this process's environment. ctest passes floe.jar, the README and the folder where
 * the build compiled its example through system properties.
 */
public class ExamplesTest {
    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("run with -D" + name + "=...");
        }
        return value;
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue("timed out", process.waitFor(120, TimeUnit.SECONDS));
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(text, 0, process.exitValue());
        return text;
    }

    /** A child JVM; without {@code explicitShim} it must find libfloe_jni.so beside floe.jar on its own. */
    private static List<String> java(String classPath, String mainClass, boolean explicitShim) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String jni = System.getProperty("floe.jni.library");
        if (jni != null && explicitShim) {
            command.add("-Dfloe.jni.library=" + jni);
        }
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        return command;
    }

    @Test
    public void readmeExampleRuns() throws Exception {
        String readme = Files.readString(Path.of(property("floe.readme")));
        int start = readme.indexOf("```java\n");
        assertTrue("README has no java block", start >= 0);
        String code = readme.substring(start + "```java\n".length());
        code = code.substring(0, code.indexOf("```"));
        String jar = property("floe.jar");
        Path classes = builtFrom(System.getProperty("floe.readme.example"), code);
        if (classes == null) {
            classes = temp.getRoot().toPath();
            Path source = classes.resolve("Example.java");
            Files.writeString(source, code);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int rc = javac.run(null, null, null, "--release", "17", "-cp", jar, "-d", classes.toString(),
                    source.toString());
            assertEquals("javac failed on the README example", 0, rc);
        }

        String output = run(java(jar + File.pathSeparator + classes, "Example", true));
        assertTrue(output, output.contains("rows of entity 1 on main: 2\n"));
        assertTrue(output, output.contains("not found: not_found\n"));
    }

    /**
     * The folder where the build compiled the README's example (ctest passes it as {@code floe.readme.example}), when
     * its Example.java is {@code code} byte for byte and Example.class is there; otherwise null, and the test compiles
     * the block itself. A folder from an older README is reported and not used.
     */
    private static Path builtFrom(String folder, String code) throws Exception {
        if (folder == null) {
            return null;
        }
        Path dir = Path.of(folder);
        Path source = dir.resolve("Example.java");
        if (!Files.isRegularFile(source) || !Files.isRegularFile(dir.resolve("Example.class"))) {
            System.err.println("no README example built in " + dir + ": compiling it here");
            return null;
        }
        if (!Files.readString(source).equals(code)) {
            System.err.println(source + " is not the README's current block (rebuild): compiling it here");
            return null;
        }
        return dir;
    }

    @Test
    public void sparkShapedExampleRuns() throws Exception {
        Path dir = temp.getRoot().toPath();
        List<String> command = java(property("floe.jar") + File.pathSeparator + property("floe.examples.jar"),
                "dev.floe.examples.SparkShapedBackfill", false);
        command.add(dir.resolve("wh").toString());
        // Four files, one day each; every executor overwrites its own day on the staging branch.
        for (int day = 1; day <= 4; day++) {
            Path file = dir.resolve("day" + day + ".csv");
            StringBuilder csv = new StringBuilder("entity_id,event_time,amount\n");
            for (int i = 0; i < 5; i++) {
                csv.append(i).append(",2024-06-0").append(day).append("T0").append(i).append(":00:00Z,").append(i + 0.5).append('\n');
            }
            Files.writeString(file, csv);
            command.add(file.toString());
        }
        String output = run(command);
        assertTrue(output, output.contains("committed 4 files; main holds 20 rows"));
        try (Warehouse w = Warehouse.open(dir.resolve("wh"))) {
            assertEquals(20, w.count("demo.events", null));
            assertEquals(5, w.count("demo.events", "event_time >= '2024-06-04'"));
        }
    }
}
