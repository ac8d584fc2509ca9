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
        IReadOnlyList<int> window = windows is null ? WindowOf(ev, Enumerable.Range(0, ev.Length), row, f.Window, kept) : windows.Get(row, f.Window);
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
            // With window lists, the longs (and their doubles, with its exact sum) are made once per value list.
            var longs = windows is null ? values.Select(v => (long)v).ToList() : windows.Longs(values);
            return f.Aggregation switch
            {
                AggregationKind.Sum => longs.Sum(),
                AggregationKind.Mean => (double)longs.Select(x => (BigInteger)x).Aggregate(BigInteger.Zero, (x, y) => x + y) / n,
                AggregationKind.Min => longs.Min(),
                AggregationKind.Max => longs.Max(),
                AggregationKind.Variance => n < 2 ? null : LongVariance(longs, windows),
                AggregationKind.Stddev => n < 2 ? null : Math.Sqrt(LongVariance(longs, windows)),
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
        var (nan, pinf, ninf) = windows is null ? Specials(ds) : windows.SpecialsOf(ds);
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

    private static double LongVariance(List<long> longs, WindowLists? windows)
    {
        if (windows is null) { return TwoPassVariance(longs.Select(x => (double)x).ToList()); }
        var xs = windows.DoublesOf(longs);
        return TwoPassVariance(xs, windows.ExactSumOf(xs));
    }

    // Whether the values hold a NaN, a +∞ and a −∞.
    private static (bool NaN, bool PositiveInfinity, bool NegativeInfinity) Specials(List<double> ds) =>
        (ds.Any(double.IsNaN), ds.Any(double.IsPositiveInfinity), ds.Any(double.IsNegativeInfinity));

    // The present values of the column over the window's events, in window order.
    private static List<object> ValuesOf(IReadOnlyList<int> window, Func<int, object?> column)
    {
        var values = new List<object>(window.Count);
        for (int k = 0; k < window.Count; k++)
        {
            if (column(window[k]) is { } v) { values.Add(v); }
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
    /// dozens per window): the same list <see cref="Compute"/> builds alone, <see cref="WindowOf"/>'s filter and sort,
    /// taken as a run of the row's entity's kept events sorted once by (time, input). Likewise each (row, window,
    /// column)'s present values, shared by the dozen aggregations over them (a column name must stand for one column
    /// throughout, as it does in a test), and what those aggregations derive from a value list. Only the latest row's
    /// lists are kept, so callers go row by row, every feature of a row before the next row; a list is read-only to
    /// its users.
    /// </summary>
    internal sealed class WindowLists
    {
        private readonly TestEvents _ev;

        // Per entity: its kept events in (time, input) order, and their times.
        private readonly Dictionary<long, (int[] Rows, long[] Times)> _entities = [];

        public WindowLists(TestEvents ev, bool[] kept)
        {
            _ev = ev;
            foreach (var g in Enumerable.Range(0, ev.Length).Where(j => kept[j]).GroupBy(j => ev.Entity[j]))
            {
                // (time, input) order: a group keeps the input order and OrderBy is stable.
                var rows = g.OrderBy(j => ev.Time[j]).ToArray();
                _entities[g.Key] = (rows, rows.Select(j => ev.Time[j]).ToArray());
            }
        }

        private int _row = -1;

        private readonly Dictionary<(long Micros, bool Unbounded), ArraySegment<int>> _lists = [];

        private readonly Dictionary<(long Micros, bool Unbounded, string Column), List<object>> _values = [];

        private readonly Dictionary<List<object>, List<double>> _doubles = new(ReferenceEqualityComparer.Instance);

        private readonly Dictionary<List<object>, List<long>> _longs = new(ReferenceEqualityComparer.Instance);

        private readonly Dictionary<List<long>, List<double>> _longDoubles = new(ReferenceEqualityComparer.Instance);

        private readonly Dictionary<List<double>, double> _sums = new(ReferenceEqualityComparer.Instance);

        private readonly Dictionary<List<double>, (bool, bool, bool)> _specials = new(ReferenceEqualityComparer.Instance);

        // A new row: the last row's lists are dropped (they would otherwise live, and be copied by the GC, to the end).
        private void At(int row)
        {
            if (row == _row) { return; }
            _row = row;
            _lists.Clear();
            _values.Clear();
            _doubles.Clear();
            _longs.Clear();
            _longDoubles.Clear();
            _sums.Clear();
            _specials.Clear();
        }

        public IReadOnlyList<int> Get(int row, Window spec)
        {
            At(row);
            var key = (spec.Micros, spec.IsUnbounded);
            if (!_lists.TryGetValue(key, out var window))
            {
                long t = _ev.Time[row];
                if (!_entities.TryGetValue(_ev.Entity[row], out var entity)) { entity = ([], []); }
                // Times ascend: the events with time ≤ t are a prefix, those with time > t − w a suffix.
                int end = FirstAfter(entity.Times, t);
                int start = spec.IsUnbounded ? 0 : FirstAfter(entity.Times, t - spec.Micros);
                _lists[key] = window = new ArraySegment<int>(entity.Rows, start, Math.Max(0, end - start));
            }
            return window;
        }

        // The first index whose time is greater than t (the length if none).
        private static int FirstAfter(long[] times, long t)
        {
            int lo = 0, hi = times.Length;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (times[mid] <= t) { lo = mid + 1; } else { hi = mid; }
            }
            return lo;
        }

        public List<object> Values(int row, Window spec, string column, Func<int, object?> read)
        {
            At(row);
            var key = (spec.Micros, spec.IsUnbounded, column);
            if (!_values.TryGetValue(key, out var values))
            {
                _values[key] = values = ValuesOf(Get(row, spec), read);
            }
            return values;
        }

        /// <summary>The doubles of a list that <see cref="Values"/> returned, made once per list.</summary>
        public List<double> Doubles(List<object> values) => Once(_doubles, values, v => v.Select(x => (double)x).ToList());

        /// <summary>The longs of a list that <see cref="Values"/> returned, made once per list.</summary>
        public List<long> Longs(List<object> values) => Once(_longs, values, v => v.Select(x => (long)x).ToList());

        /// <summary>The doubles of a list that <see cref="Longs"/> returned, made once per list.</summary>
        public List<double> DoublesOf(List<long> longs) => Once(_longDoubles, longs, v => v.Select(x => (double)x).ToList());

        private static TOut Once<TIn, TOut>(Dictionary<TIn, TOut> made, TIn from, Func<TIn, TOut> make)
            where TIn : notnull
        {
            if (!made.TryGetValue(from, out var result)) { made[from] = result = make(from); }
            return result;
        }

        /// <summary>The <see cref="ExactSum"/> of a list that <see cref="Doubles"/> or <see cref="DoublesOf"/> returned, computed once per list.</summary>
        public double ExactSumOf(List<double> ds)
        {
            if (!_sums.TryGetValue(ds, out double sum)) { _sums[ds] = sum = ExactSum(ds); }
            return sum;
        }

        /// <summary>The <see cref="Specials"/> of a list that <see cref="Doubles"/> returned, found once per list.</summary>
        public (bool NaN, bool PositiveInfinity, bool NegativeInfinity) SpecialsOf(List<double> ds)
        {
            if (!_specials.TryGetValue(ds, out var specials)) { _specials[ds] = specials = Specials(ds); }
            return specials;
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
