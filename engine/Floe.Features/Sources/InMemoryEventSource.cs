using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Columns;
using Floe.Features.Expressions;

namespace Floe.Features.Sources;

/// <summary>
/// An event source over columns held in memory (what the file sources load). Rows are indexed by day of event
/// time on first use, so reading one day plus its lookback touches only those days' rows.
/// </summary>
public sealed class InMemoryEventSource : IEventSource
{
    private readonly Dictionary<string, ValueVector> _columns;
    private readonly int _length;
    private string? _indexedColumn;
    private SortedDictionary<long, List<int>>? _byDay;
    // Compact day index (counting sort by day): rows of day _firstDay + d are _dayRows[_dayStarts[d].._dayStarts[d + 1]).
    private long _firstDay;
    private int[]? _dayStarts;
    private int[]? _dayRows;

    internal InMemoryEventSource(Schema schema, Dictionary<string, ValueVector> columns, int length)
    {
        Schema = schema;
        _columns = columns;
        _length = length;
    }

    /// <summary>Wraps Arrow batches (all of one schema).</summary>
    public static InMemoryEventSource FromBatches(IReadOnlyList<RecordBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) { throw Errors.InvalidArgument("at least one batch is required"); }
        var (columns, length) = FeatureGroup.Gather(batches);
        var order = new List<(string, ValueKind)>();
        foreach (var f in batches[0].Schema.FieldsList)
        {
            if (columns.TryGetValue(f.Name, out var c)) { order.Add((f.Name, c.Kind)); }
        }
        return new InMemoryEventSource(SchemaOf(order), columns, length);
    }

    /// <summary>
    /// Wraps Arrow batches of <paramref name="schema"/>; with no batches, an empty source whose columns are the
    /// schema's columns the engine reads.
    /// </summary>
    public static InMemoryEventSource FromBatches(Schema schema, IReadOnlyList<RecordBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count > 0) { return FromBatches(batches); }
        var columns = new Dictionary<string, ValueVector>(StringComparer.Ordinal);
        var order = new List<(string, ValueKind)>();
        foreach (var f in schema.FieldsList)
        {
            if (ArrowColumns.KindOf(f.DataType) is not { } kind) { continue; }
            columns[f.Name] = ValueVector.Empty(kind);
            order.Add((f.Name, kind));
        }
        return new InMemoryEventSource(SchemaOf(order), columns, 0);
    }

    /// <inheritdoc />
    public Schema Schema { get; }

    /// <summary>Total rows held.</summary>
    public int RowCount => _length;

    /// <inheritdoc />
    public IEnumerable<RecordBatch> Read(string timestampColumn, DateTimeOffset? from, DateTimeOffset to)
    {
        if (!_columns.TryGetValue(timestampColumn, out var time) || time.Longs is null)
        {
            throw Errors.InvalidData($"source: timestamp column '{timestampColumn}' is missing or not a timestamp");
        }
        long lo = from is { } f ? FeatureStream.Micros(f) : long.MinValue;
        long hi = FeatureStream.Micros(to);
        var index = DayIndex(timestampColumn, time);
        var rows = new List<int>();
        foreach (var (day, dayRows) in index)
        {
            long dayStart = day * Definitions.Durations.MicrosPerDay;
            if (dayStart >= hi) { break; }
            if (dayStart + Definitions.Durations.MicrosPerDay <= lo) { continue; }
            foreach (int r in dayRows)
            {
                long t = time.Longs[r];
                if (t >= lo && t < hi) { rows.Add(r); }
            }
        }
        rows.Sort();
        yield return ToBatch(rows);
    }

    /// <summary>
    /// Appends the rows with a valid time in [<paramref name="lo"/>, <paramref name="hi"/>) to <paramref name="rows"/>,
    /// day by day and in row (arrival) order within a day: the order <see cref="Read"/> gives for one day.
    /// </summary>
    internal void RowsIn(string timestampColumn, long lo, long hi, List<int> rows)
    {
        if (!_columns.TryGetValue(timestampColumn, out var time) || time.Longs is null)
        {
            throw Errors.InvalidData($"source: timestamp column '{timestampColumn}' is missing or not a timestamp");
        }
        var times = time.Longs;
        if (CompactIndex(timestampColumn, time))
        {
            int days = _dayStarts!.Length - 1;
            long firstDay = lo == long.MinValue ? _firstDay : Math.Max(_firstDay, FloorDay(lo));
            for (long day = firstDay; day - _firstDay < days; day++)
            {
                if (day * Definitions.Durations.MicrosPerDay >= hi) { break; }
                int d = (int)(day - _firstDay);
                var dayRows = _dayRows.AsSpan(_dayStarts[d], _dayStarts[d + 1] - _dayStarts[d]);
                foreach (int r in dayRows)
                {
                    long t = times[r];
                    if (t >= lo && t < hi) { rows.Add(r); }
                }
            }
            return;
        }
        var index = DayIndex(timestampColumn, time);
        foreach (var (day, dayRows) in index)
        {
            long dayStart = day * Definitions.Durations.MicrosPerDay;
            if (dayStart >= hi) { break; }
            if (dayStart + Definitions.Durations.MicrosPerDay <= lo) { continue; }
            foreach (int r in dayRows)
            {
                long t = times[r];
                if (t >= lo && t < hi) { rows.Add(r); }
            }
        }
    }

    private static long FloorDay(long micros) => Math.DivRem(micros, Definitions.Durations.MicrosPerDay, out long rem) - (rem < 0 ? 1 : 0);

    /// <summary>Builds (once per column) a counting-sort index by day when valid times span under a million days.</summary>
    private bool CompactIndex(string column, ValueVector time)
    {
        if (_indexedColumn == column) { return _dayStarts is not null; }
        _byDay = null;
        _dayStarts = null;
        _indexedColumn = column;
        var times = time.Longs!;
        long min = long.MaxValue, max = long.MinValue;
        for (int i = 0; i < _length; i++)
        {
            if (!time.IsValid(i)) { continue; }
            long t = times[i];
            if (t < min) { min = t; }
            if (t > max) { max = t; }
        }
        if (min > max) { min = max = 0; }
        long first = FloorDay(min), last = FloorDay(max);
        if (last - first >= 1 << 20) { return false; }
        int days = (int)(last - first + 1);
        var starts = new int[days + 1];
        for (int i = 0; i < _length; i++)
        {
            if (time.IsValid(i)) { starts[(int)(FloorDay(times[i]) - first) + 1]++; }
        }
        for (int d = 0; d < days; d++) { starts[d + 1] += starts[d]; }
        var next = starts.AsSpan(0, days).ToArray();
        var rowsByDay = new int[starts[days]];
        // Rows go in ascending order, so each day's rows stay in arrival order.
        for (int i = 0; i < _length; i++)
        {
            if (time.IsValid(i)) { rowsByDay[next[(int)(FloorDay(times[i]) - first)]++] = i; }
        }
        _firstDay = first;
        _dayStarts = starts;
        _dayRows = rowsByDay;
        return true;
    }

    private static bool IsSorted(List<int> rows, int from)
    {
        for (int i = from + 1; i < rows.Count; i++) { if (rows[i] < rows[i - 1]) { return false; } }
        return true;
    }

    /// <summary>The source columns at <paramref name="rows"/>.</summary>
    internal Dictionary<string, ValueVector> Take(List<int> rows)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows);
        bool identity = rows.Count == _length && IsSorted(rows, 0);
        var result = new Dictionary<string, ValueVector>(_columns.Count, StringComparer.Ordinal);
        foreach (var field in Schema.FieldsList)
        {
            if (_columns.TryGetValue(field.Name, out var col)) { result[field.Name] = identity ? col : col.Take(span); }
        }
        return result;
    }

    private SortedDictionary<long, List<int>> DayIndex(string column, ValueVector time)
    {
        if (_byDay is not null && _indexedColumn == column) { return _byDay; }
        _dayStarts = null;
        var index = new SortedDictionary<long, List<int>>();
        for (int i = 0; i < _length; i++)
        {
            if (!time.IsValid(i)) { continue; }
            long day = Math.DivRem(time.Longs![i], Definitions.Durations.MicrosPerDay, out long rem) - (rem < 0 ? 1 : 0);
            if (!index.TryGetValue(day, out var list)) { index[day] = list = []; }
            list.Add(i);
        }
        _indexedColumn = column;
        return _byDay = index;
    }

    private RecordBatch ToBatch(List<int> rows)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows);
        var arrays = new List<IArrowArray>();
        var fields = new List<Field>();
        foreach (var field in Schema.FieldsList)
        {
            if (!_columns.TryGetValue(field.Name, out var col)) { continue; }
            var taken = rows.Count == _length ? col : col.Take(span);
            fields.Add(ArrowColumns.FieldOf(field.Name, taken));
            arrays.Add(ArrowColumns.ToArray(taken));
        }
        return new RecordBatch(new Schema(fields, null), arrays, rows.Count);
    }

    internal static Schema SchemaOf(IEnumerable<(string Name, ValueKind Kind)> columns)
    {
        var fields = new List<Field>();
        foreach (var (name, kind) in columns) { fields.Add(ArrowColumns.FieldOf(name, kind, false)); }
        return new Schema(fields, null);
    }
}
