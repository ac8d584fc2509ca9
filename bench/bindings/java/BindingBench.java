import dev.floe.BackfillRequest;
import dev.floe.FloeException;
import dev.floe.Warehouse;
import java.nio.file.Path;
import java.util.Map;

/**
 * The binding bench's JVM driver. {@code backfill WAREHOUSE DEF FROM TO}: one backfill through JNI and the ABI.
 * {@code calls WAREHOUSE}: the per-call overhead of a trivial call (libraryVersion: one JNI call and a UTF-8 string)
 * and of an error round trip. One JSON line.
 */
public final class BindingBench {
    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        try (Warehouse wh = Warehouse.open(args[1])) {
            if (args[0].equals("backfill")) {
                Map<String, Object> summary = wh.backfill(BackfillRequest.of(Path.of(args[2]), args[3], args[4]).codeVersion("bench"), null);
                System.out.printf("{\"driver\": \"java\", \"backfill_s\": %.3f, \"rows\": %s}%n", (System.nanoTime() - begin) / 1e9, summary.get("rows"));
                return;
            }
            int n = 1_000_000;
            long sink = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += Warehouse.libraryVersion().length();
            }
            double trivialNs = (double) (System.nanoTime() - t0) / n;
            if (sink == 0) throw new IllegalStateException("no version");
            // An invalid identifier is refused before any catalog access: the cost is the call and the error path.
            int m = 100_000;
            t0 = System.nanoTime();
            for (int i = 0; i < m; i++) {
                try {
                    wh.describe(".bad");
                    throw new IllegalStateException("describe of an invalid name succeeded");
                } catch (FloeException expected) {
                    // the round trip being measured
                }
            }
            double errorNs = (double) (System.nanoTime() - t0) / m;
            System.out.printf("{\"driver\": \"java\", \"trivial_call_ns\": %.1f, \"error_round_trip_ns\": %.1f}%n", trivialNs, errorNs);
        }
    }
}
