using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Manifests;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Deletes whole data files by a filter, typically on partition columns (<c>event_time &lt; '2024-01-01'</c>,
/// <c>region = 'eu'</c>): a <c>delete</c> snapshot removes every live file whose rows all match. A file that matches
/// only in part is refused with an error naming it, since that would need row-level deletes. Manifests whose
/// partition summaries rule the filter out are not read, and only manifests that lose a file are rewritten.
/// Re-applied on every retry, so files a concurrent commit added before this one lands are judged too.
/// </summary>
public sealed class DeleteFiles : SnapshotProducer
{
    private readonly Expression _filter;

    /// <summary>Creates a delete of the files of <paramref name="table"/> matching <paramref name="filter"/>.</summary>
    public DeleteFiles(Table table, Expression filter)
        : base(table)
    {
        _filter = filter;
    }

    /// <inheritdoc />
    protected override string Operation => "delete";

    /// <summary>Files removed by the last attempt.</summary>
    public int DeletedFiles { get; private set; }

    private protected override IReadOnlyList<ManifestFile> Apply(TableMetadata metadata, Snapshot? parent, SnapshotSummaryBuilder summary)
    {
        DeletedFiles = 0;
        var schema = metadata.CurrentSchema;
        var metrics = new InclusiveMetricsEvaluator(_filter);
        var result = new List<ManifestFile>();
        foreach (var manifest in ManifestsOf(parent))
        {
            var spec = metadata.SpecById(manifest.PartitionSpecId);
            if (manifest.Content != ManifestContent.Data || !new ManifestEvaluator(_filter, spec, schema).MayMatch(manifest.Partitions))
            {
                result.Add(manifest);
                continue;
            }
            var partitions = new PartitionEvaluator(_filter, spec, schema);
            var strict = new StrictMetricsEvaluator(_filter, spec);
            var entries = ManifestReader.Read(Table.Io, manifest, metadata.SpecById, schema)
                .Where(e => e.Status != ManifestEntryStatus.Deleted)
                .ToList();
            var deleted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                var file = entry.DataFile;
                if (!partitions.MayMatch(file.Partition) || !metrics.MayMatch(file)) continue;
                if (!strict.AllMatch(file))
                {
                    throw Errors.InvalidArgument(
                        $"filter '{_filter}' matches only some rows of {file.FilePath}; deletes remove whole files, so filter on partition columns (or on ranges the files' bounds separate)");
                }
                deleted.Add(file.FilePath);
            }
            if (deleted.Count == 0)
            {
                result.Add(manifest);
                continue;
            }
            var rewritten = entries.Select(e =>
            {
                if (!deleted.Contains(e.DataFile.FilePath)) return e with { Status = ManifestEntryStatus.Existing };
                summary.Removed(e.DataFile);
                return e with { Status = ManifestEntryStatus.Deleted, SnapshotId = SnapshotId };
            }).ToList();
            DeletedFiles += deleted.Count;
            // The rewritten manifest keeps the deleted entries (status DELETED) so readers of this snapshot's
            // changes see what it removed, as Java's delete does.
            result.Add(WriteManifest(metadata, spec, ManifestContent.Data, rewritten));
        }
        return result;
    }
}
