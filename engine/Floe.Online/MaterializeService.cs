using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Features.Definitions;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Online;

/// <summary>Progress of a materialization: the phase, rows read and entities written so far.</summary>
public readonly record struct MaterializeProgress(string Phase, long RowsRead, long EntitiesWritten, TimeSpan Elapsed);

/// <summary>
/// Copies the newest feature row of each entity from the Iceberg feature table into the online store. Incremental
/// by default: only the data files the chosen snapshot has and the last materialized one had not are read (so only
/// entities with new or recomputed rows are written); the snapshot id is then recorded in the group's metadata hash.
/// The store's newer-wins writes mean an entity never moves back to older values.
/// </summary>
public sealed class MaterializeService(Warehouse warehouse, OnlineStore store)
{
    /// <summary>Metadata field: the last materialized snapshot id.</summary>
    public const string SnapshotField = "materialized_snapshot";

    /// <summary>Materializes <paramref name="definition"/>'s feature table at <paramref name="snapshotId"/> or <paramref name="asOfMs"/> (default: main).</summary>
    public MaterializeResult Materialize(FeatureGroupDefinition definition, long? snapshotId = null, long? asOfMs = null, bool full = false, TimeSpan? ttl = null,
        IProgress<MaterializeProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var watch = Stopwatch.StartNew();
        var table = warehouse.LoadTable(TableIdentifier.Parse(definition.OutputTable));
        var target = snapshotId is { } id ? SnapshotSelector.ById(table.Metadata, id)
            : asOfMs is { } ms ? SnapshotSelector.AsOf(table.Metadata, ms)
            : table.Metadata.CurrentSnapshot ?? throw Errors.NotFound($"feature table '{definition.OutputTable}' has no snapshot yet; run floe backfill first");
        var tasks = new TableScan(table).UseSnapshot(target.SnapshotId).PlanFiles().Tasks;
        long? previous = store.GetMeta(definition, SnapshotField) is { } p ? long.Parse(p, CultureInfo.InvariantCulture) : null;
        bool incremental = !full && previous is { } prev && table.Metadata.SnapshotById(prev) is not null;
        if (incremental)
        {
            var before = new HashSet<string>(new TableScan(table).UseSnapshot(previous!.Value).PlanFiles().Tasks.Select(t => t.File.FilePath), StringComparer.Ordinal);
            tasks = tasks.Where(t => !before.Contains(t.File.FilePath)).ToList();
        }

        // Pass 1: each entity's newest feature time among the files read. Pass 2: send the rows at that time.
        var keyColumns = definition.Entity.Append(definition.Timestamp).ToArray();
        var newest = new Dictionary<string, long>(StringComparer.Ordinal);
        long rowsRead = 0;
        foreach (var batch in Read(table, target.SnapshotId, tasks, keyColumns))
        {
            rowsRead += batch.Length;
            var keys = KeyTexts(definition, batch);
            var times = (TimestampArray)batch.Column(batch.Schema.GetFieldIndex(definition.Timestamp));
            for (int row = 0; row < batch.Length; row++)
            {
                if (!times.IsValid(row)) continue;
                var t = times.Values[row];
                if (!newest.TryGetValue(keys[row], out var best) || t > best) newest[keys[row]] = t;
            }
            progress?.Report(new MaterializeProgress("reading", rowsRead, 0, watch.Elapsed));
        }
        long written = 0;
        var source = target.SnapshotId.ToString(CultureInfo.InvariantCulture);
        foreach (var batch in Read(table, target.SnapshotId, tasks, null))
        {
            var keys = KeyTexts(definition, batch);
            var times = (TimestampArray)batch.Column(batch.Schema.GetFieldIndex(definition.Timestamp));
            var keep = new List<int>();
            for (int row = 0; row < batch.Length; row++)
            {
                if (times.IsValid(row) && newest.TryGetValue(keys[row], out var t) && t == times.Values[row]) keep.Add(row);
            }
            if (keep.Count > 0) written += store.Write(definition, Floe.Core.Arrow.ArrowTake.Take(batch, keep.ToArray()), source, ttl);
            progress?.Report(new MaterializeProgress("writing", rowsRead, written, watch.Elapsed));
        }
        store.SetMeta(definition, new Dictionary<string, string>
        {
            [SnapshotField] = source,
            ["table"] = definition.OutputTable,
            [OnlineKeys.EntityColumnsField] = string.Join(",", definition.Entity),
            ["materialized_at_ms"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        });
        return new MaterializeResult(definition.OutputTable, target.SnapshotId, incremental, previous, tasks.Count, rowsRead, written, watch.Elapsed);
    }

    /// <summary>Each row's entity key as the store spells it.</summary>
    internal string[] KeyTexts(FeatureGroupDefinition definition, RecordBatch batch)
    {
        var columns = definition.Entity.Select(e => batch.Column(batch.Schema.GetFieldIndex(e))).ToArray();
        var keys = new string[batch.Length];
        var parts = new string[columns.Length];
        for (int row = 0; row < batch.Length; row++)
        {
            for (int k = 0; k < parts.Length; k++) parts[k] = OnlineKeys.Text(columns[k], row) ?? "";
            keys[row] = OnlineKeys.Entity(store.Prefix, definition, parts);
        }
        return keys;
    }

    private static IEnumerable<RecordBatch> Read(Table table, long snapshotId, IReadOnlyList<FileScanTask> tasks, string[]? columns)
    {
        if (tasks.Count == 0) return [];
        var scan = new TableScan(table).UseSnapshot(snapshotId);
        if (columns is not null) scan = scan.Select(columns);
        return scan.ReadBatches(tasks);
    }
}
