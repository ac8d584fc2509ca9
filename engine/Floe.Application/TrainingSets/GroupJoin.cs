using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Arrow;
using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;

namespace Floe.Application.TrainingSets;

/// <summary>
/// Joins one feature group onto a spine: reads the feature table at the chosen snapshot, projecting the key, time
/// and feature columns and pruning files to the spine's time range (feature time at most the latest spine time,
/// and with a max age at least the earliest spine time minus it), keeps rows whose entity is in the spine, then
/// matches them with <see cref="AsOfJoin"/>. Files are read in parallel; results are combined in scan order, so
/// the outcome does not depend on thread timing.
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
        if (group.Table.Schema.GetField(group.Time).Type is Floe.Core.Types.PrimitiveType { Id: Floe.Core.Types.TypeId.Timestamp or Floe.Core.Types.TypeId.TimestampTz })
        {
            Expression filter = BoundPredicate.Bind(group.Table.Schema, group.Time, Operation.LtEq, maxTime);
            if (lowest != long.MinValue) filter = Expression.And(BoundPredicate.Bind(group.Table.Schema, group.Time, Operation.GtEq, lowest), filter);
            scan = scan.Filter(filter);
        }
        var (tasks, _) = scan.PlanFiles();
        var perTask = new List<Kept>[tasks.Count];
        var keyCount = group.Entity.Count;
        var featureCount = group.Features.Count;
        Parallel.For(0, tasks.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
        {
            var kept = new List<Kept>();
            var batchKeyArrays = new IArrowArray[keyCount];
            foreach (var batch in scan.ReadBatches([tasks[t]]))
            {
                for (var k = 0; k < keyCount; k++) batchKeyArrays[k] = batch.Column(k);
                var chunk = Keep(batch, batchKeyArrays, keys, keyCount, featureCount, lowest, maxTime);
                if (chunk is not null) kept.Add(chunk);
            }
            perTask[t] = kept;
        });

        long total = 0;
        foreach (var list in perTask)
        {
            foreach (var c in list) total += c.Count;
        }
        if (total > int.MaxValue) throw Errors.Unsupported($"{group.TableName}: more than {int.MaxValue} feature rows fall in the spine's time range");
        var entity = GC.AllocateUninitializedArray<int>((int)total);
        var time = GC.AllocateUninitializedArray<long>((int)total);
        var refs = GC.AllocateUninitializedArray<int>((int)total);
        var chunks = new List<IArrowArray[]>();
        var chunkStarts = new List<int>();
        var position = 0;
        var rowBase = 0;
        for (var t = 0; t < perTask.Length; t++)
        {
            foreach (var c in perTask[t])
            {
                if ((long)rowBase + c.Length > int.MaxValue) throw Errors.Unsupported($"{group.TableName}: more than {int.MaxValue} feature rows fall in the spine's time range");
                c.Entity.AsSpan(0, c.Count).CopyTo(entity.AsSpan(position));
                c.Time.AsSpan(0, c.Count).CopyTo(time.AsSpan(position));
                for (var i = 0; i < c.Count; i++) refs[position + i] = rowBase + c.Rows[i];
                chunks.Add(c.Features);
                chunkStarts.Add(rowBase);
                rowBase += c.Length;
                position += c.Count;
            }
            // The per-batch ids, times and row numbers are copied: let them go before the join allocates its own.
            perTask[t] = [];
        }
        var matches = AsOfJoin.Match(keys.Count, entity, time, refs, spineIds, spine.Times, maxAgeMicros);
        var chunkOf = new int[spine.Rows];
        var rowOf = new int[spine.Rows];
        var starts = chunkStarts.ToArray();
        long matched = 0;
        for (var i = 0; i < matches.Length; i++)
        {
            var r = matches[i];
            if (r < 0) { chunkOf[i] = -1; continue; }
            var c = System.Array.BinarySearch(starts, r);
            if (c < 0) c = ~c - 1;
            chunkOf[i] = c;
            rowOf[i] = r - starts[c];
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

    /// <summary>Keeps the rows of a feature batch whose entity is in the spine and whose time is in range.</summary>
    private static Kept? Keep(RecordBatch batch, IArrowArray[] keyArrays, EntityKeys keys, int keyCount, int featureCount, long lowest, long highest)
    {
        var n = batch.Length;
        var ids = GC.AllocateUninitializedArray<int>(n);
        var times = GC.AllocateUninitializedArray<long>(n);
        keys.Find(keyArrays, ids);
        TimeColumn.ToMicros(batch.Column(keyCount), times);
        var rows = GC.AllocateUninitializedArray<int>(n);
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            var t = times[i];
            // Null times are long.MinValue and fall below any lower bound but long.MinValue itself.
            if (ids[i] < 0 || t == TimeColumn.Null || t > highest || t < lowest) continue;
            ids[count] = ids[i];
            times[count] = t;
            rows[count] = i;
            count++;
        }
        if (count == 0) return null;
        var features = new IArrowArray[featureCount];
        for (var f = 0; f < featureCount; f++) features[f] = batch.Column(keyCount + 1 + f);
        if (count < n / 2)
        {
            // Most rows are other entities or out of range: keep a compact copy, not the whole batch.
            var taken = rows.AsSpan(0, count);
            for (var f = 0; f < featureCount; f++) features[f] = ArrowTake.Take(features[f], taken);
            for (var i = 0; i < count; i++) rows[i] = i;
            return new Kept(ids, times, rows, count, count, features);
        }
        return new Kept(ids, times, rows, count, n, features);
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

    /// <summary>The kept rows of one feature batch: entity ids, times and row numbers in <see cref="Features"/>.</summary>
    private sealed record Kept(int[] Entity, long[] Time, int[] Rows, int Count, int Length, IArrowArray[] Features);
}
