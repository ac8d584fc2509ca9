using Apache.Arrow;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Columns;
using Floe.Features.Engine;

namespace Floe.Features;

/// <summary>
/// Incremental computation of a feature group: push events as they arrive, then emit the features of every event
/// before a watermark. Per-entity window state is kept between calls, and the same kernels as the batch path run
/// on the same state transitions, so the values are bit-identical to <see cref="FeatureGroup.Compute(IEnumerable{RecordBatch}, int)"/>
/// on the same events. Events with equal timestamps must all be pushed before the watermark passes them, since
/// each sees all the others (window (t − w, t]); an event at or before its entity's last emitted time is late:
/// it is counted in <see cref="LateEvents"/> and emitted with null features.
/// </summary>
public sealed class FeatureStream
{
    private readonly FeatureGroup _group;
    private readonly FeatureEngine _engine;
    private readonly List<RecordBatch> _pending = [];

    internal FeatureStream(FeatureGroup group, FeatureEngine engine)
    {
        _group = group;
        _engine = engine;
    }

    /// <summary>Events dropped as late so far.</summary>
    public long LateEvents => _engine.LateEvents;

    /// <summary>Buffers events (any order, any entities) until the next <see cref="Emit"/> or <see cref="Flush"/>.</summary>
    public void Push(RecordBatch events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _pending.Add(events);
    }

    /// <summary>
    /// Computes and returns the features of every buffered event with time before <paramref name="watermark"/>, in
    /// arrival order; later events stay buffered.
    /// </summary>
    public RecordBatch Emit(DateTimeOffset watermark) => EmitBefore(Micros(watermark));

    /// <summary>Computes and returns the features of every buffered event, in arrival order.</summary>
    public RecordBatch Flush() => EmitBefore(long.MaxValue);

    /// <summary>The engine behind the stream (tests read its event arena).</summary>
    internal FeatureEngine Engine => _engine;

    internal static long Micros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private RecordBatch EmitBefore(long watermark)
    {
        if (_pending.Count == 0)
        {
            return _group.EmptyOutput();
        }
        var (columns, length) = FeatureGroup.Gather(_pending);
        _pending.Clear();
        var timeCol = columns.GetValueOrDefault(_group.Definition.Timestamp);
        if (timeCol is not null && watermark != long.MaxValue)
        {
            var now = new List<int>();
            var later = new List<int>();
            for (int i = 0; i < length; i++)
            {
                // Null times are dropped by the chunk builder; send them with this emit.
                (timeCol.IsValid(i) && timeCol.Longs![i] >= watermark ? later : now).Add(i);
            }
            if (later.Count > 0)
            {
                _pending.Add(Slice(columns, later));
                columns = Take(columns, now);
                length = now.Count;
            }
        }
        var chunk = _engine.Encode(columns, length);
        var features = _engine.Process(chunk);
        return _group.BuildOutput(_engine, chunk, features);
    }

    private static Dictionary<string, ValueVector> Take(Dictionary<string, ValueVector> columns, List<int> rows)
    {
        var r = new Dictionary<string, ValueVector>(columns.Count, StringComparer.Ordinal);
        foreach (var (name, c) in columns)
        {
            r[name] = c.Take(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        }
        return r;
    }

    private RecordBatch Slice(Dictionary<string, ValueVector> columns, List<int> rows)
    {
        var taken = Take(columns, rows);
        var fields = new List<Field>();
        var arrays = new List<IArrowArray>();
        foreach (var (name, c) in taken)
        {
            fields.Add(ArrowColumns.FieldOf(name, c));
            arrays.Add(ArrowColumns.ToArray(c));
        }
        return new RecordBatch(new Schema(fields, null), arrays, rows.Count);
    }
}
