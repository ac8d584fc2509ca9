using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Expressions.Evaluation;
using Floe.Features.Columns;
using Floe.Features.Definitions;
using Floe.Features.Engine;
using Floe.Features.Expressions;

namespace Floe.Features;

/// <summary>
/// A feature group compiled for one input schema: the single implementation of its features, called by batch
/// (<see cref="Compute(IEnumerable{RecordBatch}, int)"/>, <see cref="Computation.FeatureComputation"/>) and streaming
/// (<see cref="OpenStream"/>) alike. Output rows carry the entity key column(s), the event time (timestamp µs, UTC)
/// and every feature, one row per source event that passes the filter.
/// </summary>
public sealed class FeatureGroup
{
    private FeatureGroup(FeaturePlan plan, Schema inputSchema)
    {
        Plan = plan;
        InputSchema = inputSchema;
        OutputSchema = BuildOutputSchema(plan);
    }

    internal FeaturePlan Plan { get; }

    /// <summary>The validated definition.</summary>
    public FeatureGroupDefinition Definition => Plan.Definition;

    /// <summary>The schema events must have.</summary>
    public Schema InputSchema { get; }

    /// <summary>The schema of computed batches: entity key(s), event time, then features in definition order.</summary>
    public Schema OutputSchema { get; }

    /// <summary>
    /// Compiles <paramref name="definition"/> for events of <paramref name="inputSchema"/>.
    /// </summary>
    /// <exception cref="FloeException">InvalidData naming the definition path when a column is missing or mistyped.</exception>
    public static FeatureGroup Compile(FeatureGroupDefinition definition, Schema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new FeatureGroup(FeaturePlan.Compile(definition, ArrowColumns.KindsOf(inputSchema)), inputSchema);
    }

    /// <summary>
    /// The event-time range a batch computation of output rows with time in [<paramref name="from"/>, <paramref name="to"/>)
    /// must read: [from − longest window, to). Null start means every earlier event (an unbounded window).
    /// </summary>
    public static (DateTimeOffset? From, DateTimeOffset To) RequiredRange(FeatureGroupDefinition definition, DateTimeOffset from, DateTimeOffset to)
    {
        long longest = definition.LongestWindowMicros;
        if (longest == long.MaxValue) { return (null, to); }
        return (from.AddTicks(-longest * 10), to);
    }

    /// <summary>
    /// Computes every feature for every event of <paramref name="batches"/> in one pass (one chunk), as of each
    /// event's time; rows come back in input order. Window state starts empty, so events before the first one
    /// given are not seen.
    /// </summary>
    /// <param name="batches">Events in any order; all batches must have <see cref="InputSchema"/>'s columns.</param>
    /// <param name="parallelism">Worker threads (entity-partitioned); defaults to the processor count.</param>
    public RecordBatch Compute(IEnumerable<RecordBatch> batches, int parallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var engine = new FeatureEngine(Plan, parallelism > 0 ? parallelism : Environment.ProcessorCount);
        var (columns, length) = Gather(batches);
        var chunk = engine.Encode(columns, length);
        var features = engine.Process(chunk);
        return BuildOutput(engine, chunk, features);
    }

    /// <summary>Computes every feature for the events of one batch. See <see cref="Compute(IEnumerable{RecordBatch}, int)"/>.</summary>
    public RecordBatch Compute(RecordBatch events, int parallelism = 0) => Compute([events], parallelism);

    /// <summary>Opens an incremental computation that keeps per-entity window state between calls.</summary>
    public FeatureStream OpenStream(int parallelism = 1) =>
        new(this, new FeatureEngine(Plan, Math.Max(1, parallelism)));

    internal static (Dictionary<string, ValueVector> Columns, int Length) Gather(IEnumerable<RecordBatch> batches)
    {
        var parts = new Dictionary<string, List<ValueVector>>(StringComparer.Ordinal);
        int length = 0;
        foreach (var b in batches)
        {
            foreach (var (name, col) in ArrowColumns.FromBatch(b))
            {
                if (!parts.TryGetValue(name, out var list)) { parts[name] = list = []; }
                list.Add(col);
            }
            length += b.Length;
        }
        var columns = new Dictionary<string, ValueVector>(StringComparer.Ordinal);
        foreach (var (name, list) in parts)
        {
            columns[name] = ValueVector.Concat(list);
        }
        return (columns, length);
    }

    internal static Schema BuildOutputSchema(FeaturePlan plan)
    {
        var def = plan.Definition;
        var fields = new List<Field>();
        foreach (var e in def.Entity)
        {
            fields.Add(ArrowColumns.FieldOf(e, plan.SourceKinds[e], false));
        }
        fields.Add(ArrowColumns.FieldOf(def.Timestamp, ValueKind.Timestamp, false));
        for (int i = 0; i < def.Features.Count; i++)
        {
            var f = def.Features[i];
            ValueKind kind = plan.FeatureKinds[i];
            bool isList = f.Aggregation == AggregationKind.LastN;
            fields.Add(ArrowColumns.FieldOf(f.Name, kind, isList));
        }
        return new Schema(fields, null);
    }

    /// <summary>A batch with <see cref="OutputSchema"/> and no rows.</summary>
    public RecordBatch EmptyOutput()
    {
        var arrays = new List<IArrowArray>();
        foreach (var f in OutputSchema.FieldsList)
        {
            bool isList = f.DataType is Apache.Arrow.Types.ListType;
            var elementType = isList ? ((Apache.Arrow.Types.ListType)f.DataType).ValueDataType : f.DataType;
            var kind = ArrowColumns.KindOf(elementType) ?? ValueKind.Int64;
            var empty = ValueVector.Empty(kind);
            arrays.Add(ArrowColumns.ToArray(isList ? ValueVector.FromList(kind, [0], empty, null) : empty));
        }
        return new RecordBatch(OutputSchema, arrays, 0);
    }

    /// <summary>Builds the output batch for every row of the chunk, in chunk row order.</summary>
    internal RecordBatch BuildOutput(FeatureEngine engine, EventChunk chunk, ValueVector[] features)
    {
        var columns = WithKeysAndTime(engine, chunk.Entity, chunk.Length, chunk.Time, features, keyPool: null, parallelism: 1);
        var arrays = new List<IArrowArray>(columns.Length);
        foreach (var c in columns) { arrays.Add(ArrowColumns.ToArray(c)); }
        return new RecordBatch(OutputSchema, arrays, chunk.Length);
    }

    /// <summary>
    /// Output columns for features already in the order of <paramref name="rowAt"/> (output row i is chunk row
    /// <c>rowAt[i]</c>, see <see cref="FeatureEngine.ProcessByDay"/>): keys and time are gathered into that order.
    /// </summary>
    /// <remarks>
    /// <paramref name="rowAt"/> may be longer than the chunk (rented). The key and time columns' arrays are rented
    /// from the engine's pools (another chunk's garbage otherwise): hand the columns to
    /// <see cref="ReturnOrderedOutputColumns"/> once they have been written.
    /// </remarks>
    internal ValueVector[] OrderedOutputColumns(FeatureEngine engine, EventChunk chunk, ValueVector[] features, int[] rowAt)
    {
        int n = chunk.Length;
        var pools = engine.Arrays;
        var ids = pools.Ints.Rent(n);
        var time = pools.Longs.Rent(n);
        var entity = chunk.Entity;
        var chunkTime = chunk.Time;
        // Gathered in blocks on the engine's threads: on the main thread alone, with the sort and kernels of the
        // chunk done and the writer not yet handed the chunk, this was serial time (10M-event bench: ~4 ms a chunk,
        // 0.12 CPU-s a run, the largest serial stage inside the chunks).
        int blocks = OutputGather.Blocks(n, engine.Parallelism);
        SharedWork.For(blocks, engine.Parallelism, b =>
        {
            var (from, to) = OutputGather.Block(n, blocks, b);
            for (int i = from; i < to; i++)
            {
                int row = rowAt[i];
                ids[i] = entity[row];
                time[i] = chunkTime[row];
            }
        });
        var result = WithKeysAndTime(engine, ids, n, time, features, pools.Longs, engine.Parallelism);
        pools.Ints.Return(ids);
        return result;
    }

    /// <summary>Hands the rented arrays of <see cref="OrderedOutputColumns"/> (and of the features in it) back to the engine.</summary>
    internal void ReturnOrderedOutputColumns(FeatureEngine engine, ValueVector[] columns)
    {
        int keys = Definition.Entity.Count;
        for (int k = 0; k <= keys; k++)
        {
            if (columns[k].Longs is { } longs && columns[k].Kind is ValueKind.Int64 or ValueKind.Timestamp) { engine.Arrays.Longs.Return(longs); }
        }
        engine.ReturnPooled(columns[(keys + 1)..]);
    }

    // Entity keys of the first `length` entities of `ids` (from the entity index, so encoded chunks need not carry key
    // columns; rented from `keyPool` when given, gathered on up to `parallelism` threads) and the first `length`
    // values of `time`, followed by `features` as given.
    private ValueVector[] WithKeysAndTime(FeatureEngine engine, int[] ids, int length, long[] time, ValueVector[] features, ChunkPool<long>? keyPool, int parallelism)
    {
        var def = Definition;
        var result = new ValueVector[def.Entity.Count + 1 + features.Length];
        int at = 0;
        for (int k = 0; k < def.Entity.Count; k++) { result[at++] = engine.Entities.KeyColumn(k, Plan.SourceKinds[def.Entity[k]], ids, length, engine.Strings, keyPool, parallelism); }
        result[at++] = ValueVector.FromLongs(ValueKind.Timestamp, time, null, length);
        foreach (var f in features) { result[at++] = f; }
        return result;
    }
}
