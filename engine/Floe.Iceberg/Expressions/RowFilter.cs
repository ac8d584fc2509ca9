using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Kernels.Bitmaps;

namespace Floe.Iceberg.Expressions;

/// <summary>
/// Evaluates a bound filter on Arrow record batches into a row selection, with SQL semantics (a comparison with null
/// or NaN is not true; <c>not</c> of unknown stays unknown). Columns are found by the predicates' column names (dotted
/// names walk struct columns). Integer, temporal and floating columns run typed loops over the value buffers;
/// strings and binary compare raw bytes (code point order); other types fall back to per-row values.
/// </summary>
public sealed class RowFilter
{
    private readonly Expression _filter;

    /// <summary>Prepares the bound <paramref name="filter"/> (negations are pushed into predicates once here).</summary>
    public RowFilter(Expression filter) => _filter = filter.RewriteNot();

    /// <summary>
    /// Sets <c>selection[i]</c> to whether row i of <paramref name="batch"/> matches, for i &lt; batch.Length, and returns
    /// the number of selected rows.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="selection"/> is shorter than the batch.</exception>
    /// <exception cref="FloeException">A filtered column is missing from the batch or has an unsupported Arrow type.</exception>
    public int Evaluate(RecordBatch batch, Span<bool> selection)
    {
        var n = batch.Length;
        if (selection.Length < n) throw new ArgumentException($"selection length {selection.Length} is shorter than the batch ({n} rows)", nameof(selection));
        if (n == 0) return 0;
        // One selection bitmap for the whole tree: comparisons the shared Arrow kernels cover write bits directly,
        // and/or combine words (negations were pushed into predicates, so null-as-false is exact).
        var words = Bitmap.WordCount(n);
        var rented = ArrayPool<ulong>.Shared.Rent(words);
        try
        {
            var bits = rented.AsSpan(0, words);
            Eval(_filter, batch, bits);
            Bitmap.ToFlags(bits, selection[..n]);
            return Bitmap.PopCount(bits, n);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    private static void Eval(Expression e, RecordBatch batch, Span<ulong> bits)
    {
        switch (e)
        {
            case AlwaysTrue:
                bits.Fill(ulong.MaxValue);
                Bitmap.ClearTail(bits, batch.Length);
                return;
            case AlwaysFalse:
                bits.Clear();
                return;
            case And:
            case Or:
                {
                    var (left, right, isAnd) = e is And x ? (x.Left, x.Right, true) : (((Or)e).Left, ((Or)e).Right, false);
                    Eval(left, batch, bits);
                    var rented = ArrayPool<ulong>.Shared.Rent(bits.Length);
                    try
                    {
                        var other = rented.AsSpan(0, bits.Length);
                        Eval(right, batch, other);
                        if (isAnd) Bitmap.And(bits, other, bits);
                        else Bitmap.Or(bits, other, bits);
                    }
                    finally
                    {
                        ArrayPool<ulong>.Shared.Return(rented);
                    }
                    return;
                }
            case BoundPredicate p:
                {
                    if (VectorizedFilter.TryPredicate(p, batch, bits)) return;
                    var flags = ArrayPool<bool>.Shared.Rent(batch.Length);
                    try
                    {
                        var dest = flags.AsSpan(0, batch.Length);
                        EvalPredicate(p, batch, dest);
                        Bitmap.FromFlags(dest, bits);
                    }
                    finally
                    {
                        ArrayPool<bool>.Shared.Return(flags);
                    }
                    return;
                }
            default:
                throw Errors.Unsupported($"cannot evaluate expression node {e.GetType().Name}");
        }
    }

    private static void EvalPredicate(BoundPredicate p, RecordBatch batch, Span<bool> dest)
    {
        var path = Resolve(batch, p.Column);
        var arr = path[^1];
        if (p.Op is Operation.IsNull or Operation.NotNull)
        {
            var wantNull = p.Op == Operation.IsNull;
            for (var i = 0; i < dest.Length; i++) dest[i] = IsNull(path, i) == wantNull;
            return;
        }
        switch (arr)
        {
            case Int32Array or Date32Array when p.Literals[0] is int:
                Kernel(((PrimitiveArray<int>)arr).Values, p.Op, Lits<int>(p, 1), dest);
                break;
            case Int64Array i64:
                Kernel(i64.Values, p.Op, LongLits(p, 1), dest);
                break;
            case TimestampArray or Time64Array or Time32Array or Date64Array or Int32Array or Date32Array or Int16Array or Int8Array:
                IntegerLike(p, arr, dest);
                break;
            case FloatArray f when p.Literals[0] is float:
                Kernel(f.Values, p.Op, Lits<float>(p, 1), dest);
                break;
            case FloatArray f:
                {
                    var buf = ArrayPool<double>.Shared.Rent(f.Length);
                    for (var i = 0; i < f.Length; i++) buf[i] = f.Values[i];
                    Kernel<double>(buf.AsSpan(0, f.Length), p.Op, DoubleLits(p), dest);
                    ArrayPool<double>.Shared.Return(buf);
                    break;
                }
            case DoubleArray d:
                Kernel(d.Values, p.Op, DoubleLits(p), dest);
                break;
            case Decimal128Array dec:
                Decimals(p, dec, dest);
                break;
            case StringArray s:
                Bytes(p, s.Length, i => s.GetBytes(i), dest);
                break;
            case BinaryArray b:
                Bytes(p, b.Length, i => b.GetBytes(i), dest);
                break;
            case Apache.Arrow.Arrays.FixedSizeBinaryArray fb:
                Bytes(p, fb.Length, i => fb.GetBytes(i), dest);
                break;
            default:
                for (var i = 0; i < dest.Length; i++) dest[i] = p.Test(ValueAt(arr, i, p.Type));
                break;
        }
        // SQL semantics: a comparison on a null value is never true.
        for (var i = 0; i < dest.Length; i++)
        {
            if (dest[i] && IsNull(path, i)) dest[i] = false;
        }
    }

    private static void Kernel<T>(ReadOnlySpan<T> v, Operation op, ReadOnlySpan<T> lits, Span<bool> d)
        where T : unmanaged, INumber<T>
    {
        var lit = lits[0];
        var n = d.Length;
        switch (op)
        {
            case Operation.Eq: for (var i = 0; i < n; i++) d[i] = v[i] == lit; break;
            case Operation.NotEq: for (var i = 0; i < n; i++) d[i] = v[i] != lit && !T.IsNaN(v[i]); break;
            case Operation.Lt: for (var i = 0; i < n; i++) d[i] = v[i] < lit; break;
            case Operation.LtEq: for (var i = 0; i < n; i++) d[i] = v[i] <= lit; break;
            case Operation.Gt: for (var i = 0; i < n; i++) d[i] = v[i] > lit; break;
            case Operation.GtEq: for (var i = 0; i < n; i++) d[i] = v[i] >= lit; break;
            default:
                {
                    var want = op == Operation.In;
                    for (var i = 0; i < n; i++)
                    {
                        var x = v[i];
                        var found = false;
                        foreach (var l in lits)
                        {
                            if (x == l)
                            {
                                found = true;
                                break;
                            }
                        }
                        d[i] = found == want && !T.IsNaN(x);
                    }
                    break;
                }
        }
    }

    private static void IntegerLike(BoundPredicate p, IArrowArray arr, Span<bool> dest)
    {
        // Bring values and literals to a common unit: scale the literal when the column is finer (exact), else the values.
        var litUnitsPerSecond = p.Type.Id is TypeId.TimestampNs or TypeId.TimestampTzNs ? 1_000_000_000L
            : p.Type.Id is TypeId.Timestamp or TypeId.TimestampTz or TypeId.Time ? 1_000_000L : 0L;
        var colUnitsPerSecond = arr.Data.DataType switch
        {
            TimestampType t => UnitsPerSecond(t.Unit),
            Time64Type t => UnitsPerSecond(t.Unit),
            Time32Type t => UnitsPerSecond(t.Unit),
            _ => 0L,
        };
        long valueScale = 1, litScale = 1;
        if (arr is Date64Array && p.Type.Id == TypeId.Date) litScale = 86_400_000L;
        else if (litUnitsPerSecond > 0 && colUnitsPerSecond > 0)
        {
            if (colUnitsPerSecond >= litUnitsPerSecond) litScale = colUnitsPerSecond / litUnitsPerSecond;
            else valueScale = litUnitsPerSecond / colUnitsPerSecond;
        }
        var n = arr.Length;
        var buf = ArrayPool<long>.Shared.Rent(n);
        try
        {
            switch (arr)
            {
                case PrimitiveArray<long> a: for (var i = 0; i < n; i++) buf[i] = a.Values[i] * valueScale; break;
                case PrimitiveArray<int> a: for (var i = 0; i < n; i++) buf[i] = a.Values[i] * valueScale; break;
                case PrimitiveArray<short> a: for (var i = 0; i < n; i++) buf[i] = a.Values[i]; break;
                case PrimitiveArray<sbyte> a: for (var i = 0; i < n; i++) buf[i] = a.Values[i]; break;
                default: throw Errors.Unsupported($"column '{p.Column}': Arrow type {arr.Data.DataType.Name} is not supported by the row filter");
            }
            Kernel<long>(buf.AsSpan(0, n), p.Op, LongLits(p, litScale), dest);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(buf);
        }
    }

    // Decimal128 values are 16-byte little-endian two's-complement unscaled integers at the Arrow type's scale:
    // compare them as Int128 against the literals scaled the same way (exact; no System.Decimal per row).
    private static void Decimals(BoundPredicate p, Decimal128Array arr, Span<bool> dest)
    {
        var scale = ((Decimal128Type)arr.Data.DataType).Scale;
        var lits = new Int128[p.Literals.Count];
        for (var i = 0; i < lits.Length; i++)
        {
            var unscaled = Conversions.UnscaledDecimal((decimal)p.Literals[i], scale);
            if (unscaled < (BigInteger)Int128.MinValue || unscaled > (BigInteger)Int128.MaxValue)
            {
                throw Errors.InvalidArgument($"literal {p.Literals[i]} does not fit column '{p.Column}' of type {p.Type}");
            }
            lits[i] = (Int128)unscaled;
        }
        var values = MemoryMarshal.Cast<byte, Int128>(arr.ValueBuffer.Span).Slice(arr.Offset, arr.Length);
        Kernel<Int128>(values, p.Op, lits, dest);
    }

    private static long UnitsPerSecond(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => 1L,
        TimeUnit.Millisecond => 1_000L,
        TimeUnit.Microsecond => 1_000_000L,
        _ => 1_000_000_000L,
    };

    private delegate ReadOnlySpan<byte> BytesAt(int index);

    private static void Bytes(BoundPredicate p, int n, BytesAt at, Span<bool> dest)
    {
        var lits = new byte[p.Literals.Count][];
        for (var i = 0; i < lits.Length; i++)
        {
            lits[i] = p.Literals[i] switch
            {
                string s => Encoding.UTF8.GetBytes(s),
                Guid g => g.ToByteArray(bigEndian: true),
                byte[] b => b,
                var o => throw Errors.Unsupported($"column '{p.Column}': cannot compare bytes with {o.GetType().Name}"),
            };
        }
        for (var i = 0; i < n; i++)
        {
            var v = at(i);
            switch (p.Op)
            {
                case Operation.In:
                case Operation.NotIn:
                    {
                        var found = false;
                        foreach (var l in lits)
                        {
                            if (v.SequenceEqual(l))
                            {
                                found = true;
                                break;
                            }
                        }
                        dest[i] = found == (p.Op == Operation.In);
                        break;
                    }
                default:
                    {
                        var c = v.SequenceCompareTo(lits[0]);
                        dest[i] = OperationOrder.Holds(p.Op, c);
                        break;
                    }
            }
        }
    }

    private static T[] Lits<T>(BoundPredicate p, int _)
    {
        var r = new T[p.Literals.Count];
        for (var i = 0; i < r.Length; i++) r[i] = (T)p.Literals[i];
        return r;
    }

    private static long[] LongLits(BoundPredicate p, long scale)
    {
        var r = new long[p.Literals.Count];
        for (var i = 0; i < r.Length; i++) r[i] = Convert.ToInt64(p.Literals[i], System.Globalization.CultureInfo.InvariantCulture) * scale;
        return r;
    }

    private static double[] DoubleLits(BoundPredicate p)
    {
        var r = new double[p.Literals.Count];
        for (var i = 0; i < r.Length; i++) r[i] = Convert.ToDouble(p.Literals[i], System.Globalization.CultureInfo.InvariantCulture);
        return r;
    }

    private static object? ValueAt(IArrowArray arr, int i, PrimitiveType type)
    {
        if (arr.IsNull(i)) return null;
        return arr switch
        {
            BooleanArray b => b.GetValue(i),
            Decimal128Array d => d.GetValue(i),
            _ => throw Errors.Unsupported($"Arrow type {arr.Data.DataType.Name} is not supported by the row filter for {type} columns"),
        };
    }

    private static bool IsNull(IArrowArray[] path, int i)
    {
        foreach (var a in path)
        {
            if (a.IsNull(i)) return true;
        }
        return false;
    }

    private static IArrowArray[] Resolve(RecordBatch batch, string column)
    {
        var index = batch.Schema.GetFieldIndex(column);
        if (index >= 0) return new[] { batch.Column(index) };
        var parts = column.Split('.');
        var path = new List<IArrowArray>();
        index = batch.Schema.GetFieldIndex(parts[0]);
        if (index >= 0)
        {
            IArrowArray current = batch.Column(index);
            path.Add(current);
            var ok = true;
            for (var k = 1; k < parts.Length && ok; k++)
            {
                if (current is StructArray s && s.Data.DataType is Apache.Arrow.Types.StructType st && st.GetFieldIndex(parts[k]) is var fi and >= 0)
                {
                    current = s.Fields[fi];
                    path.Add(current);
                }
                else
                {
                    ok = false;
                }
            }
            if (ok) return path.ToArray();
        }
        throw Errors.InvalidArgument($"filter column '{column}' is not in the record batch (columns: {string.Join(", ", batch.Schema.FieldsList.Select(f => f.Name))})");
    }
}
