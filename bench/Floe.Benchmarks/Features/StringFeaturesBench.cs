using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Features.Computation;
using Floe.Features.Definitions;
using Floe.Features.Output;
using Floe.Features.Sources;

namespace Floe.Benchmarks.Features;

/// <summary>
/// String-heavy feature computation over in-memory events: a string entity key (<c>user-N</c>, Zipf-ish), <c>first</c>,
/// <c>last</c> and <c>count_distinct</c> of a string column with ~10% nulls and non-ASCII values, a string-valued
/// column expression (<c>if(amount &gt; 100, merchant, 'small')</c>) and a string comparison over features, in 1h/1d/7d
/// windows, into a sink that drops the batches. Prints wall, CPU and allocated bytes per repeat; uses only the public
/// API, so the same code measures any build. Usage: <c>string-features [--rows N] [--entities E] [--repeat R]</c>.
/// </summary>
internal static class StringFeaturesBench
{
    private static readonly string[] Merchants = ["grocer", "café", "bäckerei", "shop\U0001F600", "fuel", "books", "travel", "pharmacy"];

    public static int Run(string[] args)
    {
        int rows = 1_000_000, entities = 10_000, repeat = 3;
        const int days = 30;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            int value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--rows": rows = value; break;
                case "--entities": entities = value; break;
                case "--repeat": repeat = value; break;
            }
        }
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var batches = Events(rows, entities, days, start);
        var def = FeatureGroupParser.Parse(Definition(), DefinitionFormat.Json);
        Console.WriteLine($"string features, {rows:N0} events, {entities:N0} entities, {days} days, 2 threads");
        for (int r = 0; r < repeat; r++)
        {
            var source = InMemoryEventSource.FromBatches(batches);
            GC.Collect();
            var proc = Process.GetCurrentProcess();
            var cpu0 = proc.TotalProcessorTime;
            long allocated0 = GC.GetTotalAllocatedBytes(true);
            int gen2 = GC.CollectionCount(2);
            var sink = new CountingSink();
            var sw = Stopwatch.StartNew();
            FeatureComputation.Compute(def, source, start, start.AddDays(days), sink, 2);
            sw.Stop();
            proc.Refresh();
            Console.WriteLine(FormattableString.Invariant(
                $"run {r}: wall {sw.Elapsed.TotalSeconds:F2} s, cpu {(proc.TotalProcessorTime - cpu0).TotalSeconds:F2} s, allocated {(GC.GetTotalAllocatedBytes(true) - allocated0) / 1048576.0:F0} MiB, gen2 {GC.CollectionCount(2) - gen2}, rows {sink.Rows:N0}, check {sink.Check}"));
        }
        return 0;
    }

    private static string Definition()
    {
        var features = new List<string>();
        foreach (var w in new[] { "1h", "1d", "7d" })
        {
            features.Add($$"""{"name": "first_{{w}}", "agg": "first", "column": "merchant", "window": "{{w}}"}""");
            features.Add($$"""{"name": "last_{{w}}", "agg": "last", "column": "merchant", "window": "{{w}}"}""");
            features.Add($$"""{"name": "distinct_{{w}}", "agg": "count_distinct", "column": "merchant", "window": "{{w}}"}""");
            features.Add($$"""{"name": "big_last_{{w}}", "agg": "last", "column": "if(amount > 100, merchant, 'small')", "window": "{{w}}"}""");
        }
        features.Add("""{"name": "is_cafe", "expr": "last_1d = 'café7' or last_7d > 'shop'"}""");
        return $$"""{"name": "strings", "version": 1, "entity": "user_id", "timestamp": "event_time", "features": [{{string.Join(",", features)}}]}""";
    }

    private static List<RecordBatch> Events(int rows, int entities, int days, DateTimeOffset start)
    {
        var random = new Random(42);
        long first = start.ToUnixTimeMilliseconds() * 1000;
        var times = new long[rows];
        for (int i = 0; i < rows; i++) { times[i] = first + (long)(random.NextDouble() * days * 86_400_000_000L); }
        System.Array.Sort(times);
        var user = new StringArray.Builder();
        var merchant = new StringArray.Builder();
        var amount = new DoubleArray.Builder();
        var timestampType = new TimestampType(TimeUnit.Microsecond, "UTC");
        var time = new TimestampArray.Builder(timestampType);
        for (int i = 0; i < rows; i++)
        {
            user.Append("user-" + ((int)(Math.Pow(random.NextDouble(), 2) * entities)).ToString(CultureInfo.InvariantCulture));
            if (random.Next(10) == 0) { merchant.AppendNull(); }
            else { merchant.Append(Merchants[random.Next(Merchants.Length)] + random.Next(50).ToString(CultureInfo.InvariantCulture)); }
            amount.Append(Math.Round(random.NextDouble() * 200, 2));
            time.Append(DateTimeOffset.FromUnixTimeMilliseconds(times[i] / 1000));
        }
        var schema = new Schema(
            [new Field("user_id", StringType.Default, false), new Field("merchant", StringType.Default, true),
             new Field("amount", DoubleType.Default, false), new Field("event_time", timestampType, false)], null);
        var all = new RecordBatch(schema, [user.Build(), merchant.Build(), amount.Build(), time.Build()], rows);
        var batches = new List<RecordBatch>();
        for (int s = 0; s < rows; s += 65_536) { batches.Add(all.Slice(s, Math.Min(65_536, rows - s))); }
        return batches;
    }

    // Drops the batches, keeping a row count and a sample of last_1d's byte lengths so base and new can be compared.
    private sealed class CountingSink : IFeatureBatchSink
    {
        public long Rows { get; private set; }

        public long Check { get; private set; }

        public void WriteDay(DateOnly day, RecordBatch rows)
        {
            Rows += rows.Length;
            var last = (StringArray)rows.Column(rows.Schema.GetFieldIndex("last_1d"));
            for (int i = 0; i < last.Length; i += 97) { Check += last.IsValid(i) ? last.GetBytes(i).Length : -1; }
            rows.Dispose();
        }
    }
}
