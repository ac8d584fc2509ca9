using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Floe.Core.Text;
using Floe.Formats.Csv;

namespace Floe.Benchmarks.Formats.Csv;

/// <summary>Parsing decimal amounts such as <c>123.45</c>: <see cref="Utf8Values.TryParseDouble"/> (baseline) against the fast path.</summary>
[MemoryDiagnoser]
public class FastDoubleBenchmarks
{
    private byte[] _text = System.Array.Empty<byte>();
    private int[] _ends = System.Array.Empty<int>();

    [Params(1_000, 65_536, 1_048_576)]
    public int Values { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var sb = new StringBuilder();
        _ends = new int[Values];
        for (var i = 0; i < Values; i++)
        {
            sb.Append(Math.Round(random.NextDouble() * 200, 2).ToString("F2", CultureInfo.InvariantCulture));
            _ends[i] = sb.Length;
        }
        _text = Encoding.ASCII.GetBytes(sb.ToString());
    }

    [Benchmark(Baseline = true)]
    public double General() => Sum(static (ReadOnlySpan<byte> s, out double v) => Utf8Values.TryParseDouble(s, out v));

    [Benchmark]
    public double Fast() => Sum(static (ReadOnlySpan<byte> s, out double v) => FastDouble.TryParse(s, out v));

    private delegate bool Parser(ReadOnlySpan<byte> text, out double value);

    private double Sum(Parser parse)
    {
        double sum = 0;
        var start = 0;
        foreach (var end in _ends)
        {
            parse(_text.AsSpan(start, end - start), out var v);
            sum += v;
            start = end;
        }
        return sum;
    }
}
