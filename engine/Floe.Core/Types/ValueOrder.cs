namespace Floe.Core.Types;

/// <summary>
/// The order Iceberg defines on values (bounds, partition summaries, predicates): numbers numerically, strings by
/// Unicode code point (the order of their UTF-8 bytes), binary and uuid as unsigned bytes. One implementation, so
/// pruning and evaluation never disagree.
/// </summary>
public static class ValueOrder
{
    /// <summary>Orders two non-null values of <paramref name="type"/> as Iceberg does (strings by code point, binary unsigned).</summary>
    public static int Compare(PrimitiveType type, object a, object b)
    {
        switch (type.Id.Storage())
        {
            case StorageKind.Boolean:
                return ((bool)a).CompareTo((bool)b);
            case StorageKind.Int32:
                return ((int)a).CompareTo((int)b);
            case StorageKind.Int64:
                return Convert.ToInt64(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(b, System.Globalization.CultureInfo.InvariantCulture));
            case StorageKind.Float32:
                return ((float)a).CompareTo((float)b);
            case StorageKind.Float64:
                return Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture));
            case StorageKind.Decimal:
                return ((decimal)a).CompareTo((decimal)b);
            case StorageKind.String:
                return CompareCodePoints((string)a, (string)b);
            case StorageKind.Uuid:
                {
                    Span<byte> x = stackalloc byte[16];
                    Span<byte> y = stackalloc byte[16];
                    ((Guid)a).TryWriteBytes(x, bigEndian: true, out _);
                    ((Guid)b).TryWriteBytes(y, bigEndian: true, out _);
                    return x.SequenceCompareTo(y);
                }
            default:
                return ((byte[])a).AsSpan().SequenceCompareTo((byte[])b);
        }
    }

    /// <summary>True for a float or double NaN.</summary>
    public static bool IsNaN(object value) => value is double d ? double.IsNaN(d) : value is float f && float.IsNaN(f);

    /// <summary>Ordinal comparison in code point order (UTF-16 ordinal puts U+E000..U+FFFF after surrogates; fix that).</summary>
    public static int CompareCodePoints(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y) continue;
            return Fix(x) - Fix(y);
        }
        return a.Length - b.Length;

        static int Fix(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;
    }
}
