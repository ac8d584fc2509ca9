// The Polars side of the training-set benchmark: the same spine and feature table files as
// `dotnet run -c Release --project bench/Floe.Benchmarks -- training-set`, joined with join_asof (backward, by entity),
// written as Parquet. Usage: node bench/polars/asof.mjs DATA_DIR  (DATA_DIR = the ts-… folder the .NET bench prints)
import pl from "nodejs-polars";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const data = process.argv[2];
if (!data) { console.error("usage: node asof.mjs DATA_DIR"); process.exit(2); }
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".parquet") && path.includes("/data/")) files.push(path);
  }
})(join(data, "warehouse"));

const started = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const spine = pl.readParquet(join(data, "spine.parquet")).withRowIndex("row").sort("ts");
const features = pl.concat(files.map((f) => pl.readParquet(f))).sort("ts");
const joined = spine
  .joinAsof(features, { on: "ts", by: "entity_id", strategy: "backward" })
  .sort("row")
  .drop("row");
joined.writeParquet(join(data, "polars-out.parquet"));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpu0);
const matched = joined.filter(pl.col("f1").isNotNull()).height;
console.log(`polars: ${seconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s cpu (main thread only), ` +
  `${matched} of ${joined.height} rows matched, peak rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);

// Same answer as Floe's output (written by the .NET bench beside it): same rows in spine order, same features.
const floe = pl.readParquet(join(data, "floe-out.parquet"));
const columns = ["entity_id", "label", "f1", "f2", "f3", "f4"];
const same = floe.select(...columns).frameEqual(joined.select(...columns), true);
console.log(`same rows as Floe's output, in spine order: ${same}`);
if (!same) process.exit(1);
