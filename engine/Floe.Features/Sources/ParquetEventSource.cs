using Floe.Core.Errors;
using Floe.Features.Columns;
using Floe.Features.Expressions;
using Parquet;
using Parquet.Schema;

namespace Floe.Features.Sources;

/// <summary>
/// Loads Parquet files with Parquet.Net's low-level row-group API: flat columns of integers, floats, booleans,
/// strings and timestamps/dates (nested columns are skipped). All files must share the first file's columns.
/// </summary>
public static class ParquetEventSource
{
    /// <summary>Loads <paramref name="paths"/>.</summary>
    /// <exception cref="FloeException">NotFound for a missing file, InvalidData when a file cannot be read.</exception>
    public static InMemoryEventSource Load(IReadOnlyList<string> paths)
    {
        var parts = new Dictionary<string, List<ColumnData>>(StringComparer.Ordinal);
        var order = new List<(string, ValueKind)>();
        int length = 0;
        foreach (var path in paths)
        {
            if (!File.Exists(path)) { throw Errors.NotFound($"{path}: source file not found"); }
            try
            {
                length += ReadFile(path, parts, order, order.Count == 0).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not FloeException and (IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException))
            {
                throw Errors.InvalidData(path, $"cannot read Parquet: {e.Message}", e);
            }
        }
        var columns = new Dictionary<string, ColumnData>(StringComparer.Ordinal);
        foreach (var (name, _) in order) { columns[name] = ColumnData.Concat(parts[name]); }
        return new InMemoryEventSource(InMemoryEventSource.SchemaOf(order), columns, length);
    }

    private static async Task<int> ReadFile(string path, Dictionary<string, List<ColumnData>> parts, List<(string, ValueKind)> order, bool first)
    {
        var reader = await ParquetReader.CreateAsync(path).ConfigureAwait(false);
        await using var _ = reader.ConfigureAwait(false);
        var fields = new List<DataField>();
        foreach (var f in reader.Schema.Fields)
        {
            if (f is DataField df && df.MaxRepetitionLevel == 0 && KindOf(df.ClrType) is { } kind)
            {
                fields.Add(df);
                if (first) { order.Add((df.Name, kind)); parts[df.Name] = []; }
                else if (!parts.ContainsKey(df.Name)) { throw Errors.InvalidData(path, $"column '{df.Name}' is not in the first file"); }
            }
        }
        int rows = 0;
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            var rg = reader.OpenRowGroupReader(g);
            int n = checked((int)rg.RowCount);
            foreach (var df in fields)
            {
                parts[df.Name].Add(await ReadColumn(rg, df, n).ConfigureAwait(false));
            }
            rows += n;
        }
        return rows;
    }

    private static ValueKind? KindOf(Type t) =>
        t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint) ? ValueKind.Int64
        : t == typeof(double) || t == typeof(float) ? ValueKind.Float64
        : t == typeof(bool) ? ValueKind.Bool
        : t == typeof(string) || t == typeof(ReadOnlyMemory<char>) ? ValueKind.String
        : t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(DateOnly) ? ValueKind.Timestamp
        : null;

    private static async Task<ColumnData> ReadColumn(ParquetRowGroupReader rg, DataField df, int n)
    {
        var t = df.ClrType;
        if (t == typeof(long)) { return await ReadLongs<long>(rg, df, n, v => v).ConfigureAwait(false); }
        if (t == typeof(int)) { return await ReadLongs<int>(rg, df, n, v => v).ConfigureAwait(false); }
        if (t == typeof(short)) { return await ReadLongs<short>(rg, df, n, v => v).ConfigureAwait(false); }
        if (t == typeof(sbyte)) { return await ReadLongs<sbyte>(rg, df, n, v => v).ConfigureAwait(false); }
        if (t == typeof(byte)) { return await ReadLongs<byte>(rg, df, n, v => v).ConfigureAwait(false); }
        if (t == typeof(ushort)) { return await ReadLongs<ushort>(rg, df, n, v => v).ConfigureAwait(false); }
        if (t == typeof(uint)) { return await ReadLongs<uint>(rg, df, n, v => v).ConfigureAwait(false); }
        if (t == typeof(bool)) { return await ReadLongs<bool>(rg, df, n, v => v ? 1 : 0, ValueKind.Bool).ConfigureAwait(false); }
        if (t == typeof(DateTime)) { return await ReadLongs<DateTime>(rg, df, n, v => (v.Ticks - DateTime.UnixEpoch.Ticks) / 10, ValueKind.Timestamp).ConfigureAwait(false); }
        if (t == typeof(DateTimeOffset)) { return await ReadLongs<DateTimeOffset>(rg, df, n, v => (v.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10, ValueKind.Timestamp).ConfigureAwait(false); }
        if (t == typeof(DateOnly)) { return await ReadLongs<DateOnly>(rg, df, n, v => (v.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * 86_400_000_000L, ValueKind.Timestamp).ConfigureAwait(false); }
        if (t == typeof(double))
        {
            if (!df.IsNullable)
            {
                var d = new double[n];
                await rg.ReadAsync<double>(df, d.AsMemory()).ConfigureAwait(false);
                return ColumnData.FromDoubles(d, null);
            }
            var nd = new double?[n];
            await rg.ReadAsync<double>(df, nd.AsMemory()).ConfigureAwait(false);
            var values = new double[n];
            var valid = new bool[n];
            for (int i = 0; i < n; i++) { if (nd[i] is { } x) { values[i] = x; valid[i] = true; } }
            return ColumnData.FromDoubles(values, valid);
        }
        if (t == typeof(float))
        {
            var nf = new float?[n];
            if (df.IsNullable) { await rg.ReadAsync<float>(df, nf.AsMemory()).ConfigureAwait(false); }
            else
            {
                var f = new float[n];
                await rg.ReadAsync<float>(df, f.AsMemory()).ConfigureAwait(false);
                for (int i = 0; i < n; i++) { nf[i] = f[i]; }
            }
            var values = new double[n];
            var valid = new bool[n];
            for (int i = 0; i < n; i++) { if (nf[i] is { } x) { values[i] = x; valid[i] = true; } }
            return ColumnData.FromDoubles(values, valid);
        }
        var s = new string?[n];
        await rg.ReadAsync(df, s.AsMemory()).ConfigureAwait(false);
        return ColumnData.FromStrings(s);
    }

    private static async Task<ColumnData> ReadLongs<T>(ParquetRowGroupReader rg, DataField df, int n, Func<T, long> convert, ValueKind kind = ValueKind.Int64)
        where T : struct
    {
        var values = new long[n];
        if (!df.IsNullable)
        {
            var raw = new T[n];
            await rg.ReadAsync<T>(df, raw.AsMemory()).ConfigureAwait(false);
            for (int i = 0; i < n; i++) { values[i] = convert(raw[i]); }
            return ColumnData.FromLongs(kind, values, null);
        }
        var nullable = new T?[n];
        await rg.ReadAsync<T>(df, nullable.AsMemory()).ConfigureAwait(false);
        var valid = new bool[n];
        bool anyNull = false;
        for (int i = 0; i < n; i++)
        {
            if (nullable[i] is { } v) { values[i] = convert(v); valid[i] = true; }
            else { anyNull = true; }
        }
        return ColumnData.FromLongs(kind, values, anyNull ? valid : null);
    }
}
