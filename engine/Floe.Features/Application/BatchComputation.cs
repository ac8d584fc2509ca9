using Floe.Core.Errors;
using Floe.Features.Columns;
using Floe.Features.Definitions;
using Floe.Features.Diagnostics;
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
    /// <summary>
    /// Days are read one at a time but processed in chunks of up to this many events, which bounds memory while
    /// amortising the per-entity cost of each chunk when entities have few events per day.
    /// </summary>
    public const int MaxChunkRows = 1_000_000;

    public static ComputeResult Run(FeatureGroupDefinition def, IEventSource source, DateTimeOffset from, DateTimeOffset to, IFeatureSink sink, int parallelism)
    {
        // A batch run is all throughput: background (concurrent) GC costs ~10% more CPU on both cores and a larger
        // peak heap for pause times nobody waits on. Restored afterwards, since the setting is process-wide.
        var latency = System.Runtime.GCSettings.LatencyMode;
        if (latency == System.Runtime.GCLatencyMode.Interactive) { System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch; }
        try
        {
            return RunCore(def, source, from, to, sink, parallelism);
        }
        finally
        {
            if (latency == System.Runtime.GCLatencyMode.Interactive) { System.Runtime.GCSettings.LatencyMode = latency; }
        }
    }

    private static ComputeResult RunCore(FeatureGroupDefinition def, IEventSource source, DateTimeOffset from, DateTimeOffset to, IFeatureSink sink, int parallelism)
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
        var pending = new List<Dictionary<string, ColumnData>>();
        var memory = source as InMemoryEventSource;
        var pendingIndices = new List<int>();
        int pendingRows = 0;

        // Unbounded windows need all history: read everything before the first output day as one chunk.
        long day = FloorDay(readFrom is { } rf ? FeatureStream.Micros(rf) : fromMicros);
        if (readFrom is null)
        {
            Read(null, day * Durations.MicrosPerDay);
            Flush();
        }
        for (; day * Durations.MicrosPerDay < toMicros; day++)
        {
            long start = Math.Max(day * Durations.MicrosPerDay, readFrom is { } r ? FeatureStream.Micros(r) : long.MinValue);
            long end = Math.Min((day + 1) * Durations.MicrosPerDay, toMicros);
            Read(start, end);
            if (pendingRows >= MaxChunkRows) { Flush(); }
        }
        Flush();
        if (partitions == 0)
        {
            // Leave a file with the output schema even when no event falls in the range.
            sink.WritePartition(DateOnly.FromDateTime(from.UtcDateTime), names, EmptyColumns(group), 0, 0);
        }
        var tc = StageTimes.Now;
        var files = sink.Complete();
        StageTimes.Add(Stage.Write, tc);
        return new ComputeResult(rowsWritten, eventsRead, partitions, readFrom, readTo, files, started.Elapsed);

        void Read(long? start, long end)
        {
            var t0 = StageTimes.Now;
            if (memory is not null)
            {
                // In-memory sources hand out row indices; the chunk takes its columns once at flush.
                int before = pendingIndices.Count;
                memory.RowsIn(def.Timestamp, start ?? long.MinValue, end, pendingIndices);
                int added = pendingIndices.Count - before;
                pendingRows += added;
                eventsRead += added;
                StageTimes.Add(Stage.Read, t0);
                return;
            }
            var batches = source.Read(def.Timestamp, start is { } s ? FromMicros(s) : null, FromMicros(end));
            var (columns, length) = FeatureGroup.Gather(batches);
            if (length == 0) { return; }
            columns = RestrictTime(columns, length, def.Timestamp, start ?? long.MinValue, end, out length);
            if (length == 0) { return; }
            pending.Add(columns);
            pendingRows += length;
            eventsRead += length;
            StageTimes.Add(Stage.Read, t0);
        }

        void Flush()
        {
            if (pendingRows == 0) { return; }
            if (memory is not null)
            {
                var tt = StageTimes.Now;
                pending.Add(memory.Take(pendingIndices));
                pendingIndices.Clear();
                StageTimes.Add(Stage.Read, tt);
            }
            var columns = pending[0];
            if (pending.Count > 1)
            {
                columns = new Dictionary<string, ColumnData>(StringComparer.Ordinal);
                foreach (var name in pending[0].Keys)
                {
                    var parts = new List<ColumnData>(pending.Count);
                    foreach (var p in pending) { parts.Add(p[name]); }
                    columns[name] = ColumnData.Concat(parts);
                }
            }
            int length = pendingRows;
            pending.Clear();
            pendingRows = 0;
            var t0 = StageTimes.Now;
            var chunk = engine.Encode(columns, length);
            StageTimes.Add(Stage.Encode, t0);
            var features = engine.Process(chunk, pooled: true);
            // Chunk rows are in day order (days were appended in order), so each day is one contiguous run, and the
            // rows output for it (time in [from, to)) are usually contiguous too: then the sink reads a row range of
            // the full columns instead of a copy.
            var t1 = StageTimes.Now;
            var all = group.OutputColumns(chunk, features, null);
            StageTimes.Add(Stage.Output, t1);
            var rows = new List<int>();
            long currentDay = long.MinValue;
            var time = chunk.Time;
            for (int i = 0; i <= chunk.Length; i++)
            {
                long d = i < chunk.Length ? FloorDay(time[i]) : long.MaxValue;
                if (d != currentDay && rows.Count > 0)
                {
                    t1 = StageTimes.Now;
                    var date = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)currentDay);
                    if (rows[^1] - rows[0] + 1 == rows.Count)
                    {
                        sink.WritePartition(date, names, all, rows[0], rows.Count);
                    }
                    else
                    {
                        var picked = group.OutputColumns(chunk, features, [.. rows]);
                        sink.WritePartition(date, names, picked, 0, rows.Count);
                    }
                    StageTimes.Add(Stage.Write, t1);
                    rowsWritten += rows.Count;
                    partitions++;
                    rows.Clear();
                }
                currentDay = d;
                if (i < chunk.Length && time[i] >= fromMicros && time[i] < toMicros) { rows.Add(i); }
            }
            // The sinks copy what they write, so the chunk's feature arrays can go back to the pool.
            engine.ReturnPooled(features);
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
