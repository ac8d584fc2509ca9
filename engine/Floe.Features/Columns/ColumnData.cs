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
}
