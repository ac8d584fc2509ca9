using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
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
        var manifestEvaluators = new Dictionary<int, ManifestEvaluator>();
        var fileEvaluators = new Dictionary<int, (PartitionEvaluator Partitions, StrictMetricsEvaluator Strict)>();
        CarryOverRemoving(metadata, parent, summary, result,
            manifest =>
            {
                if (!manifestEvaluators.TryGetValue(manifest.PartitionSpecId, out var evaluator))
                {
                    evaluator = new ManifestEvaluator(_filter, metadata.SpecById(manifest.PartitionSpecId), schema);
                    manifestEvaluators[manifest.PartitionSpecId] = evaluator;
                }
                return evaluator.MayMatch(manifest.Partitions);
            },
            file =>
            {
                if (!fileEvaluators.TryGetValue(file.SpecId, out var evaluators))
                {
                    var spec = metadata.SpecById(file.SpecId);
                    evaluators = (new PartitionEvaluator(_filter, spec, schema), new StrictMetricsEvaluator(_filter, spec));
                    fileEvaluators[file.SpecId] = evaluators;
                }
                if (!evaluators.Partitions.MayMatch(file.Partition) || !metrics.MayMatch(file)) return false;
                if (!evaluators.Strict.AllMatch(file))
                {
                    throw Errors.InvalidArgument(
                        $"filter '{_filter}' matches only some rows of {file.FilePath}; deletes remove whole files, so filter on partition columns (or on ranges the files' bounds separate)");
                }
                DeletedFiles++;
                return true;
            });
        return result;
    }
}
