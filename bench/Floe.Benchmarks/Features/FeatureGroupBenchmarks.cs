using Apache.Arrow;
using Apache.Arrow.Types;
using BenchmarkDotNet.Attributes;
using Floe.Features;
using Floe.Features.Definitions;

namespace Floe.Benchmarks.Features;

/// <summary>
/// In-memory <see cref="FeatureGroup.Compute(RecordBatch, int)"/> throughput: count/sum/mean/max over 1h/1d/7d
/// (12 features) on random events, 1 thread versus every core.
/// </summary>
[MemoryDiagnoser]
public class FeatureGroupBenchmarks
{
    private FeatureGroup _group = null!;
    private RecordBatch _batch = null!;

    [Params(1_000, 65_536, 1_000_000)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var features = new List<string>();
        foreach (var w in new[] { "1h", "1d", "7d" })
        {
            features.Add($$"""{"name": "cnt_{{w}}", "agg": "count", "window": "{{w}}"}, {"name": "sum_{{w}}", "agg": "sum", "column": "amount", "window": "{{w}}"}, {"name": "mean_{{w}}", "agg": "mean", "column": "amount", "window": "{{w}}"}, {"name": "max_{{w}}", "agg": "max", "column": "amount", "window": "{{w}}"}""");
        }
        var def = FeatureGroupParser.Parse($$"""{"name": "b", "version": 1, "entity": "entity_id", "timestamp": "event_time", "features": [{{string.Join(",", features)}}]}""", DefinitionFormat.Json);
        var rnd = new Random(7);
        var e = new Int64Array.Builder();
        var t = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
        var a = new DoubleArray.Builder();
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < Size; i++)
        {
            e.Append(rnd.Next(Math.Max(1, Size / 100)));
            t.Append(start.AddSeconds(rnd.Next(30 * 86_400)));
            a.Append(Math.Round(rnd.NextDouble() * 500, 2));
        }
        var schema = new Schema([new Field("entity_id", Int64Type.Default, false), new Field("event_time", new TimestampType(TimeUnit.Microsecond, "UTC"), false), new Field("amount", DoubleType.Default, false)], null);
        _batch = new RecordBatch(schema, [e.Build(), t.Build(), a.Build()], Size);
        _group = FeatureGroup.Compile(def, schema);
    }

    [Benchmark(Baseline = true)]
    public int OneThread() => _group.Compute(_batch, 1).Length;

    [Benchmark]
    public int AllCores() => _group.Compute(_batch, Environment.ProcessorCount).Length;
}
