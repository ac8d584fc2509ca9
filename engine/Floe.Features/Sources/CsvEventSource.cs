using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CsvHelper;
using Floe.Core.Errors;
using Floe.Features.Columns;
using Floe.Features.Expressions;

namespace Floe.Features.Sources;

/// <summary>
/// Loads CSV files (header row required; separator detected) into memory. Column types are inferred from the
/// first 1,000 non-empty values: integers, then floats, then ISO-8601 timestamps, then booleans, else strings; an
/// integer column that later holds a float widens to double. Empty fields and <c>NULL</c> are null. A value that does
/// not fit its column's type is an error naming the file, line and column.
/// </summary>
public static class CsvEventSource
{
    private const int InferenceRows = 1000;

    /// <summary>Loads <paramref name="paths"/> (same header in every file).</summary>
    /// <exception cref="FloeException">NotFound for a missing file, InvalidData naming file, line and column.</exception>
    public static InMemoryEventSource Load(IReadOnlyList<string> paths)
    {
        var builders = new List<ColumnBuilder>();
        string[]? header = null;
        foreach (var path in paths)
        {
            if (!File.Exists(path)) { throw Errors.NotFound($"{path}: source file not found"); }
            var kinds = Infer(path, out var names);
            if (header is null)
            {
                header = names;
                for (int c = 0; c < names.Length; c++) { builders.Add(new ColumnBuilder(names[c], kinds[c])); }
            }
            else if (!header.AsSpan().SequenceEqual(names))
            {
                throw Errors.InvalidData(path, $"header ({string.Join(",", names)}) differs from the first file's ({string.Join(",", header)})");
            }
            ReadAll(path, builders);
        }
        if (header is null) { throw Errors.InvalidArgument("no CSV files given"); }
        var columns = new Dictionary<string, ColumnData>(StringComparer.Ordinal);
        var order = new List<(string, ValueKind)>();
        int length = 0;
        foreach (var b in builders)
        {
            var col = b.Build();
            columns[b.Name] = col;
            order.Add((b.Name, col.Kind));
            length = col.Length;
        }
        return new InMemoryEventSource(InMemoryEventSource.SchemaOf(order), columns, length);
    }

    private static CsvReaderOptions Options => CsvReaderOptions.Default with { TrackLineNumbers = true };

    private static ValueKind[] Infer(string path, out string[] names)
    {
        using var reader = CsvReader.FromFile(path, Options);
        names = [.. reader.Headers];
        if (names.Length == 0) { throw Errors.InvalidData(path, "line 1: a header row is required"); }
        var kinds = new ValueKind?[names.Length];
        var seen = new int[names.Length];
        int rows = 0;
        while (rows < InferenceRows && reader.Read())
        {
            rows++;
            for (int c = 0; c < names.Length; c++)
            {
                var span = reader.GetSpan(c);
                if (IsNull(span)) { continue; }
                seen[c]++;
                var k = Classify(span);
                kinds[c] = kinds[c] is null ? k : Widen(kinds[c]!.Value, k);
            }
        }
        var result = new ValueKind[names.Length];
        for (int c = 0; c < names.Length; c++) { result[c] = kinds[c] ?? ValueKind.String; }
        return result;
    }

    private static ValueKind Widen(ValueKind a, ValueKind b) =>
        a == b ? a : (a, b) is (ValueKind.Int64, ValueKind.Float64) or (ValueKind.Float64, ValueKind.Int64) ? ValueKind.Float64 : ValueKind.String;

    private static bool IsNull(ReadOnlySpan<byte> s) => s.Length == 0 || s.SequenceEqual("NULL"u8) || s.SequenceEqual("null"u8);

    private static ValueKind Classify(ReadOnlySpan<byte> s)
    {
        if (Utf8Parser.TryParse(s, out long _, out int used) && used == s.Length) { return ValueKind.Int64; }
        if (Utf8Parser.TryParse(s, out double _, out used) && used == s.Length) { return ValueKind.Float64; }
        if (TimestampText.TryParse(s, out _)) { return ValueKind.Timestamp; }
        if (s.SequenceEqual("true"u8) || s.SequenceEqual("false"u8)) { return ValueKind.Bool; }
        return ValueKind.String;
    }

    private static void ReadAll(string path, List<ColumnBuilder> builders)
    {
        using var reader = CsvReader.FromFile(path, Options);
        while (reader.Read())
        {
            for (int c = 0; c < builders.Count; c++)
            {
                var span = reader.GetSpan(c);
                if (!builders[c].Append(span))
                {
                    throw Errors.InvalidData(path, $"line {reader.LineNumber}, column '{builders[c].Name}': '{Encoding.UTF8.GetString(span)}' is not a {builders[c].Kind.ToString().ToLowerInvariant()} (type inferred from the first {InferenceRows} rows)");
                }
            }
        }
    }

    /// <summary>Accumulates one column's parsed values.</summary>
    private sealed class ColumnBuilder(string name, ValueKind kind)
    {
        private long[] _longs = kind is ValueKind.Float64 or ValueKind.String ? [] : new long[1024];
        private double[] _doubles = kind == ValueKind.Float64 ? new double[1024] : [];
        private readonly List<string?> _strings = [];
        private bool[] _valid = new bool[1024];
        private int _count;
        private bool _anyNull;

        public string Name { get; } = name;

        public ValueKind Kind { get; private set; } = kind;

        public bool Append(ReadOnlySpan<byte> s)
        {
            if (_count == _valid.Length)
            {
                Array.Resize(ref _valid, _count * 2);
                if (_longs.Length > 0) { Array.Resize(ref _longs, _count * 2); }
                if (_doubles.Length > 0) { Array.Resize(ref _doubles, _count * 2); }
            }
            int i = _count;
            if (IsNull(s))
            {
                _anyNull = true;
                if (Kind == ValueKind.String) { _strings.Add(null); }
                _count++;
                return true;
            }
            _valid[i] = true;
            switch (Kind)
            {
                case ValueKind.Int64:
                    if (Utf8Parser.TryParse(s, out long l, out int used) && used == s.Length) { _longs[i] = l; break; }
                    if (Utf8Parser.TryParse(s, out double d0, out used) && used == s.Length)
                    {
                        // Widen to double: the integers read so far convert exactly below 2^53.
                        _doubles = new double[_valid.Length];
                        for (int k = 0; k < i; k++) { _doubles[k] = _longs[k]; }
                        _longs = [];
                        Kind = ValueKind.Float64;
                        _doubles[i] = d0;
                        break;
                    }
                    return false;
                case ValueKind.Float64:
                    if (Utf8Parser.TryParse(s, out double d, out used) && used == s.Length) { _doubles[i] = d; break; }
                    if (s.SequenceEqual("NaN"u8)) { _doubles[i] = double.NaN; break; }
                    return false;
                case ValueKind.Timestamp:
                    if (!TimestampText.TryParse(s, out _longs[i])) { return false; }
                    break;
                case ValueKind.Bool:
                    if (s.SequenceEqual("true"u8)) { _longs[i] = 1; }
                    else if (s.SequenceEqual("false"u8)) { _longs[i] = 0; }
                    else { return false; }
                    break;
                default:
                    _strings.Add(Encoding.UTF8.GetString(s));
                    break;
            }
            _count++;
            return true;
        }

        public ColumnData Build()
        {
            var valid = _anyNull ? _valid[.._count] : null;
            return Kind switch
            {
                ValueKind.String => ColumnData.FromStrings([.. _strings]),
                ValueKind.Float64 => ColumnData.FromDoubles(_doubles[.._count], valid),
                _ => ColumnData.FromLongs(Kind, _longs[.._count], valid),
            };
        }
    }
}
