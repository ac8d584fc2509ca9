using System.Numerics;
using Floe.Features.Definitions;

namespace Floe.Features.Tests.Support;

/// <summary>
/// A deliberately naive oracle: for every event it scans every event of the same entity, keeps those with time in
/// (t − w, t] (or ≤ t when unbounded), in (time, input) order, and aggregates them from scratch. Sums are computed
/// exactly with BigInteger and rounded once, independently of the engine's accumulator.
/// </summary>
internal static class NaiveReference
{
    /// <summary>Aggregates one feature for row <paramref name="row"/>; values: (isNull, value) of the column per row.</summary>
    /// <param name="windows">Where the row's window is looked up (built once per row and window, shared by every
    /// feature over the same window); without it the window is built here.</param>
    public static object? Compute(FeatureDefinition f, TestEvents ev, int row, Func<int, object?> column, bool[] kept, WindowLists? windows = null)
    {
        var window = windows is null ? WindowOf(ev, Enumerable.Range(0, ev.Length), row, f.Window, kept) : windows.Get(row, f.Window);
        if (f.Column is null)
        {
            return (long)window.Count;
        }
        var values = windows is null ? ValuesOf(window, column) : windows.Values(row, f.Window, f.Column, column);
        int n = values.Count;
        switch (f.Aggregation!.Value)
        {
            case AggregationKind.Count: return (long)n;
            case AggregationKind.CountDistinct:
                {
                    var set = new HashSet<object>();
                    foreach (var v in values) { set.Add(v is double d ? (d == 0 ? 0.0 : double.IsNaN(d) ? double.NaN : d) : v); }
                    return (long)set.Count;
                }
            case AggregationKind.First: return n == 0 ? null : Normalize(values[0]);
            case AggregationKind.Last: return n == 0 ? null : Normalize(values[^1]);
            case AggregationKind.LastN: return n == 0 ? null : values.Skip(Math.Max(0, n - f.N)).Select(Normalize).ToList();
        }
        if (n == 0) { return null; }
        if (values[0] is long)
        {
            var longs = values.Select(v => (long)v).ToList();
            return f.Aggregation switch
            {
                AggregationKind.Sum => longs.Sum(),
                AggregationKind.Mean => (double)longs.Select(x => (BigInteger)x).Aggregate(BigInteger.Zero, (x, y) => x + y) / n,
                AggregationKind.Min => longs.Min(),
                AggregationKind.Max => longs.Max(),
                AggregationKind.Variance => n < 2 ? null : TwoPassVariance(longs.Select(x => (double)x).ToList()),
                AggregationKind.Stddev => n < 2 ? null : Math.Sqrt(TwoPassVariance(longs.Select(x => (double)x).ToList())),
                _ => throw new InvalidOperationException(),
            };
        }
        if (values[0] is bool)
        {
            var longs = values.Select(v => (bool)v ? 1L : 0L).ToList();
            return f.Aggregation switch
            {
                AggregationKind.Sum => (object)longs.Sum(),
                AggregationKind.Mean => (object)((double)longs.Sum() / n),
                _ => throw new InvalidOperationException(),
            };
        }
        // With window lists, the doubles and their exact sum are those of this very value list, made once for the
        // half-dozen aggregations that read it.
        var ds = windows is null ? values.Select(v => (double)v).ToList() : windows.Doubles(values);
        bool nan = ds.Any(double.IsNaN);
        bool pinf = ds.Any(double.IsPositiveInfinity);
        bool ninf = ds.Any(double.IsNegativeInfinity);
        double special = nan || (pinf && ninf) ? double.NaN : pinf ? double.PositiveInfinity : ninf ? double.NegativeInfinity : 0;
        bool hasSpecial = nan || pinf || ninf;
        double Sum() => windows is null ? ExactSum(ds) : windows.ExactSumOf(ds);
        switch (f.Aggregation)
        {
            case AggregationKind.Sum: return hasSpecial ? special : Sum();
            case AggregationKind.Mean: return hasSpecial ? special : Sum() / n;
            case AggregationKind.Min: return nan ? double.NaN : ds.Min();
            case AggregationKind.Max: return nan ? double.NaN : ds.Max();
            case AggregationKind.Variance: return n < 2 ? null : hasSpecial ? double.NaN : TwoPassVariance(ds, Sum());
            case AggregationKind.Stddev: return n < 2 ? null : hasSpecial ? double.NaN : Math.Sqrt(TwoPassVariance(ds, Sum()));
        }
        throw new InvalidOperationException();
    }

    // The present values of the column over the window's events, in window order.
    private static List<object> ValuesOf(List<int> window, Func<int, object?> column)
    {
        var values = new List<object>();
        foreach (int j in window)
        {
            if (column(j) is { } v) { values.Add(v); }
        }
        return values;
    }

    /// <summary>
    /// The events of row <paramref name="row"/>'s window: those of <paramref name="candidates"/> (ascending; every row
    /// of the row's entity must be among them) kept, of the row's entity, with time in (t − w, t] (or ≤ t when
    /// unbounded), in (time, input) order.
    /// </summary>
    private static List<int> WindowOf(TestEvents ev, IEnumerable<int> candidates, int row, Window spec, bool[] kept)
    {
        long t = ev.Time[row];
        long w = spec.Micros;
        var window = new List<int>();
        foreach (int j in candidates)
        {
            if (!kept[j] || ev.Entity[j] != ev.Entity[row]) { continue; }
            long tj = ev.Time[j];
            bool inside = tj <= t && (spec.IsUnbounded || tj > t - w);
            if (inside) { window.Add(j); }
        }
        window.Sort((x, y) => ev.Time[x] != ev.Time[y] ? ev.Time[x].CompareTo(ev.Time[y]) : x.CompareTo(y));
        return window;
    }

    /// <summary>
    /// Each row's window, built once per (row, window) and shared by the features over that window (a definition has
    /// dozens per window): the same list <see cref="Compute"/> builds alone, found among the row's own entity's rows
    /// rather than all of them. Likewise each (row, window, column)'s present values, shared by the dozen aggregations
    /// over them (a column name must stand for one column throughout, as it does in a test). The lists are read-only
    /// to their users.
    /// </summary>
    internal sealed class WindowLists(TestEvents ev, bool[] kept)
    {
        private readonly Dictionary<(int Row, long Micros, bool Unbounded, string Column), List<object>> _values = [];

        public List<object> Values(int row, Window spec, string column, Func<int, object?> read)
        {
            var key = (row, spec.Micros, spec.IsUnbounded, column);
            if (!_values.TryGetValue(key, out var values))
            {
                _values[key] = values = ValuesOf(Get(row, spec), read);
            }
            return values;
        }

        private readonly Dictionary<List<object>, List<double>> _doubles = new(ReferenceEqualityComparer.Instance);

        private readonly Dictionary<List<double>, double> _sums = new(ReferenceEqualityComparer.Instance);

        /// <summary>The doubles of a list that <see cref="Values"/> returned, made once per list.</summary>
        public List<double> Doubles(List<object> values)
        {
            if (!_doubles.TryGetValue(values, out var ds)) { _doubles[values] = ds = values.Select(v => (double)v).ToList(); }
            return ds;
        }

        /// <summary>The <see cref="ExactSum"/> of a list that <see cref="Doubles"/> returned, computed once per list.</summary>
        public double ExactSumOf(List<double> ds)
        {
            if (!_sums.TryGetValue(ds, out double sum)) { _sums[ds] = sum = ExactSum(ds); }
            return sum;
        }

        private readonly Dictionary<long, List<int>> _entityRows = Enumerable.Range(0, ev.Length)
            .GroupBy(j => ev.Entity[j]).ToDictionary(g => g.Key, g => g.ToList());

        private readonly Dictionary<(int Row, long Micros, bool Unbounded), List<int>> _lists = [];

        public List<int> Get(int row, Window spec)
        {
            var key = (row, spec.Micros, spec.IsUnbounded);
            if (!_lists.TryGetValue(key, out var window))
            {
                _lists[key] = window = WindowOf(ev, _entityRows[ev.Entity[row]], row, spec, kept);
            }
            return window;
        }
    }

    private static object Normalize(object v) => v is bool b ? b : v;

    private static double TwoPassVariance(List<double> xs) => TwoPassVariance(xs, ExactSum(xs));

    /// <param name="exactSum">The <see cref="ExactSum"/> of <paramref name="xs"/>.</param>
    private static double TwoPassVariance(List<double> xs, double exactSum)
    {
        // Exact mean via BigInteger, then a compensated second pass: precise enough to judge the engine within 1e-9.
        double mean = exactSum / xs.Count;
        double s = 0, c = 0;
        foreach (var x in xs)
        {
            double d = x - mean;
            double y = d * d - c;
            double tt = s + y;
            c = (tt - s) - y;
            s = tt;
        }
        return Math.Max(0, s / (xs.Count - 1));
    }

    /// <summary>The exact sum of finite doubles, correctly rounded to nearest-even.</summary>
    public static double ExactSum(IEnumerable<double> xs)
    {
        // The sum of the terms' Scaled values, m·2^(e−1) each. Summed as Σ m·2^(e−low), low the least exponent of a
        // nonzero term, and scaled by 2^(low−1) once: the same integer, without a ~1,000-bit BigInteger per ordinary
        // term (that was most of the naive reference's time and allocation).
        var terms = xs as IReadOnlyList<double> ?? xs.ToList();
        int low = int.MaxValue;
        foreach (var x in terms)
        {
            var (mant, exp, _) = Parts(x);
            if (mant != 0) { low = Math.Min(low, exp); }
        }
        if (low == int.MaxValue) { return 0.0; }
        BigInteger total = BigInteger.Zero;
        foreach (var x in terms)
        {
            var (mant, exp, negative) = Parts(x);
            if (mant == 0) { continue; }
            var v = new BigInteger(mant) << (exp - low);
            total += negative ? -v : v;
        }
        return RoundScaled(total << (low - 1));
    }

    /// <summary>A finite double exactly, as an integer count of 2^-1074 (the smallest subnormal).</summary>
    public static BigInteger Scaled(double x)
    {
        var (mant, exp, negative) = Parts(x);
        var v = new BigInteger(mant) << (exp - 1);
        return negative ? -v : v;
    }

    // A finite double as mant·2^(exp−1) units of 2^-1074, and its sign.
    private static (long Mant, int Exp, bool Negative) Parts(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exp = (int)((bits >> 52) & 0x7FF);
        long mant = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exp == 0) { exp = 1; } else { mant |= 1L << 52; }
        return (mant, exp, bits < 0);
    }

    /// <summary>A sum of <see cref="Scaled"/> values, correctly rounded (to nearest-even) to a double.</summary>
    public static double RoundScaled(BigInteger total)
    {
        int sign = total.Sign;
        var mag = BigInteger.Abs(total);
        if (mag.IsZero) { return 0.0; }
        long len = (long)mag.GetBitLength();
        if (len <= 53) { return sign * Math.ScaleB((double)mag, -1074); }
        int shift = (int)(len - 53);
        var q = mag >> shift;
        var rem = mag - (q << shift);
        var half = BigInteger.One << (shift - 1);
        if (rem > half || (rem == half && !q.IsEven)) { q += 1; }
        return sign * Math.ScaleB((double)q, shift - 1074);
    }
}
