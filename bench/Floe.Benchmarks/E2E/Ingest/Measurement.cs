using System.Globalization;

namespace Floe.Benchmarks.E2E.Ingest;

/// <summary>
/// Named numbers one child process reports to the orchestrator: printed as <c>RESULT key=value</c> lines on stdout,
/// so each engine's run (and its peak memory) stays in its own process.
/// </summary>
internal sealed class Measurement
{
    private const string Prefix = "RESULT ";

    public Dictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

    public double this[string key]
    {
        get => Values.TryGetValue(key, out var v) ? v : double.NaN;
        set => Values[key] = value;
    }

    /// <summary>Prints every value as a RESULT line (round-trip precision).</summary>
    public void Print()
    {
        foreach (var (k, v) in Values) Console.WriteLine($"{Prefix}{k}={v.ToString("R", CultureInfo.InvariantCulture)}");
    }

    /// <summary>Collects the RESULT lines of a child's output.</summary>
    public static Measurement Parse(string output)
    {
        var m = new Measurement();
        foreach (var line in output.Split('\n'))
        {
            if (!line.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            m[line[Prefix.Length..eq]] = double.Parse(line[(eq + 1)..].Trim(), CultureInfo.InvariantCulture);
        }
        return m;
    }
}
