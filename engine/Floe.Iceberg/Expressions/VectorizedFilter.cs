using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Kernels.Comparison;
using Floe.Kernels.Drivers;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Evaluates conjunctions of column-vs-literal comparisons on top-level numeric and temporal columns into a selection
/// bitmap with the SIMD comparison kernels (one bit per row, nulls cleared from the validity bitmap), with the same
/// SQL semantics as <see cref="RowFilter"/>: a comparison with null or NaN is not true. Anything else is reported
/// as not covered so the caller can use <see cref="RowFilter"/>.
/// </summary>
internal static class VectorizedFilter
{
    /// <summary>
    /// Counts the rows of <paramref name="batch"/> that match <paramref name="filter"/> (negations already pushed into
    /// predicates); false when the filter has a node or a column type this path does not cover.
    /// </summary>
    public static bool TryCount(Expression filter, RecordBatch batch, out long count)
    {
        count = 0;
        var n = batch.Length;
        if (n == 0) return true; // nothing can match an empty batch, whatever the filter
        var words = (n + 63) >> 6;
        var rented = ArrayPool<ulong>.Shared.Rent(words);
        try
        {
            var bits = rented.AsSpan(0, words);
            if (!Eval(filter, batch, bits)) return false;
            foreach (var w in bits) count += BitOperations.PopCount(w);
            return true;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    /// <summary>Writes the selection of <paramref name="e"/> into <paramref name="bits"/>; false when not covered.</summary>
    private static bool Eval(Expression e, RecordBatch batch, Span<ulong> bits)
    {
        switch (e)
        {
            case AlwaysTrue:
                bits.Fill(ulong.MaxValue);
                ClearTail(bits, batch.Length);
                return true;
            case AlwaysFalse:
                bits.Clear();
                return true;
            case And a:
                {
                    if (!Eval(a.Left, batch, bits)) return false;
                    var rented = ArrayPool<ulong>.Shared.Rent(Math.Max(bits.Length, 1));
                    try
                    {
                        var right = rented.AsSpan(0, bits.Length);
                        if (!Eval(a.Right, batch, right)) return false;
                        for (var i = 0; i < bits.Length; i++) bits[i] &= right[i];
                        return true;
                    }
                    finally
                    {
                        ArrayPool<ulong>.Shared.Return(rented);
                    }
                }
            case BoundPredicate p:
                return Predicate(p, batch, bits);
            default:
                return false;
        }
    }

    private static bool Predicate(BoundPredicate p, RecordBatch batch, Span<ulong> bits)
    {
        if (p.Op is not (Operation.Eq or Operation.NotEq or Operation.Lt or Operation.LtEq or Operation.Gt or Operation.GtEq)) return false;
        var index = batch.Schema.GetFieldIndex(p.Column);
        if (index < 0) return false;
        var arr = batch.Column(index);
        if (arr.Data.Offset != 0) return false;
        var literal = p.Literals[0];
        switch (arr)
        {
            case DoubleArray d when literal is double or float or int or long:
                Compare(d.Values, Convert.ToDouble(literal, CultureInfo.InvariantCulture), p.Op, bits, floating: true);
                break;
            case FloatArray f when literal is float fl:
                Compare(f.Values, fl, p.Op, bits, floating: true);
                break;
            case Int64Array l when p.Type.Id == TypeId.Long && literal is long or int:
                Compare(l.Values, Convert.ToInt64(literal, CultureInfo.InvariantCulture), p.Op, bits, floating: false);
                break;
            case TimestampArray t when literal is long lt && UnitMatches(p.Type.Id, ((TimestampType)t.Data.DataType).Unit):
                Compare(t.Values, lt, p.Op, bits, floating: false);
                break;
            case Int32Array i when p.Type.Id == TypeId.Int && literal is int li:
                Compare(i.Values, li, p.Op, bits, floating: false);
                break;
            case Date32Array dt when p.Type.Id == TypeId.Date && literal is int ld:
                Compare(dt.Values, ld, p.Op, bits, floating: false);
                break;
            default:
                return false;
        }
        if (arr.NullCount > 0)
        {
            // SQL semantics: a comparison on a null value is never true. Bit i of word w is bit i % 8 of byte
            // 8w + i / 8 on a little-endian machine, the Arrow validity layout.
            var validity = arr.Data.Buffers[0].Span;
            var bytes = MemoryMarshal.AsBytes(bits);
            var length = Math.Min((arr.Length + 7) >> 3, validity.Length);
            for (var b = 0; b < length; b++) bytes[b] &= validity[b];
        }
        return true;
    }

    private static bool UnitMatches(TypeId type, TimeUnit unit) => type switch
    {
        TypeId.Timestamp or TypeId.TimestampTz => unit == TimeUnit.Microsecond,
        TypeId.TimestampNs or TypeId.TimestampTzNs => unit == TimeUnit.Nanosecond,
        _ => false,
    };

    private static void Compare<T>(ReadOnlySpan<T> values, T literal, Operation op, Span<ulong> bits, bool floating)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case Operation.Eq: ComparisonDriver.ToBitmap<T, EqualOperator<T>>(values, literal, bits); break;
            case Operation.Lt: ComparisonDriver.ToBitmap<T, LessThanOperator<T>>(values, literal, bits); break;
            case Operation.LtEq: ComparisonDriver.ToBitmap<T, LessThanOrEqualOperator<T>>(values, literal, bits); break;
            case Operation.Gt: ComparisonDriver.ToBitmap<T, GreaterThanOperator<T>>(values, literal, bits); break;
            case Operation.GtEq: ComparisonDriver.ToBitmap<T, GreaterThanOrEqualOperator<T>>(values, literal, bits); break;
            default:
                if (!floating)
                {
                    ComparisonDriver.ToBitmap<T, NotEqualOperator<T>>(values, literal, bits);
                    break;
                }
                // IEEE != is true for NaN, SQL's is not: not(x == lit) and x == x (x is not NaN).
                ComparisonDriver.ToBitmap<T, EqualOperator<T>>(values, literal, bits);
                var rented = ArrayPool<ulong>.Shared.Rent(Math.Max(bits.Length, 1));
                try
                {
                    var notNaN = rented.AsSpan(0, bits.Length);
                    SelfEqual(values, notNaN);
                    for (var i = 0; i < bits.Length; i++) bits[i] = ~bits[i] & notNaN[i];
                }
                finally
                {
                    ArrayPool<ulong>.Shared.Return(rented);
                }
                break;
        }
    }

    private static void SelfEqual<T>(ReadOnlySpan<T> values, Span<ulong> bits)
        where T : unmanaged, INumber<T>
    {
        bits.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (!T.IsNaN(values[i])) bits[i >> 6] |= 1UL << (i & 63);
        }
    }

    private static void ClearTail(Span<ulong> bits, int n)
    {
        if ((n & 63) != 0 && bits.Length > 0) bits[^1] &= (1UL << (n & 63)) - 1;
    }
}
