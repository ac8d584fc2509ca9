using Floe.Features.Expressions;
using Floe.Kernels.Bitmaps;

namespace Floe.Features.Columns;

/// <summary>
/// One column of values inside the engine: longs (Int64, Timestamp as µs), bit-packed booleans, doubles or strings,
/// plus an optional validity bitmap (null means every value is valid). Bitmaps are Arrow's layout (one bit per row, LSB
/// first) held as 64-bit words, with the bits past <see cref="Length"/> clear. Value slots of invalid rows are
/// zero/default.
/// </summary>
internal sealed class ColumnData
{
    private ColumnData(ValueKind kind, int length, long[]? longs, double[]? doubles, string?[]? strings, ulong[]? bits, ulong[]? valid)
    {
        Kind = kind;
        Length = length;
        Longs = longs;
        Doubles = doubles;
        Strings = strings;
        Bits = bits;
        Valid = valid;
    }

    public ValueKind Kind { get; }

    public int Length { get; }

    /// <summary>Int64 and Timestamp values.</summary>
    public long[]? Longs { get; }

    public double[]? Doubles { get; }

    public string?[]? Strings { get; }

    /// <summary>Bool values, one bit per row (see <see cref="Bitmap"/>).</summary>
    public ulong[]? Bits { get; }

    /// <summary>The validity bitmap, or null when every row is valid.</summary>
    public ulong[]? Valid { get; }

    /// <summary>For list columns (<c>last_n</c>): row i holds <c>ListValues[ListOffsets[i]..ListOffsets[i+1]]</c>.</summary>
    public int[]? ListOffsets { get; private init; }

    /// <summary>The flattened elements of a list column; <see cref="Kind"/> is the element kind.</summary>
    public ColumnData? ListValues { get; private init; }

    public bool IsList => ListOffsets is not null;

    public static ColumnData FromList(ValueKind elementKind, int[] offsets, ColumnData values, ulong[]? valid) =>
        new(elementKind, offsets.Length - 1, null, null, null, null, valid) { ListOffsets = offsets, ListValues = values };

    public bool IsNumeric => Kind is ValueKind.Int64 or ValueKind.Float64;

    public bool IsValid(int row) => Valid is null || ((Valid[row >> 6] >> (row & 63)) & 1UL) != 0;

    /// <summary>The Bool value at <paramref name="row"/> (false under null).</summary>
    public bool GetBool(int row) => ((Bits![row >> 6] >> (row & 63)) & 1UL) != 0;

    /// <summary>Validity from per-row flags: null when <paramref name="flags"/> is null or all true.</summary>
    public static ulong[]? Validity(ReadOnlySpan<bool> flags)
    {
        var words = new ulong[Bitmap.WordCount(flags.Length)];
        Bitmap.FromFlags(flags, words);
        return Bitmap.PopCount(words, flags.Length) == flags.Length ? null : words;
    }

    /// <summary>Validity from per-row flags, or null for a null array.</summary>
    public static ulong[]? Validity(bool[]? flags) => flags is null ? null : Validity(flags.AsSpan());

    public static ColumnData FromLongs(ValueKind kind, long[] values, ulong[]? valid, int length = -1)
    {
        if (kind == ValueKind.Bool) { throw new ArgumentException("Bool columns are bit-packed", nameof(kind)); }
        return new(kind, length < 0 ? values.Length : length, values, null, null, null, valid);
    }

    public static ColumnData FromDoubles(double[] values, ulong[]? valid, int length = -1) =>
        new(ValueKind.Float64, length < 0 ? values.Length : length, null, values, null, null, valid);

    /// <summary>A Bool column of <paramref name="length"/> rows from value bits (bits past the length clear).</summary>
    public static ColumnData FromBits(ulong[] bits, ulong[]? valid, int length) =>
        new(ValueKind.Bool, length, null, null, null, bits, valid);

    /// <summary>A Bool column from 0/1 longs (aggregation outputs keep booleans as numbers).</summary>
    public static ColumnData FromFlagLongs(long[] values, ulong[]? valid, int length)
    {
        var bits = new ulong[Bitmap.WordCount(length)];
        for (int i = 0; i < length; i++) { bits[i >> 6] |= (values[i] != 0 ? 1UL : 0UL) << (i & 63); }
        return FromBits(bits, valid, length);
    }

    /// <summary>A Bool column from one flag per row.</summary>
    public static ColumnData FromBools(ReadOnlySpan<bool> values, ulong[]? valid)
    {
        var bits = new ulong[Bitmap.WordCount(values.Length)];
        Bitmap.FromFlags(values, bits);
        return FromBits(bits, valid, values.Length);
    }

    public static ColumnData FromStrings(string?[] values, int length = -1)
    {
        ulong[]? valid = null;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                valid ??= Bitmap.AllSet(values.Length);
                valid[i >> 6] &= ~(1UL << (i & 63));
            }
        }
        return new(ValueKind.String, length < 0 ? values.Length : length, null, null, values, null, valid);
    }

    public static ColumnData Empty(ValueKind kind) => kind switch
    {
        ValueKind.Float64 => FromDoubles([], null),
        ValueKind.String => FromStrings([]),
        ValueKind.Bool => FromBits([], null, 0),
        _ => FromLongs(kind, [], null),
    };

    /// <summary>The value at <paramref name="row"/> as a double (numeric kinds only).</summary>
    public double GetDouble(int row) => Doubles is not null ? Doubles[row] : Longs![row];

    /// <summary>Bits <paramref name="rows"/> of <paramref name="source"/>, gathered into a new bitmap.</summary>
    public static ulong[] TakeBits(ulong[] source, ReadOnlySpan<int> rows)
    {
        var r = new ulong[Bitmap.WordCount(rows.Length)];
        for (int i = 0; i < rows.Length; i++)
        {
            int k = rows[i];
            r[i >> 6] |= ((source[k >> 6] >> (k & 63)) & 1UL) << (i & 63);
        }
        return r;
    }

    /// <summary>Selects <paramref name="rows"/> into a new column.</summary>
    public ColumnData Take(ReadOnlySpan<int> rows)
    {
        ulong[]? valid = Valid is null ? null : TakeBits(Valid, rows);
        if (Longs is not null)
        {
            var v = new long[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                v[i] = Longs[rows[i]];
            }
            return FromLongs(Kind, v, valid);
        }
        if (Doubles is not null)
        {
            var v = new double[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                v[i] = Doubles[rows[i]];
            }
            return FromDoubles(v, valid);
        }
        if (Bits is not null)
        {
            return FromBits(TakeBits(Bits, rows), valid, rows.Length);
        }
        var s = new string?[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            s[i] = Strings![rows[i]];
        }
        return new ColumnData(ValueKind.String, rows.Length, null, null, s, null, valid);
    }

    /// <summary>Copies <paramref name="length"/> bits of <paramref name="source"/> to bit <paramref name="at"/> of <paramref name="destination"/> (destination bits there clear).</summary>
    public static void AppendBits(ulong[] destination, int at, ReadOnlySpan<ulong> source, int length)
    {
        if ((at & 63) == 0)
        {
            source[..Bitmap.WordCount(length)].CopyTo(destination.AsSpan(at >> 6));
            return;
        }
        int shift = at & 63;
        for (int w = 0; w < Bitmap.WordCount(length); w++)
        {
            ulong word = source[w];
            int d = (at >> 6) + w;
            destination[d] |= word << shift;
            if (d + 1 < destination.Length) { destination[d + 1] |= word >> (64 - shift); }
        }
    }

    /// <summary>Concatenates columns of the same kind (not lists).</summary>
    public static ColumnData Concat(IReadOnlyList<ColumnData> parts)
    {
        if (parts.Count == 1) { return parts[0]; }
        int n = 0;
        bool anyInvalid = false;
        foreach (var p in parts) { n += p.Length; anyInvalid |= p.Valid is not null; }
        var kind = parts[0].Kind;
        ulong[]? valid = null;
        if (anyInvalid)
        {
            valid = new ulong[Bitmap.WordCount(n)];
            int at = 0;
            foreach (var p in parts)
            {
                AppendBits(valid, at, p.Valid ?? Bitmap.AllSet(p.Length), p.Length);
                at += p.Length;
            }
        }
        if (parts[0].Doubles is not null)
        {
            var d = new double[n];
            int at = 0;
            foreach (var p in parts) { p.Doubles.AsSpan(0, p.Length).CopyTo(d.AsSpan(at)); at += p.Length; }
            return FromDoubles(d, valid);
        }
        if (parts[0].Longs is not null)
        {
            var l = new long[n];
            int at = 0;
            foreach (var p in parts) { p.Longs.AsSpan(0, p.Length).CopyTo(l.AsSpan(at)); at += p.Length; }
            return FromLongs(kind, l, valid);
        }
        if (parts[0].Bits is not null)
        {
            var b = new ulong[Bitmap.WordCount(n)];
            int at = 0;
            foreach (var p in parts) { AppendBits(b, at, p.Bits, p.Length); at += p.Length; }
            return FromBits(b, valid, n);
        }
        var s = new string?[n];
        int pos = 0;
        foreach (var p in parts) { p.Strings.AsSpan(0, p.Length).CopyTo(s.AsSpan(pos)); pos += p.Length; }
        return FromStrings(s);
    }

    /// <summary>Selects <paramref name="rows"/>, including list columns.</summary>
    public ColumnData TakeAny(ReadOnlySpan<int> rows)
    {
        if (!IsList) { return Take(rows); }
        var offsets = new int[rows.Length + 1];
        var valueRows = new List<int>();
        for (int i = 0; i < rows.Length; i++)
        {
            int a = ListOffsets![rows[i]], b = ListOffsets[rows[i] + 1];
            for (int k = a; k < b; k++) { valueRows.Add(k); }
            offsets[i + 1] = valueRows.Count;
        }
        ulong[]? valid = Valid is null ? null : TakeBits(Valid, rows);
        return FromList(Kind, offsets, ListValues!.Take(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(valueRows)), valid);
    }
}
