// The Polars side of the feature bench: count, sum, mean and max of `amount` over 1h, 1d and 7d windows per entity,
// (t - w, t] like Floe's, one output row per event, written as Parquet (zstd, Polars' default). The .NET bench
// (`features --polars`) runs this on its own input file and checks the output against Floe's.
// Usage: POLARS_MAX_THREADS=N node bench/polars/features.mjs INPUT.parquet OUTPUT.parquet
import pl from "nodejs-polars";

const [input, output] = process.argv.slice(2);
if (!input || !output) { console.error("usage: node features.mjs INPUT.parquet OUTPUT.parquet"); process.exit(2); }
const started = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const df = pl.readParquet(input).sort(["entity_id", "event_time"]);
const windows = ["1h", "1d", "7d"];
let out = null;
for (const w of windows) {
  const f = df.groupByRolling({ indexColumn: "event_time", period: w, closed: "right", by: "entity_id" }).agg(
    pl.col("amount").count().cast(pl.Int64).alias(`cnt_${w}`),
    pl.col("amount").sum().alias(`sum_${w}`),
    pl.col("amount").mean().alias(`mean_${w}`),
    pl.col("amount").max().alias(`max_${w}`),
  );
  // Every rolling frame keeps the sorted input's row order, so the features line up column by column.
  out = out === null ? f : out.hstack(f.drop("entity_id", "event_time"));
}
out.writeParquet(output, { compression: "zstd" });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpu0);
console.log(`polars: ${seconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s cpu (getrusage: all threads), rows ${out.height}, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
