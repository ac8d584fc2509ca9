using Floe.Core.Errors;
using Floe.Features.Columns;
using Floe.Features.Definitions;
using Floe.Features.Engine;
using Floe.Features.Output;
using Floe.Features.Sources;

namespace Floe.Features.Application;

/// <summary>
/// Computes a feature group for output events in [from, to), one UTC day of event time at a time: the engine's
/// per-entity state carries over from day to day, so memory holds one day of events plus each entity's events
/// inside its longest window. The days before <c>from</c> back to <c>from − longest window</c> (the lookback) are
/// read and fed through the windows but not output.
/// </summary>
internal static class BatchComputation
{
    public static readonly double[] T = new double[4];
    public static ComputeResult Run(FeatureGroupDefinition def, IEventSource source, DateTimeOffset from, DateTimeOffset to, IFeatureSink sink, int parallelism)
    {
        if (to <= from) { throw Errors.InvalidArgument($"--to ({to:O}) must be after --from ({from:O})"); }
        var started = System.Diagnostics.Stopwatch.StartNew();
        var group = FeatureGroup.Compile(def, source.Schema);
        var engine = new FeatureEngine(group.Plan, parallelism > 0 ? parallelism : Environment.ProcessorCount);
        var (readFrom, readTo) = FeatureGroup.RequiredRange(def, from, to);
        long fromMicros = FeatureStream.Micros(from);
        long toMicros = FeatureStream.Micros(to);
        var names = group.OutputSchema.FieldsList.Select(f => f.Name).ToArray();
        long rowsWritten = 0, eventsRead = 0;
        int partitions = 0;

        // Unbounded windows need all history: read everything before the first output day as one chunk.
        long day = FloorDay(readFrom is { } rf ? FeatureStream.Micros(rf) : fromMicros);
        if (readFrom is null)
        {
            eventsRead += RunChunk(null, day * Durations.MicrosPerDay, false);
        }
        for (; day * Durations.MicrosPerDay < toMicros; day++)
        {
            long start = Math.Max(day * Durations.MicrosPerDay, readFrom is { } r ? FeatureStream.Micros(r) : long.MinValue);
            long end = Math.Min((day + 1) * Durations.MicrosPerDay, toMicros);
            eventsRead += RunChunk(start, end, end > fromMicros);
        }
        if (partitions == 0)
        {
            // Leave a file with the output schema even when no event falls in the range.
            sink.WritePartition(DateOnly.FromDateTime(from.UtcDateTime), names, EmptyColumns(group), 0);
        }
        var files = sink.Complete();
        return new ComputeResult(rowsWritten, eventsRead, partitions, readFrom, readTo, files, started.Elapsed);

        long RunChunk(long? start, long end, bool output)
        {
            var sw0 = System.Diagnostics.Stopwatch.StartNew();
            var batches = source.Read(def.Timestamp, start is { } s ? FromMicros(s) : null, FromMicros(end));
            var (columns, length) = FeatureGroup.Gather(batches);
            if (length == 0) { return 0; }
            columns = RestrictTime(columns, length, def.Timestamp, start ?? long.MinValue, end, out length);
            if (length == 0) { return 0; }
            T[0] += sw0.Elapsed.TotalSeconds; sw0.Restart();
            var chunk = engine.Encode(columns, length);
            T[1] += sw0.Elapsed.TotalSeconds; sw0.Restart();
            var features = engine.Process(chunk);
            T[2] += sw0.Elapsed.TotalSeconds; sw0.Restart();
            if (!output) { return length; }
            var rows = new List<int>(chunk.Length);
            for (int i = 0; i < chunk.Length; i++)
            {
                if (chunk.Time[i] >= fromMicros && chunk.Time[i] < toMicros) { rows.Add(i); }
            }
            if (rows.Count == 0) { return length; }
            var cols = group.OutputColumns(chunk, features, rows.Count == chunk.Length ? null : [.. rows]);
            sink.WritePartition(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)FloorDay(chunk.Time[rows[0]])), names, cols, rows.Count);
            T[3] += sw0.Elapsed.TotalSeconds;
            rowsWritten += rows.Count;
            partitions++;
            return length;
        }
    }

    private static ColumnData[] EmptyColumns(FeatureGroup group)
    {
        var batch = group.EmptyOutput();
        var cols = new ColumnData[batch.ColumnCount];
        for (int c = 0; c < cols.Length; c++)
        {
            var f = batch.Schema.GetFieldByIndex(c);
            cols[c] = f.DataType is Apache.Arrow.Types.ListType
                ? ColumnData.FromList(Expressions.ValueKind.String, [0], ColumnData.Empty(Expressions.ValueKind.String), null)
                : ArrowColumns.FromArray(batch.Column(c), f.Name);
        }
        return cols;
    }

    private static Dictionary<string, ColumnData> RestrictTime(Dictionary<string, ColumnData> columns, int length, string timestamp, long start, long end, out int kept)
    {
        if (!columns.TryGetValue(timestamp, out var time) || time.Longs is null)
        {
            throw Errors.InvalidData($"source: timestamp column '{timestamp}' is missing or not a timestamp");
        }
        var rows = new List<int>(length);
        for (int i = 0; i < length; i++)
        {
            if (time.IsValid(i) && time.Longs[i] >= start && time.Longs[i] < end) { rows.Add(i); }
        }
        kept = rows.Count;
        if (kept == length) { return columns; }
        var result = new Dictionary<string, ColumnData>(columns.Count, StringComparer.Ordinal);
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows);
        foreach (var (name, c) in columns) { result[name] = c.Take(span); }
        return result;
    }

    private static long FloorDay(long micros) => Math.DivRem(micros, Durations.MicrosPerDay, out long rem) - (rem < 0 ? 1 : 0);

    private static DateTimeOffset FromMicros(long micros) =>
        micros >= 253_402_300_799_000_000L ? DateTimeOffset.MaxValue : DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
