using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Errors;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Expressions;
using Floe.Kernels.Bitmaps;

namespace Floe.Features.Columns;

/// <summary>Converts between Arrow arrays and engine columns (timestamps become µs UTC; small ints widen to Int64).</summary>
internal static class ArrowColumns
{
    /// <summary>The engine kind of an Arrow type, or null when unsupported.</summary>
    public static ValueKind? KindOf(IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64
            or ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 => ValueKind.Int64,
        ArrowTypeId.Float or ArrowTypeId.Double or ArrowTypeId.HalfFloat => ValueKind.Float64,
        ArrowTypeId.Boolean => ValueKind.Bool,
        ArrowTypeId.String or ArrowTypeId.LargeString => ValueKind.String,
        ArrowTypeId.Timestamp or ArrowTypeId.Date32 or ArrowTypeId.Date64 => ValueKind.Timestamp,
        _ => null,
    };

    /// <summary>The kinds of every supported column of <paramref name="schema"/> (unsupported columns are left out).</summary>
    public static Dictionary<string, ValueKind> KindsOf(Schema schema)
    {
        var kinds = new Dictionary<string, ValueKind>(StringComparer.Ordinal);
        foreach (var f in schema.FieldsList)
        {
            if (KindOf(f.DataType) is { } k) { kinds[f.Name] = k; }
        }
        return kinds;
    }

    /// <summary>Converts the supported columns of <paramref name="batch"/>, each on its own worker (up to <paramref name="parallelism"/>).</summary>
    public static Dictionary<string, ValueVector> FromBatch(RecordBatch batch, int parallelism = 1)
    {
        var converted = new ValueVector?[batch.ColumnCount];
        void Convert(int c)
        {
            var field = batch.Schema.GetFieldByIndex(c);
            if (KindOf(field.DataType) is not null) { converted[c] = FromArray(batch.Column(c), field.Name); }
        }
        if (parallelism <= 1 || batch.ColumnCount < 2)
        {
            for (int c = 0; c < converted.Length; c++) { Convert(c); }
        }
        else
        {
            try
            {
                Parallel.For(0, batch.ColumnCount, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, Convert);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // The column's own error (an unsupported type), not the parallel loop's wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                throw;
            }
        }
        var result = new Dictionary<string, ValueVector>(StringComparer.Ordinal);
        for (int c = 0; c < converted.Length; c++)
        {
            if (converted[c] is { } column) { result[batch.Schema.GetFieldByIndex(c).Name] = column; }
        }
        return result;
    }

    /// <summary>
    /// The values and validity of <paramref name="array"/> as an engine column: timestamps and dates become µs UTC
    /// here; every other kind converts as the expression evaluator reads Arrow (<see cref="ArrowValues.ToVector"/>).
    /// </summary>
    /// <exception cref="Floe.Core.Errors.FloeException">Unsupported: the array's type has no engine kind.</exception>
    public static ValueVector FromArray(IArrowArray array, string name)
    {
        int n = array.Length;
        if (Shared(array) is { } shared) { return shared; }
        switch (array)
        {
            case TimestampArray a:
                {
                    var unit = ((TimestampType)a.Data.DataType).Unit;
                    var l = a.Values.ToArray();
                    (long mul, long div) = unit switch
                    {
                        TimeUnit.Second => (1_000_000L, 1L),
                        TimeUnit.Millisecond => (1_000L, 1L),
                        TimeUnit.Microsecond => (1L, 1L),
                        _ => (1L, 1_000L),
                    };
                    if (mul != 1 || div != 1)
                    {
                        for (int i = 0; i < n; i++) { l[i] = div == 1 ? l[i] * mul : Math.DivRem(l[i], div).Quotient - (l[i] % div < 0 ? 1 : 0); }
                    }
                    return ValueVector.FromLongs(ValueKind.Timestamp, l, ArrowBitmaps.Validity(array));
                }
            case Date32Array a:
                {
                    var l = new long[n];
                    var src = a.Values;
                    for (int i = 0; i < n; i++) { l[i] = src[i] * 86_400_000_000L; }
                    return ValueVector.FromLongs(ValueKind.Timestamp, l, ArrowBitmaps.Validity(array));
                }
            case Date64Array a:
                {
                    var l = new long[n];
                    var src = a.Values;
                    for (int i = 0; i < n; i++) { l[i] = src[i] * 1_000L; }
                    return ValueVector.FromLongs(ValueKind.Timestamp, l, ArrowBitmaps.Validity(array));
                }
            case HalfFloatArray a:
                {
                    var d = new double[n];
                    var src = a.Values;
                    for (int i = 0; i < n; i++) { d[i] = (double)src[i]; }
                    return ValueVector.FromDoubles(d, ArrowBitmaps.Validity(array));
                }
            default:
                try
                {
                    return ArrowValues.ToVector(array);
                }
                catch (ExpressionException)
                {
                    throw Errors.Unsupported($"column '{name}': Arrow type {array.Data.DataType.Name} is not supported");
                }
        }
    }

    // The values of an Int64, µs-timestamp or Double array as the typed array they already are (the Parquet reader
    // decodes into one, ArrayByteMemory), rather than a copy: the read stage's largest garbage. Null when the buffer
    // is anything else or the array is a slice.
    private static ValueVector? Shared(IArrowArray array)
    {
        if (array.Offset != 0 || array.Data.Buffers.Length < 2) { return null; }
        var values = array.Data.Buffers[1].Memory;
        switch (array)
        {
            case Int64Array when Floe.Core.Arrow.ArrayByteMemory<long>.WholeArrayOf(values) is { } longs && longs.Length >= array.Length:
                return ValueVector.FromLongs(ValueKind.Int64, longs, ArrowBitmaps.Validity(array), array.Length);
            case TimestampArray t when ((TimestampType)t.Data.DataType).Unit == TimeUnit.Microsecond
                && Floe.Core.Arrow.ArrayByteMemory<long>.WholeArrayOf(values) is { } micros && micros.Length >= array.Length:
                return ValueVector.FromLongs(ValueKind.Timestamp, micros, ArrowBitmaps.Validity(array), array.Length);
            case DoubleArray when Floe.Core.Arrow.ArrayByteMemory<double>.WholeArrayOf(values) is { } doubles && doubles.Length >= array.Length:
                return ValueVector.FromDoubles(doubles, ArrowBitmaps.Validity(array), array.Length);
            default:
                return null;
        }
    }

    /// <summary>The Arrow type an engine column of <paramref name="kind"/> is written as.</summary>
    public static IArrowType ArrowType(ValueKind kind) => kind switch
    {
        ValueKind.Int64 => Int64Type.Default,
        ValueKind.Float64 => DoubleType.Default,
        ValueKind.Bool => BooleanType.Default,
        ValueKind.String => StringType.Default,
        _ => new TimestampType(TimeUnit.Microsecond, "UTC"),
    };

    public static Field FieldOf(string name, ValueVector column) =>
        column.IsList
            ? new Field(name, new ListType(new Field("item", ArrowType(column.Kind), true)), true)
            : new Field(name, ArrowType(column.Kind), true);

    public static Field FieldOf(string name, ValueKind kind, bool isList) =>
        isList ? new Field(name, new ListType(new Field("item", ArrowType(kind), true)), true) : new Field(name, ArrowType(kind), true);

    /// <summary>Builds an Arrow array from <paramref name="c"/>.</summary>
    public static IArrowArray ToArray(ValueVector c) => ToArray(c, 0, c.Length);

    /// <summary>
    /// Builds an Arrow array from rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="n"/>) of
    /// <paramref name="c"/> (lists: only the whole column): over the column's arrays, or with <paramref name="copy"/>
    /// over copies (for an array that must outlive arrays the engine reuses).
    /// </summary>
    public static IArrowArray ToArray(ValueVector c, int start, int n, bool copy = false)
    {
        var (bitmap, nulls) = ValidityBuffer(c.Valid, start, n, copy);
        if (c.IsList)
        {
            if (start != 0 || n != c.Length) { throw new ArgumentException("list columns convert whole", nameof(start)); }
            var values = ToArray(c.ListValues!);
            var offsets = new byte[(n + 1) * 4];
            MemoryMarshal.AsBytes(c.ListOffsets.AsSpan(0, n + 1)).CopyTo(offsets);
            var type = new ListType(new Field("item", ArrowType(c.Kind), true));
            return new ListArray(type, n, new ArrowBuffer(offsets), values, bitmap, nulls);
        }
        switch (c.Kind)
        {
            case ValueKind.Float64:
                return new DoubleArray(Bytes(c.Doubles, start, n, copy), bitmap, n, nulls, 0);
            case ValueKind.Int64:
                return new Int64Array(Bytes(c.Longs, start, n, copy), bitmap, n, nulls, 0);
            case ValueKind.Timestamp:
                return new TimestampArray(new TimestampType(TimeUnit.Microsecond, "UTC"), Bytes(c.Longs, start, n, copy), bitmap, n, nulls, 0);
            case ValueKind.Bool:
                {
                    return new BooleanArray(BitsBuffer(c.Bits!, start, n, copy), bitmap, n, nulls, 0);
                }
            default:
                {
                    // The engine's bytes themselves; offsets too when the rows start at byte 0, else rebased.
                    var offsets = c.Offsets!;
                    int first = offsets[start];
                    ArrowBuffer offsetBuffer;
                    if (first == 0) { offsetBuffer = Bytes(offsets, start, n + 1, copy); }
                    else
                    {
                        var rebased = new int[n + 1];
                        for (int i = 0; i <= n; i++) { rebased[i] = offsets[start + i] - first; }
                        offsetBuffer = Bytes(rebased, 0, n + 1);
                    }
                    return new StringArray(n, offsetBuffer, Bytes(c.Utf8, first, offsets[start + n] - first, copy), bitmap, nulls, 0);
                }
        }
    }

    private static ArrowBuffer Bytes<T>(T[]? values, int start, int n, bool copy = false)
        where T : unmanaged
    {
        // Wrap, don't copy, unless asked: engine columns are immutable once built, and a copy of every output column
        // was a measurable share of the write stage.
        if (copy) { return new ArrowBuffer(MemoryMarshal.AsBytes(values.AsSpan(start, n)).ToArray()); }
        return new ArrowBuffer(new Floe.Core.Arrow.ArrayByteMemory<T>(values!, start, n).Memory);
    }

    private static (ArrowBuffer Bitmap, int Nulls) ValidityBuffer(ulong[]? valid, int start, int n, bool copy = false)
    {
        if (valid is null) { return (ArrowBuffer.Empty, 0); }
        var buffer = BitsBuffer(valid, start, n, copy);
        int nulls = n - Bitmap.PopCount(MemoryMarshal.Cast<byte, ulong>(buffer.Span), n);
        return nulls == 0 ? (ArrowBuffer.Empty, 0) : (buffer, nulls);
    }

    // Rows [start, start + n) of a bitmap as an Arrow buffer: the engine's words themselves when the slice starts on a
    // word (engine columns are immutable once built; Arrow readers ignore bits past the length), a shifted copy otherwise.
    private static ArrowBuffer BitsBuffer(ulong[] words, int start, int n, bool copy = false)
    {
        int count = Bitmap.WordCount(n);
        if ((start & 63) == 0 && !copy)
        {
            return new ArrowBuffer(new Floe.Core.Arrow.ArrayByteMemory<ulong>(words, start >> 6, count).Memory);
        }
        var shifted = new ulong[count];
        for (int i = 0; i < n; i++)
        {
            int k = start + i;
            shifted[i >> 6] |= ((words[k >> 6] >> (k & 63)) & 1UL) << (i & 63);
        }
        return new ArrowBuffer(new Floe.Core.Arrow.ArrayByteMemory<ulong>(shifted, 0, count).Memory);
    }
}
