using BenchmarkDotNet.Attributes;
using Floe.Kernels.Aggregates;

namespace Floe.Benchmarks.Features;

/// <summary>
/// Sliding-window sum kernels: a plain double running sum (baseline; fast but history-dependent, so not usable for
/// streaming == batch) against <see cref="ExactSum"/> add + remove + read per event, as a window slides.
/// </summary>
[MemoryDiagnoser]
public class ExactSumBenchmarks
{
    private double[] _values = [];

    [Params(1_000, 65_536, 1_000_000)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(1);
        _values = new double[Size];
        for (int i = 0; i < Size; i++) { _values[i] = Math.Round(rnd.NextDouble() * 500, 2); }
    }

    [Benchmark(Baseline = true)]
    public double NaiveRunningSum()
    {
        double sum = 0, acc = 0;
        var v = _values;
        for (int i = 0; i < v.Length; i++)
        {
            sum += v[i];
            if (i >= 64) { sum -= v[i - 64]; }
            acc += sum;
        }
        return acc;
    }

    [Benchmark]
    public double ExactSlidingSum()
    {
        var sum = new ExactSum();
        double acc = 0;
        var v = _values;
        for (int i = 0; i < v.Length; i++)
        {
            sum.Add(v[i]);
            if (i >= 64) { sum.Remove(v[i - 64]); }
            acc += sum.Value;
        }
        return acc;
    }
}
