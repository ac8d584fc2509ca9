using Floe.Features.Expressions;

namespace Floe.Features.Columns;

/// <summary>
/// One column of values inside the engine: longs (Int64, Bool as 0/1, Timestamp as µs), doubles or strings, plus an
/// optional validity array (null means every value is valid). Value slots of invalid rows are zero/default.
/// </summary>
internal sealed class ColumnData
{
    private ColumnData(ValueKind kind, int length, long[]? longs, double[]? doubles, string?[]? strings, bool[]? valid)
    {
        Kind = kind;
        Length = length;
        Longs = longs;
        Doubles = doubles;
        Strings = strings;
        Valid = valid;
    }

    public ValueKind Kind { get; }

    public int Length { get; }

    public long[]? Longs { get; }

    public double[]? Doubles { get; }

    public string?[]? Strings { get; }

    public bool[]? Valid { get; }

    /// <summary>For list columns (<c>last_n</c>): row i holds <c>ListValues[ListOffsets[i]..ListOffsets[i+1]]</c>.</summary>
    public int[]? ListOffsets { get; private init; }

    /// <summary>The flattened elements of a list column; <see cref="Kind"/> is the element kind.</summary>
    public ColumnData? ListValues { get; private init; }

    public bool IsList => ListOffsets is not null;

    public static ColumnData FromList(ValueKind elementKind, int[] offsets, ColumnData values, bool[]? valid) =>
        new(elementKind, offsets.Length - 1, null, null, null, valid) { ListOffsets = offsets, ListValues = values };

    public bool IsNumeric => Kind is ValueKind.Int64 or ValueKind.Float64;

    public bool IsValid(int row) => Valid is null || Valid[row];

    public static ColumnData FromLongs(ValueKind kind, long[] values, bool[]? valid, int length = -1) =>
        new(kind, length < 0 ? values.Length : length, values, null, null, valid);

    public static ColumnData FromDoubles(double[] values, bool[]? valid, int length = -1) =>
        new(ValueKind.Float64, length < 0 ? values.Length : length, null, values, null, valid);

    public static ColumnData FromStrings(string?[] values, int length = -1)
    {
        bool[]? valid = null;
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                valid ??= CreateAllValid(values.Length);
                valid[i] = false;
            }
        }
        return new(ValueKind.String, length < 0 ? values.Length : length, null, null, values, valid);
    }

    public static ColumnData Empty(ValueKind kind) => kind switch
    {
        ValueKind.Float64 => FromDoubles([], null),
        ValueKind.String => FromStrings([]),
        _ => FromLongs(kind, [], null),
    };

    /// <summary>The value at <paramref name="row"/> as a double (numeric kinds only).</summary>
    public double GetDouble(int row) => Doubles is not null ? Doubles[row] : Longs![row];

    /// <summary>Selects <paramref name="rows"/> into a new column.</summary>
    public ColumnData Take(ReadOnlySpan<int> rows)
    {
        bool[]? valid = null;
        if (Valid is not null)
        {
            valid = new bool[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                valid[i] = Valid[rows[i]];
            }
        }
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
        var s = new string?[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            s[i] = Strings![rows[i]];
        }
        return new ColumnData(ValueKind.String, rows.Length, null, null, s, valid);
    }

    public static bool[] CreateAllValid(int length)
    {
        var v = new bool[length];
        v.AsSpan().Fill(true);
        return v;
    }

    /// <summary>Concatenates columns of the same kind (not lists).</summary>
    public static ColumnData Concat(IReadOnlyList<ColumnData> parts)
    {
        if (parts.Count == 1) { return parts[0]; }
        int n = 0;
        bool anyInvalid = false;
        foreach (var p in parts) { n += p.Length; anyInvalid |= p.Valid is not null; }
        var kind = parts[0].Kind;
        bool[]? valid = null;
        if (anyInvalid)
        {
            valid = new bool[n];
            int at = 0;
            foreach (var p in parts)
            {
                if (p.Valid is null) { valid.AsSpan(at, p.Length).Fill(true); } else { p.Valid.AsSpan(0, p.Length).CopyTo(valid.AsSpan(at)); }
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
        bool[]? valid = null;
        if (Valid is not null)
        {
            valid = new bool[rows.Length];
            for (int i = 0; i < rows.Length; i++) { valid[i] = Valid[rows[i]]; }
        }
        return FromList(Kind, offsets, ListValues!.Take(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(valueRows)), valid);
    }
}
