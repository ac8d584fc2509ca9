using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Arrow;
using Floe.Core.Errors;
using Floe.Iceberg.Arrow;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;

namespace Floe.Application.TrainingSets;

/// <summary>
/// Joins one feature group onto a spine: reads the feature table at the chosen snapshot, projecting the key, time
/// and feature columns and pruning files to the spine's time range (feature time at most the latest spine time,
/// and with a max age at least the earliest spine time minus it), and offers each row whose entity is in the spine
/// to <see cref="AsOfJoin"/>. Files are read in parallel; each match is named by its scan-order position and chosen
/// by a maximum, so the outcome does not depend on thread timing.
/// </summary>
internal static class GroupJoin
{
    public static GroupMatch Run(ResolvedGroup group, SnapshotChoice choice, Spine spine, long? maxAgeMicros)
    {
        var keys = new EntityKeys(KeyKinds(group, spine));
        var spineIds = new int[spine.Rows];
        var keyArrays = new IArrowArray[group.Entity.Count][];
        for (var k = 0; k < keyArrays.Length; k++) keyArrays[k] = spine.Column(group.Entity[k]);
        var batchKeys = new IArrowArray[group.Entity.Count];
        var at = 0;
        for (var b = 0; b < spine.Batches.Count; b++)
        {
            for (var k = 0; k < batchKeys.Length; k++) batchKeys[k] = keyArrays[k][b];
            var length = spine.Batches[b].Length;
            keys.Add(batchKeys, spineIds.AsSpan(at, length));
            at += length;
        }
        long minTime = long.MaxValue, maxTime = long.MinValue;
        foreach (var t in spine.Times)
        {
            if (t == TimeColumn.Null) continue;
            if (t < minTime) minTime = t;
            if (t > maxTime) maxTime = t;
        }
        var lowest = maxAgeMicros is { } age && minTime != long.MaxValue ? SaturatingSubtract(minTime, age) : long.MinValue;

        var scan = choice.Apply(new TableScan(group.Table), group.TableName);
        var types = new IArrowType[group.Features.Count];
        for (var f = 0; f < types.Length; f++) types[f] = ArrowSchemas.ToArrowType(group.Table.Schema.GetField(group.Features[f]).Type);
        var snapshotId = scan.Snapshot?.SnapshotId;
        if (scan.Snapshot is null || maxTime == long.MinValue || keys.Count == 0)
        {
            return NoMatches(group, snapshotId, types, spine.Rows);
        }
        TimeColumn.Check(ArrowSchemas.ToArrowType(group.Table.Schema.GetField(group.Time).Type), group.Time, group.TableName);
        var columns = new List<string>(group.Entity.Count + 1 + group.Features.Count);
        columns.AddRange(group.Entity);
        columns.Add(group.Time);
        columns.AddRange(group.Features);
        scan = scan.Select(columns);
        if (group.Table.Schema.GetField(group.Time).Type is Floe.Iceberg.Spec.PrimitiveType { Id: Floe.Iceberg.Spec.TypeId.Timestamp or Floe.Iceberg.Spec.TypeId.TimestampTz })
        {
            Expression filter = BoundPredicate.Bind(group.Table.Schema, group.Time, Operation.LtEq, maxTime);
            if (lowest != long.MinValue) filter = Expression.And(BoundPredicate.Bind(group.Table.Schema, group.Time, Operation.GtEq, lowest), filter);
            scan = scan.Filter(filter);
        }
        var (tasks, _) = scan.PlanFiles();
        var index = new AsOfJoin(keys.Count, spineIds, spine.Times);
        var perTask = new List<Kept>[tasks.Count];
        var keyCount = group.Entity.Count;
        var featureCount = group.Features.Count;
        AsOfJoin.Offers? offers = null;
        var sync = new object();
        // Each worker offers into its own slots; the merge takes per-slot maxima, so thread timing cannot change the result.
        Parallel.For(0, tasks.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(Environment.ProcessorCount, 8) },
            () => new AsOfJoin.Offers(index.Slots),
            (t, _, local) =>
            {
                var kept = new List<Kept>();
                var batchKeyArrays = new IArrowArray[keyCount];
                var counter = 0;
                foreach (var batch in scan.ReadBatches([tasks[t]]))
                {
                    for (var k = 0; k < keyCount; k++) batchKeyArrays[k] = batch.Column(k);
                    var chunk = Keep(batch, batchKeyArrays, keys, keyCount, featureCount, lowest, maxTime, index, local, t, ref counter);
                    if (chunk is not null) kept.Add(chunk);
                }
                perTask[t] = kept;
                return local;
            },
            local =>
            {
                lock (sync)
                {
                    if (offers is null) offers = local;
                    else offers.Merge(local);
                }
            });
        var refs = index.Finish(offers ?? new AsOfJoin.Offers(index.Slots), maxAgeMicros);

        // Number the kept chunks in scan order and turn each match's (task, kept-row) ref into (chunk, row).
        var chunks = new List<IArrowArray[]>();
        var taskFirstChunk = new int[tasks.Count + 1];
        var localStarts = new List<int>();
        long total = 0;
        for (var t = 0; t < tasks.Count; t++)
        {
            taskFirstChunk[t] = chunks.Count;
            foreach (var c in perTask[t])
            {
                chunks.Add(c.Features);
                localStarts.Add(c.LocalStart);
                total += c.Count;
            }
        }
        taskFirstChunk[tasks.Count] = chunks.Count;
        var starts = localStarts.ToArray();
        var chunkRows = new int[chunks.Count][];
        for (var t = 0; t < tasks.Count; t++)
        {
            for (var k = 0; k < perTask[t].Count; k++) chunkRows[taskFirstChunk[t] + k] = perTask[t][k].Rows;
        }
        var chunkOf = new int[spine.Rows];
        var rowOf = new int[spine.Rows];
        long matched = 0;
        for (var i = 0; i < refs.Length; i++)
        {
            var r = refs[i];
            if (r < 0) { chunkOf[i] = -1; continue; }
            var task = (int)(r >> 32);
            var local = (int)(r & 0xFFFF_FFFF);
            int first = taskFirstChunk[task], last = taskFirstChunk[task + 1];
            var c = System.Array.BinarySearch(starts, first, last - first, local);
            if (c < 0) c = ~c - 1;
            chunkOf[i] = c;
            rowOf[i] = chunkRows[c][local - starts[c]];
            matched++;
        }
        return new GroupMatch(group, snapshotId, chunks, types, chunkOf, rowOf, total, matched);
    }

    private static GroupMatch NoMatches(ResolvedGroup group, long? snapshotId, IArrowType[] types, int rows)
    {
        var chunkOf = new int[rows];
        System.Array.Fill(chunkOf, -1);
        return new GroupMatch(group, snapshotId, [], types, chunkOf, new int[rows], 0, 0);
    }

    /// <summary>
    /// Offers the rows of a feature batch whose entity is in the spine, whose time is in range and that some spine
    /// row is at or after, and keeps their feature values; refs are (task, running kept-row number).
    /// </summary>
    private static Kept? Keep(
        RecordBatch batch, IArrowArray[] keyArrays, EntityKeys keys, int keyCount, int featureCount, long lowest, long highest,
        AsOfJoin index, AsOfJoin.Offers offers, int task, ref int counter)
    {
        var n = batch.Length;
        var ids = GC.AllocateUninitializedArray<int>(n);
        var times = GC.AllocateUninitializedArray<long>(n);
        keys.Find(keyArrays, ids);
        TimeColumn.ToMicros(batch.Column(keyCount), times);
        var rows = GC.AllocateUninitializedArray<int>(n);
        var localStart = counter;
        var taskBits = (long)task << 32;
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            var t = times[i];
            if (ids[i] < 0 || t == TimeColumn.Null || t > highest || t < lowest) continue;
            var slot = index.Locate(ids[i], t);
            if (slot < 0) continue;
            offers.Offer(slot, t, taskBits | (uint)(localStart + count));
            rows[count++] = i;
        }
        if (count == 0) return null;
        counter += count;
        var features = new IArrowArray[featureCount];
        for (var f = 0; f < featureCount; f++) features[f] = batch.Column(keyCount + 1 + f);
        if (count < n / 2)
        {
            // Most rows are other entities or out of range: keep a compact copy, not the whole batch.
            var taken = rows.AsSpan(0, count);
            for (var f = 0; f < featureCount; f++) features[f] = ArrowTake.Take(features[f], taken);
            for (var i = 0; i < count; i++) rows[i] = i;
        }
        return new Kept(rows, count, localStart, features);
    }

    private static bool[] KeyKinds(ResolvedGroup group, Spine spine)
    {
        var kinds = new bool[group.Entity.Count];
        for (var k = 0; k < kinds.Length; k++)
        {
            var name = group.Entity[k];
            var tableType = ArrowSchemas.ToArrowType(group.Table.Schema.GetField(name).Type);
            var spineType = ArrowSchemas.ToArrowType(spine.Schema.GetField(name).Type);
            var tableIsString = EntityKeys.IsStringKey(tableType, name);
            if (EntityKeys.IsStringKey(spineType, name) != tableIsString)
            {
                throw Errors.InvalidArgument($"entity column '{name}' is {spineType.Name} in the spine but {tableType.Name} in {group.TableName}");
            }
            kinds[k] = tableIsString;
        }
        return kinds;
    }

    private static long SaturatingSubtract(long a, long b) => a < long.MinValue + b ? long.MinValue + 1 : a - b;

    /// <summary>The kept rows of one feature batch: kept row k (ref number LocalStart + k) is row Rows[k] of <see cref="Features"/>.</summary>
    private sealed record Kept(int[] Rows, int Count, int LocalStart, IArrowArray[] Features);
}
