using Apache.Arrow;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// Arrow arrays (at any offset) as <see cref="ValueVector"/>s, so expressions over Arrow batches run on
/// <see cref="ValueEvaluator"/>: integers widen to Int64, floats to Float64; timestamps and dates keep their own unit
/// (as Timestamp and Int64 days), the unit a literal compared with them is written in.
/// </summary>
public static class ArrowValues
{
    /// <summary>The values and validity of <paramref name="array"/>, copied.</summary>
    /// <exception cref="ExpressionException">The array's type has no value kind.</exception>
    public static ValueVector ToVector(IArrowArray array)
    {
        int n = array.Length;
        var valid = ArrowBitmaps.Validity(array);
        switch (array)
        {
            case Int64Array a: return ValueVector.FromLongs(ValueKind.Int64, a.Values.ToArray(), valid, n);
            case TimestampArray a: return ValueVector.FromLongs(ValueKind.Timestamp, a.Values.ToArray(), valid, n);
            case Int32Array a: return Widen(a.Values, valid);
            case Date32Array a: return Widen(a.Values, valid);
            case Int16Array a: return Widen(a.Values, valid);
            case Int8Array a: return Widen(a.Values, valid);
            case UInt32Array a: return Widen(a.Values, valid);
            case UInt16Array a: return Widen(a.Values, valid);
            case UInt8Array a: return Widen(a.Values, valid);
            case DoubleArray a: return ValueVector.FromDoubles(a.Values.ToArray(), valid, n);
            case FloatArray a:
                {
                    var d = new double[n];
                    var src = a.Values;
                    for (int i = 0; i < n; i++) { d[i] = src[i]; }
                    return ValueVector.FromDoubles(d, valid, n);
                }
            case BooleanArray a:
                {
                    var bits = ArrowBitmaps.Read(a.Data.Buffers[1].Span, a.Offset, n);
                    if (valid is not null) { Floe.Kernels.Bitmaps.Bitmap.And(bits, valid, bits); }
                    return ValueVector.FromBits(bits, valid, n);
                }
            case StringArray a:
                {
                    // Two block copies: the bytes the rows span, and the offsets rebased to them.
                    var offsets = a.ValueOffsets[..(n + 1)];
                    int first = offsets[0];
                    var bytes = a.Values.Slice(first, offsets[n] - first).ToArray();
                    var rebased = new int[n + 1];
                    for (int i = 0; i <= n; i++) { rebased[i] = offsets[i] - first; }
                    return ValueVector.FromUtf8(bytes, rebased, valid, n);
                }
            case LargeStringArray a:
                {
                    var offsets = a.ValueOffsets[..(n + 1)];
                    long first = offsets[0];
                    var bytes = a.ValueBuffer.Span.Slice(checked((int)first), checked((int)(offsets[n] - first))).ToArray();
                    var rebased = new int[n + 1];
                    for (int i = 0; i <= n; i++) { rebased[i] = (int)(offsets[i] - first); }
                    return ValueVector.FromUtf8(bytes, rebased, valid, n);
                }
            default:
                throw new ExpressionException($"a column of type {array.Data.DataType.Name} cannot be used in an expression");
        }
    }

    private static ValueVector Widen<T>(ReadOnlySpan<T> source, ulong[]? valid)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var r = new long[source.Length];
        for (int i = 0; i < r.Length; i++) { r[i] = long.CreateTruncating(source[i]); }
        return ValueVector.FromLongs(ValueKind.Int64, r, valid, r.Length);
    }
}
