using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using Apache.Arrow;
using Floe.Kernels.Bitmaps;
using Floe.Kernels.Comparison;
using Floe.Kernels.Drivers;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// Column-against-literal comparisons over Arrow arrays into selection bitmaps (one bit per row, LSB first; bits past
/// the length clear), on the SIMD comparison kernels of Floe.Kernels. A row is selected when the comparison is true:
/// null rows never are, and NaN is unequal to everything, so <c>!=</c> selects NaN only under IEEE semantics
/// (<c>sqlNaN: false</c>). This is the one place table filters and feature expressions compare Arrow columns.
/// </summary>
public static class ArrowPredicates
{
    /// <summary>
    /// Writes the selection of <c>array op literal</c> into <paramref name="bits"/>; false (bits unspecified) when the
    /// array type and literal type are not a pair this kernel covers (integers, floats, dates, timestamps with an
    /// integer literal in the column's own unit, strings with a string literal).
    /// </summary>
    /// <param name="array">The column (any offset).</param>
    /// <param name="op">The comparison.</param>
    /// <param name="literal">A long, int, double, float or string.</param>
    /// <param name="bits">At least <c>ceil(array.Length / 64)</c> words.</param>
    /// <param name="sqlNaN">When true, <c>NaN != x</c> is not true (Iceberg's row filter); when false it is (IEEE).</param>
    /// <exception cref="ArgumentException"><paramref name="bits"/> is too short.</exception>
    public static bool TryCompare(IArrowArray array, ComparisonOp op, object literal, Span<ulong> bits, bool sqlNaN)
    {
        int n = array.Length;
        if (bits.Length < Bitmap.WordCount(n)) { throw new ArgumentException("bitmap shorter than the array", nameof(bits)); }
        switch (array)
        {
            case DoubleArray d when literal is double or float or int or long:
                Compare(d.Values, Convert.ToDouble(literal, CultureInfo.InvariantCulture), op, bits, floating: true, sqlNaN);
                break;
            case FloatArray f when literal is float fl:
                Compare(f.Values, fl, op, bits, floating: true, sqlNaN);
                break;
            case Int64Array l when literal is long or int:
                Compare(l.Values, Convert.ToInt64(literal, CultureInfo.InvariantCulture), op, bits, floating: false, sqlNaN);
                break;
            case TimestampArray t when literal is long lt:
                Compare(t.Values, lt, op, bits, floating: false, sqlNaN);
                break;
            case Int32Array i when literal is int li:
                Compare(i.Values, li, op, bits, floating: false, sqlNaN);
                break;
            case Date32Array dt when literal is int ld:
                Compare(dt.Values, ld, op, bits, floating: false, sqlNaN);
                break;
            case StringArray s when literal is string text:
                CompareStrings(s, Encoding.UTF8.GetBytes(text), op, bits);
                break;
            default:
                return false;
        }
        ArrowBitmaps.AndValidity(array, bits);
        return true;
    }

    /// <summary>
    /// <c>array in (literals)</c> (or <c>not in</c>) as a selection: the disjunction of equalities, then for
    /// <c>not in</c> its complement among the non-null rows. False when a literal is not covered (see
    /// <see cref="TryCompare"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="bits"/> is too short.</exception>
    public static bool TryIn(IArrowArray array, IReadOnlyList<object> literals, bool negated, Span<ulong> bits, bool sqlNaN)
    {
        int n = array.Length;
        int words = Bitmap.WordCount(n);
        if (bits.Length < words) { throw new ArgumentException("bitmap shorter than the array", nameof(bits)); }
        bits[..words].Clear();
        var rented = ArrayPool<ulong>.Shared.Rent(Math.Max(words, 1));
        try
        {
            var one = rented.AsSpan(0, words);
            foreach (var literal in literals)
            {
                if (!TryCompare(array, ComparisonOp.Eq, literal, one, sqlNaN)) { return false; }
                Bitmap.Or(bits[..words], one, bits[..words]);
            }
            if (negated)
            {
                Bitmap.Not(bits, bits, n);
                if (sqlNaN && array is DoubleArray or FloatArray)
                {
                    // NaN is in no list, yet SQL's "not in" is not true for it either.
                    NotNaN(array, one);
                    Bitmap.And(bits[..words], one, bits[..words]);
                }
                ArrowBitmaps.AndValidity(array, bits);
            }
            return true;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    private static void NotNaN(IArrowArray array, Span<ulong> bits)
    {
        bits.Clear();
        if (array is DoubleArray d) { SelfEqual(d.Values, bits); } else { SelfEqual(((FloatArray)array).Values, bits); }
    }

    private static void Compare<T>(ReadOnlySpan<T> values, T literal, ComparisonOp op, Span<ulong> bits, bool floating, bool sqlNaN)
        where T : unmanaged, INumber<T>
    {
        ComparisonOps.ToBitmap(op, values, literal, bits);
        if (op == ComparisonOp.NotEq && floating && sqlNaN)
        {
            // IEEE != is true for NaN, SQL's is not: keep only rows where x == x.
            int words = Bitmap.WordCount(values.Length);
            var rented = ArrayPool<ulong>.Shared.Rent(Math.Max(words, 1));
            try
            {
                var notNaN = rented.AsSpan(0, words);
                notNaN.Clear();
                SelfEqual(values, notNaN);
                Bitmap.And(bits[..words], notNaN, bits[..words]);
            }
            finally
            {
                ArrayPool<ulong>.Shared.Return(rented);
            }
        }
    }

    private static void SelfEqual<T>(ReadOnlySpan<T> values, Span<ulong> bits)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsNaN(values[i])) { bits[i >> 6] |= 1UL << (i & 63); }
        }
    }

    // Strings compare as UTF-8 bytes, which is code point order.
    private static void CompareStrings(StringArray s, byte[] literal, ComparisonOp op, Span<ulong> bits)
    {
        int n = s.Length;
        bits[..Bitmap.WordCount(n)].Clear();
        for (int i = 0; i < n; i++)
        {
            int c = s.GetBytes(i).SequenceCompareTo(literal);
            bool hit = op switch
            {
                ComparisonOp.Eq => c == 0,
                ComparisonOp.NotEq => c != 0,
                ComparisonOp.Lt => c < 0,
                ComparisonOp.LtEq => c <= 0,
                ComparisonOp.Gt => c > 0,
                _ => c >= 0,
            };
            if (hit) { bits[i >> 6] |= 1UL << (i & 63); }
        }
    }
}
