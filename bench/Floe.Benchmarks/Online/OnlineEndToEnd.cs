using System.Diagnostics;
using System.Globalization;
using System.Text;
using Apache.Arrow;
using Floe.Application.Ingest;
using Floe.Application.Streaming;
using Floe.Application.Tables;
using Floe.Features.Definitions;
using Floe.Core.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Online;

namespace Floe.Benchmarks.Online;

/// <summary>
/// The online store against the same redis-server: materializing E entities × 12 features from a feature table
/// (one newest row each), next to <c>redis-benchmark</c> pipelined HSETs of the same shape (run by the caller, see
/// bench/RESULTS.md); multi-get latency of 100 entities (p50/p99 over 1000 calls); and streaming events/s end to end
/// (JSON lines in, features to Redis, raw events committed to Iceberg).
/// <c>dotnet run -c Release --project bench/Floe.Benchmarks -- online --redis HOST:PORT [--entities E] [--events N] [--dir PATH]</c>
/// </summary>
internal static class OnlineEndToEnd
{
    public static int Run(string[] args)
    {
        int entities = 1_000_000, events = 200_000;
        string? redis = null;
        var dir = Path.Combine(Path.GetTempPath(), "floe-bench-online");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--entities": entities = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--events": events = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--redis": redis = args[++i]; break;
                case "--dir": dir = args[++i]; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        if (redis is null) { Console.Error.WriteLine("--redis HOST:PORT is required"); return 2; }
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var warehouse = new Warehouse(Path.Combine(dir, "warehouse"));
        var features = Enumerable.Range(0, 12).Select(i => $"f{i}").ToArray();
        var defJson = $$"""
            {"name": "bench_online", "version": 1, "entity": "entity_id", "timestamp": "ts", "source": {"table": "raw.events"},
             "output": {"table": "features.bench_online"},
             "features": [{{string.Join(",", features.Select((f, i) => $$"""{"name": "{{f}}", "agg": "{{(i % 2 == 0 ? "sum" : "max")}}", "column": "amount", "window": "{{(i % 3 + 1)}}h"}"""))}}]}
            """;
        var def = FeatureGroupParser.Parse(defJson, DefinitionFormat.Json);
        var tables = new TableService(warehouse);
        tables.Create("features.bench_online", "entity_id:long not null,ts:timestamptz not null," + string.Join(",", features.Select(f => f + ":double")), "day(ts)");
        var table = tables.Load("features.bench_online");
        var schema = ArrowSchemas.ToArrow(table.Schema);
        var random = new Random(42);
        IEnumerable<RecordBatch> Rows()
        {
            const int Batch = 1 << 18;
            long t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
            for (int done = 0; done < entities; done += Batch)
            {
                int n = Math.Min(Batch, entities - done);
                var arrays = new List<IArrowArray>();
                var ids = new Int64Array.Builder();
                var ts = new TimestampArray.Builder((Apache.Arrow.Types.TimestampType)schema.FieldsList[1].DataType);
                for (int i = 0; i < n; i++) { ids.Append(done + i); ts.Append(DateTimeOffset.UnixEpoch.AddTicks((t0 + random.NextInt64(86_400_000_000L)) * 10)); }
                arrays.Add(ids.Build());
                arrays.Add(ts.Build());
                foreach (var _ in features)
                {
                    var b = new DoubleArray.Builder();
                    for (int i = 0; i < n; i++) b.Append(Math.Round(random.NextDouble() * 1000, 2));
                    arrays.Add(b.Build());
                }
                yield return new RecordBatch(schema, arrays, n);
            }
        }
        IngestService.Ingest(table, Rows(), new IngestOptions());

        using var store = OnlineStore.Connect(new RedisSettings { Endpoint = redis, Prefix = "bench" + Environment.ProcessId });
        var watch = Stopwatch.StartNew();
        var result = new MaterializeService(warehouse, store).Materialize(def, full: true);
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"materialize: {result.EntitiesWritten:N0} entities x {features.Length} features in {seconds:F2} s = {result.EntitiesWritten / seconds:N0} entities/s (newer-wins script, 32 entities per call)");

        var keys = Enumerable.Range(0, 100).Select(i => (IReadOnlyList<string>)[(i * 7919 % entities).ToString(CultureInfo.InvariantCulture)]).ToList();
        var latencies = new double[1000];
        for (int i = 0; i < 50; i++) store.GetMany(def, keys);
        for (int i = 0; i < latencies.Length; i++)
        {
            var t = Stopwatch.GetTimestamp();
            store.GetMany(def, keys);
            latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        System.Array.Sort(latencies);
        Console.WriteLine($"multi-get of 100 entities: p50 {latencies[500]:F3} ms, p99 {latencies[990]:F3} ms");

        tables.Create("raw.events", "entity_id:long not null,ts:timestamptz not null,amount:double", "day(ts)");
        var lines = new StringBuilder();
        var start = new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < events; i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $"{{\"entity_id\": {random.Next(10_000)}, \"ts\": {(start.ToUnixTimeMilliseconds() + i * 10L) * 1000}, \"amount\": {random.Next(1, 100_000) / 100.0}}}\n");
        }
        watch.Restart();
        var stream = new StreamService(warehouse).Run(def, new JsonLinesStreamSource(new MemoryStream(Encoding.UTF8.GetBytes(lines.ToString())), "bench"),
            new StreamOptions { CommitEveryEvents = 50_000, AllowedLateness = TimeSpan.FromSeconds(5) }, new RedisOnlineWriter(store));
        seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"stream: {stream.Events:N0} events in {seconds:F2} s = {stream.Events / seconds:N0} events/s ({stream.Commits} Iceberg commits, {stream.FeatureRows:N0} feature rows to Redis)");
        return 0;
    }
}
