using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Manifests;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transforms;

namespace Floe.Application.Backfill;

/// <summary>
/// <c>floe lineage</c>: which snapshot, definition, code version and source snapshot produced each partition. A
/// partition's lineage is that of the snapshot that added its live data files, which the manifest entries record
/// (an entry keeps the id of the snapshot that added its file through later rewrites of the manifest).
/// </summary>
public sealed class LineageService
{
    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over a warehouse.</summary>
    public LineageService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>
    /// The lineage of each partition of <paramref name="tableName"/> at one snapshot: <paramref name="snapshotId"/>,
    /// the head of <paramref name="reference"/>, the snapshot current on main at <paramref name="asOf"/> (ISO-8601), or
    /// main's head when none is given (at most one may be).
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument (several selectors), NotFound (table, snapshot, ref, no snapshot yet).</exception>
    public LineageReport Describe(string tableName, long? snapshotId = null, string? reference = null, string? asOf = null)
    {
        var table = _warehouse.LoadTable(TableIdentifier.Parse(tableName));
        var metadata = table.Metadata;
        var selectors = (snapshotId is null ? 0 : 1) + (reference is null ? 0 : 1) + (asOf is null ? 0 : 1);
        if (selectors > 1) throw Errors.InvalidArgument("give at most one of --snapshot, --ref and --as-of");
        Snapshot snapshot;
        if (snapshotId is { } id) snapshot = SnapshotSelector.ById(metadata, id);
        else if (reference is not null) snapshot = SnapshotSelector.ByRef(metadata, reference) ?? throw Errors.NotFound($"ref '{reference}' of table '{tableName}' points at no snapshot");
        else if (asOf is not null) snapshot = SnapshotSelector.AsOf(metadata, SnapshotSelector.ParseTimestampMs(asOf));
        else snapshot = metadata.CurrentSnapshot ?? throw Errors.NotFound($"table '{tableName}' has no snapshots yet");

        var schema = metadata.CurrentSchema;
        var partitions = new Dictionary<(int SpecId, PartitionData Partition), (long Rows, int Files, SortedSet<long> Writers)>();
        foreach (var manifest in table.Operations.ReadManifestList(snapshot.ManifestList))
        {
            if (manifest.Content != ManifestContent.Data) continue;
            foreach (var entry in ManifestReader.Read(table.Io, manifest, metadata.SpecById, schema))
            {
                if (entry.Status == ManifestEntryStatus.Deleted) continue;
                var key = (entry.DataFile.SpecId, entry.DataFile.Partition);
                partitions.TryGetValue(key, out var p);
                p.Writers ??= new SortedSet<long>();
                p.Writers.Add(entry.SnapshotId ?? manifest.AddedSnapshotId);
                partitions[key] = (p.Rows + entry.DataFile.RecordCount, p.Files + 1, p.Writers);
            }
        }

        var result = new List<(string Text, PartitionLineage Lineage)>();
        foreach (var ((specId, partition), (rows, files, writers)) in partitions)
        {
            // Order the writers by commit sequence: the last is the one that last wrote the partition.
            var ordered = writers.OrderBy(w => metadata.SnapshotById(w)?.SequenceNumber ?? long.MinValue).ThenBy(w => w).ToList();
            var last = metadata.SnapshotById(ordered[^1]);
            var text = Human(metadata.SpecById(specId), schema, partition);
            result.Add((text, new PartitionLineage(text, rows, files, ordered[^1], last?.TimestampMs, last?.Operation, ordered,
                last is null ? new Dictionary<string, string>() : BackfillService.LineageOf(last))));
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Text, b.Text));
        return new LineageReport(table.Identifier.ToString(), snapshot.SnapshotId, result.Select(r => r.Lineage).ToList());
    }

    private static string Human(PartitionSpec spec, Schema schema, PartitionData partition)
    {
        var parts = new List<string>(spec.Fields.Count);
        for (int i = 0; i < spec.Fields.Count; i++)
        {
            var field = spec.Fields[i];
            var sourceType = schema.FindField(field.SourceId)?.Type as PrimitiveType;
            parts.Add(sourceType is null ? partition[i]?.ToString() ?? "null" : TransformFunctions.ToHumanString(field.Transform, sourceType, partition[i]));
        }
        return string.Join(",", parts);
    }
}
