using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Expressions;
using Floe.Core.Expressions.Evaluation;
using Floe.Features;
using Floe.Features.Definitions;
using Floe.Features.Engine;

namespace Floe.Benchmarks.Features;

/// <summary>
/// The feature engine's sort, kernel and permute stages alone, on the events of the <c>features</c> bench (the same
/// Zipf draws, made in memory: no file, no writer), one chunk per day as a batch run feeds them:
/// <c>dotnet run -c Release --project bench/Floe.Benchmarks -- features-kernel [--rows N] [--entities N] [--days N] [--threads N] [--runs N] [--days-per-chunk N]</c>.
/// Prints each run's stage wall, CPU and own-thread CPU (with <c>--threads 1</c> the kernel's own-thread CPU is all of
/// its work, the steadiest figure on a loaded machine) and a hash of every output value, validity and row, to check
/// that a change leaves the results bit for bit as they were.
/// </summary>
internal static class FeatureKernelBench
{
    public static int Run(string[] args)
    {
        int rows = 10_000_000, entities = 100_000, days = 30, threads = 1, runs = 3, daysPerChunk = 1;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows": rows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--entities": entities = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--days": days = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--days-per-chunk": daysPerChunk = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        var def = FeatureGroupParser.Parse(FeaturesEndToEnd.DefinitionJson(), DefinitionFormat.Json);
        var schema = new Schema(
            [
                new Field("entity_id", Int64Type.Default, false),
                new Field("event_time", new TimestampType(TimeUnit.Microsecond, "UTC"), false),
                new Field("amount", DoubleType.Default, false),
            ], null);
        var group = FeatureGroup.Compile(def, schema);
        var chunks = Chunks(rows, entities, days, daysPerChunk);
        Console.WriteLine($"{rows:N0} events, {entities:N0} entities, {days} days in {chunks.Count} chunks, {threads} thread(s); load {File.ReadAllText("/proc/loadavg").Trim()}");
        for (int run = 0; run < runs; run++)
        {
            var engine = new FeatureEngine(group.Plan, threads);
            var encoded = new List<EventChunk>(chunks.Count);
            foreach (var (e, t, a) in chunks)
            {
                var columns = new Dictionary<string, ValueVector>(StringComparer.Ordinal)
                {
                    ["entity_id"] = ValueVector.FromLongs(ValueKind.Int64, e, null, e.Length),
                    ["event_time"] = ValueVector.FromLongs(ValueKind.Timestamp, t, null, t.Length),
                    ["amount"] = ValueVector.FromDoubles(a, null, a.Length),
                };
                encoded.Add(engine.Encode(columns, e.Length));
            }
            GC.Collect();
            Floe.Features.Diagnostics.StageTimes.Reset();
            var watch = Stopwatch.StartNew();
            ulong hash = 14695981039346656037UL;
            foreach (var chunk in encoded)
            {
                var features = engine.ProcessByDay(chunk, out var rowAt);
                // Hashed outside the stage timers: only the engine's stages are timed.
                hash = Hash(hash, chunk.Length, rowAt, features);
                engine.ReturnPooled(features);
            }
            watch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: {watch.Elapsed.TotalSeconds:F2} s with hashing; hash {hash:X16}"));
            Console.WriteLine("  " + Floe.Features.Diagnostics.StageTimes.Describe());
        }
        return 0;
    }

    // FNV-1a over every output row's chunk row, then each feature's values and validity.
    private static ulong Hash(ulong hash, int n, int[] rowAt, ValueVector[] features)
    {
        const ulong prime = 1099511628211UL;
        for (int i = 0; i < n; i++) { hash = (hash ^ (ulong)rowAt[i]) * prime; }
        foreach (var c in features)
        {
            for (int i = 0; i < n; i++)
            {
                ulong bits = c.Doubles is { } d ? (ulong)BitConverter.DoubleToInt64Bits(d[i]) : (ulong)c.Longs![i];
                hash = (hash ^ bits) * prime;
                hash = (hash ^ (c.IsValid(i) ? 1UL : 0UL)) * prime;
            }
        }
        return hash;
    }

    // The features bench's draws (FeaturesEndToEnd.Generate with Zipf skew), each day's events in draw order.
    private static List<(long[] Entity, long[] Time, double[] Amount)> Chunks(int rows, int entities, int days, int daysPerChunk)
    {
        var rnd = new Random(42);
        var cdf = FeaturesEndToEnd.ZipfCdf(entities);
        long dayMicros = 86_400_000_000L;
        long start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
        int chunkCount = (days + daysPerChunk - 1) / daysPerChunk;
        var e = new List<long>[chunkCount];
        var t = new List<long>[chunkCount];
        var a = new List<double>[chunkCount];
        for (int c = 0; c < chunkCount; c++) { e[c] = []; t[c] = []; a[c] = []; }
        for (int i = 0; i < rows; i++)
        {
            long entity = FeaturesEndToEnd.ZipfDraw(cdf, rnd.NextDouble());
            long micros = (long)(rnd.NextDouble() * (days * dayMicros)) / 1_000_000 * 1_000_000;
            double amount = Math.Round(rnd.NextDouble() * 500, 2);
            int c = (int)(micros / dayMicros) / daysPerChunk;
            e[c].Add(entity);
            t[c].Add(start + micros);
            a[c].Add(amount);
        }
        var chunks = new List<(long[], long[], double[])>(chunkCount);
        for (int c = 0; c < chunkCount; c++) { chunks.Add(([.. e[c]], [.. t[c]], [.. a[c]])); }
        return chunks;
    }
}
