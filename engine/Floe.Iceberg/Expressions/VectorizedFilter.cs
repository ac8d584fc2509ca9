using System.Buffers;
using System.Numerics;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Expressions.Evaluation;
using Floe.Core.Types;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Evaluates conjunctions of column-vs-literal comparisons on top-level numeric and temporal columns into a selection
/// bitmap with the SIMD comparison kernels (one bit per row, nulls cleared from the validity bitmap), with the same
/// SQL semantics as <see cref="RowFilter"/>: a comparison with null or NaN is not true. Anything else is reported
/// as not covered so the caller can use <see cref="RowFilter"/>'s other paths; <see cref="RowFilter"/> itself comes
/// here first, so counting and reading evaluate comparisons with the same kernels.
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

    /// <summary>
    /// Writes the selection of <paramref name="e"/> (negations already pushed into predicates) into
    /// <paramref name="bits"/>, one bit per row of <paramref name="batch"/>; false when not covered.
    /// </summary>
    public static bool Eval(Expression e, RecordBatch batch, Span<ulong> bits)
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
                return TryPredicate(p, batch, bits);
            default:
                return false;
        }
    }

    /// <summary>Writes the selection of one comparison into <paramref name="bits"/>; false when not covered.</summary>
    /// <remarks>
    /// This is the Iceberg binding of the shared evaluator: it checks that the bound literal is already in the
    /// column's own type and unit, then hands the comparison to <see cref="ArrowPredicates"/>.
    /// </remarks>
    public static bool TryPredicate(BoundPredicate p, RecordBatch batch, Span<ulong> bits)
    {
        var isIn = p.Op is Operation.In or Operation.NotIn;
        if (!isIn && p.Op is not (Operation.Eq or Operation.NotEq or Operation.Lt or Operation.LtEq or Operation.Gt or Operation.GtEq)) return false;
        var index = batch.Schema.GetFieldIndex(p.Column);
        if (index < 0) return false;
        var arr = batch.Column(index);
        if (arr.Data.Offset != 0) return false;
        foreach (var literal in p.Literals)
        {
            if (!Covered(p, arr, literal)) return false;
        }
        return isIn
            ? ArrowPredicates.TryIn(arr, p.Literals, p.Op == Operation.NotIn, bits, sqlNaN: true)
            : ArrowPredicates.TryCompare(arr, Map(p.Op), p.Literals[0], bits, sqlNaN: true);
    }

    // The literal is already in the column's own type and unit, so the Arrow comparison is the bound one.
    private static bool Covered(BoundPredicate p, IArrowArray arr, object literal) => arr switch
    {
        DoubleArray => literal is double or float or int or long,
        FloatArray => literal is float,
        Int64Array => p.Type.Id == TypeId.Long && literal is long or int,
        TimestampArray t => literal is long && UnitMatches(p.Type.Id, ((TimestampType)t.Data.DataType).Unit),
        Int32Array => p.Type.Id == TypeId.Int && literal is int,
        Date32Array => p.Type.Id == TypeId.Date && literal is int,
        _ => false,
    };

    private static ComparisonOp Map(Operation op) => op switch
    {
        Operation.Eq => ComparisonOp.Eq,
        Operation.NotEq => ComparisonOp.NotEq,
        Operation.Lt => ComparisonOp.Lt,
        Operation.LtEq => ComparisonOp.LtEq,
        Operation.Gt => ComparisonOp.Gt,
        _ => ComparisonOp.GtEq,
    };

    private static bool UnitMatches(TypeId type, TimeUnit unit) => type switch
    {
        TypeId.Timestamp or TypeId.TimestampTz => unit == TimeUnit.Microsecond,
        TypeId.TimestampNs or TypeId.TimestampTzNs => unit == TimeUnit.Nanosecond,
        _ => false,
    };

    /// <summary>Spreads the first <paramref name="dest"/>.Length bits of <paramref name="bits"/> into booleans.</summary>
    public static void ToBooleans(ReadOnlySpan<ulong> bits, Span<bool> dest)
    {
        var n = dest.Length;
        for (var w = 0; w < bits.Length && (w << 6) < n; w++)
        {
            var word = bits[w];
            var end = Math.Min(64, n - (w << 6));
            var row = dest.Slice(w << 6, end);
            for (var i = 0; i < end; i++) row[i] = ((word >> i) & 1) != 0;
        }
    }

    /// <summary>How many of the first <paramref name="n"/> bits of <paramref name="bits"/> are set.</summary>
    public static int Count(ReadOnlySpan<ulong> bits, int n)
    {
        var count = 0;
        var full = n >> 6;
        for (var w = 0; w < full; w++) count += BitOperations.PopCount(bits[w]);
        if ((n & 63) != 0) count += BitOperations.PopCount(bits[full] & ((1UL << (n & 63)) - 1));
        return count;
    }

    private static void ClearTail(Span<ulong> bits, int n)
    {
        if ((n & 63) != 0 && bits.Length > 0) bits[^1] &= (1UL << (n & 63)) - 1;
    }
}
