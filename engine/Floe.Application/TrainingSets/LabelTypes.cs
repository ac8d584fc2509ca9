using System.Runtime.InteropServices;
using Apache.Arrow;
using Floe.Core.Text;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Application.TrainingSets;

/// <summary>
/// Gives a CSV spine's label columns (read as text) a narrower type when every value allows it: long, then
/// double, then boolean. Values are parsed from the UTF-8 bytes in place.
/// </summary>
internal static class LabelTypes
{
    /// <summary>The narrowed type and arrays of column <paramref name="column"/>, or null when it stays a string.</summary>
    public static (PrimitiveType Type, IArrowArray[] Arrays)? Narrow(IReadOnlyList<RecordBatch> batches, int column)
    {
        var anyValue = false;
        bool longs = true, doubles = true, booleans = true;
        foreach (var batch in batches)
        {
            var array = (StringArray)batch.Column(column);
            for (var i = 0; i < array.Length && (longs || doubles || booleans); i++)
            {
                if (array.IsNull(i)) continue;
                anyValue = true;
                var text = array.GetBytes(i);
                if (longs && !Utf8Values.TryParseLong(text, out _)) longs = false;
                if (!longs && doubles && !Utf8Values.TryParseDouble(text, out _)) doubles = false;
                if (booleans && !Utf8Values.TryParseBoolean(text, out _)) booleans = false;
            }
        }
        if (!anyValue) return null;
        var type = longs ? PrimitiveType.Long : doubles ? PrimitiveType.Double : booleans ? PrimitiveType.Boolean : null;
        if (type is null) return null;
        var arrays = new IArrowArray[batches.Count];
        for (var b = 0; b < arrays.Length; b++) arrays[b] = Convert((StringArray)batches[b].Column(column), type.Id);
        return (type, arrays);
    }

    private static IArrowArray Convert(StringArray source, TypeId type)
    {
        var n = source.Length;
        var validity = new byte[(n + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < n; i++)
        {
            if (source.IsNull(i)) nulls++;
            else validity[i >> 3] |= (byte)(1 << (i & 7));
        }
        var validityBuffer = nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(validity);
        if (type == TypeId.Boolean)
        {
            var bits = new byte[(n + 7) / 8];
            for (var i = 0; i < n; i++)
            {
                if (!source.IsNull(i) && Utf8Values.TryParseBoolean(source.GetBytes(i), out var v) && v) bits[i >> 3] |= (byte)(1 << (i & 7));
            }
            return new BooleanArray(new ArrowBuffer(bits), validityBuffer, n, nulls, 0);
        }
        var values = new byte[n * 8];
        if (type == TypeId.Long)
        {
            var dest = MemoryMarshal.Cast<byte, long>(values.AsSpan());
            for (var i = 0; i < n; i++)
            {
                if (!source.IsNull(i)) Utf8Values.TryParseLong(source.GetBytes(i), out dest[i]);
            }
            return new Int64Array(new ArrowBuffer(values), validityBuffer, n, nulls, 0);
        }
        var doubles = MemoryMarshal.Cast<byte, double>(values.AsSpan());
        for (var i = 0; i < n; i++)
        {
            if (!source.IsNull(i)) Utf8Values.TryParseDouble(source.GetBytes(i), out doubles[i]);
        }
        return new DoubleArray(new ArrowBuffer(values), validityBuffer, n, nulls, 0);
    }
}
