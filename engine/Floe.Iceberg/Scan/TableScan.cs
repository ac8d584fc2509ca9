using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Scan;

/// <summary>
/// Plans and reads a table at one snapshot: opens only manifests whose partition summaries may match the filter,
/// keeps only files whose partition values and column bounds may match, and pairs each data file with the delete
/// files that apply to it. Immutable builder: each <c>Use*</c>/<c>Filter</c>/<c>Select</c> returns a new scan.
/// </summary>
public sealed partial class TableScan
{
    private readonly Table _table;
    private readonly Snapshot? _snapshot;
    private readonly bool _explicitSnapshot;
    private readonly Expression _filter;
    private readonly IReadOnlyList<string>? _columns;
    private readonly int _threads;

    /// <summary>A scan of the table's current snapshot on main, all columns, no filter.</summary>
    public TableScan(Table table)
        : this(table, table.Metadata.CurrentSnapshot, false, AlwaysTrue.Instance, null, 0)
    {
    }

    private TableScan(Table table, Snapshot? snapshot, bool explicitSnapshot, Expression filter, IReadOnlyList<string>? columns, int threads)
    {
        _threads = threads;
        _table = table;
        _snapshot = snapshot;
        _explicitSnapshot = explicitSnapshot;
        _filter = filter;
        _columns = columns;
    }

    /// <summary>The snapshot read, or null for a table without snapshots (the scan is empty).</summary>
    public Snapshot? Snapshot => _snapshot;

    /// <summary>The filter.</summary>
    public Expression FilterExpression => _filter;

    /// <summary>
    /// The schema rows are read with: the snapshot's own schema for time travel by id or timestamp (so columns added
    /// later do not appear in old reads), else the current schema.
    /// </summary>
    public Schema TableSchema =>
        _explicitSnapshot && _snapshot?.SchemaId is { } id && _table.Metadata.Schemas.Any(s => s.SchemaId == id)
            ? _table.Metadata.SchemaById(id)
            : _table.Metadata.CurrentSchema;

    /// <summary>
    /// The output schema: <see cref="TableSchema"/> restricted to the selected columns, in selection order; a nested
    /// selection (<c>a.b</c>) keeps its top-level struct with only the selected children.
    /// </summary>
    public Schema ProjectedSchema
    {
        get
        {
            var schema = TableSchema;
            if (_columns is null) return schema;
            var dataColumns = new List<string>(_columns.Count);
            var lineage = new List<NestedField>();
            foreach (var c in _columns)
            {
                if (MetadataColumns.RowLineage(c) is { } meta) lineage.Add(meta);
                else dataColumns.Add(c);
            }
            if (lineage.Count == 0) return NestedProjection.Project(schema, _columns);
            var fields = new List<NestedField>(dataColumns.Count == 0 ? Array.Empty<NestedField>() : NestedProjection.Project(schema, dataColumns).Fields);
            foreach (var meta in lineage)
            {
                if (!fields.Contains(meta)) fields.Add(meta);
            }
            // Selection order, as for data columns: each field where its name (or a child of it) first appears.
            fields.Sort((a, b) => FirstMention(a.Name).CompareTo(FirstMention(b.Name)));
            return new Schema(schema.SchemaId, fields);
        }
    }

    /// <summary>Reads snapshot <paramref name="snapshotId"/>.</summary>
    public TableScan UseSnapshot(long snapshotId) => new(_table, SnapshotSelector.ById(_table.Metadata, snapshotId), true, _filter, _columns, _threads);

    /// <summary>Reads the head of branch or tag <paramref name="name"/>.</summary>
    public TableScan UseRef(string name) => new(_table, SnapshotSelector.ByRef(_table.Metadata, name), false, _filter, _columns, _threads);

    /// <summary>Reads the snapshot that was current on main at <paramref name="timestampMs"/>.</summary>
    public TableScan AsOf(long timestampMs) => new(_table, SnapshotSelector.AsOf(_table.Metadata, timestampMs), true, _filter, _columns, _threads);

    /// <summary>Adds a row filter (combined with AND).</summary>
    public TableScan Filter(Expression filter) => new(_table, _snapshot, _explicitSnapshot, Expression.And(_filter, filter), _columns, _threads);

    private int FirstMention(string name)
    {
        for (var i = 0; i < _columns!.Count; i++)
        {
            var c = _columns[i];
            if (c == name || (c.Length > name.Length && c.StartsWith(name, StringComparison.Ordinal) && c[name.Length] == '.')) return i;
        }
        return int.MaxValue;
    }

    /// <summary>
    /// Projects to <paramref name="columns"/> (top-level names, or dotted names of struct children, or the row lineage
    /// metadata columns <c>_row_id</c> and <c>_last_updated_sequence_number</c>).
    /// </summary>
    public TableScan Select(IReadOnlyList<string> columns)
    {
        foreach (var c in columns)
        {
            if (MetadataColumns.RowLineage(c) is null) TableSchema.GetField(c);
        }
        return new(_table, _snapshot, _explicitSnapshot, _filter, columns, _threads);
    }

    /// <summary>
    /// Projects to every column of <see cref="TableSchema"/> followed by <c>_row_id</c> and
    /// <c>_last_updated_sequence_number</c>: what a rewrite reads to move rows without losing their lineage.
    /// </summary>
    public TableScan SelectWithRowLineage()
    {
        var columns = new List<string>(TableSchema.Fields.Count + 2);
        foreach (var f in TableSchema.Fields) columns.Add(f.Name);
        columns.Add(MetadataColumns.RowId.Name);
        columns.Add(MetadataColumns.LastUpdatedSequenceNumber.Name);
        return new(_table, _snapshot, _explicitSnapshot, _filter, columns, _threads);
    }

    /// <summary>
    /// How many threads decode files and row groups at once: the value given to <see cref="WithThreads"/>, else
    /// <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public int Threads => _threads > 0 ? _threads : Environment.ProcessorCount;

    /// <summary>
    /// Whether <see cref="ReadBatches"/> decodes a filter's columns first and the others only for surviving rows
    /// (default true); tests and benchmarks turn it off to compare with the whole-row-group path.
    /// </summary>
    internal bool LateMaterialisation { get; set; } = true;

    /// <summary>
    /// Whether <see cref="CountRows"/> evaluates a one-column filter once per dictionary entry of a dictionary-encoded
    /// column instead of decoding its values (default true); benchmarks turn it off to compare.
    /// </summary>
    internal bool DictionaryCounts { get; set; } = true;

    /// <summary>Decodes on <paramref name="threads"/> threads (1 reads serially); batches keep their order either way.</summary>
    public TableScan WithThreads(int threads)
    {
        if (threads < 1) throw Errors.InvalidArgument($"thread count must be at least 1, got {threads}");
        return new(_table, _snapshot, _explicitSnapshot, _filter, _columns, threads);
    }

    /// <summary>Plans the files to read.</summary>
    public (IReadOnlyList<FileScanTask> Tasks, ScanMetrics Metrics) PlanFiles()
    {
        if (_snapshot is null) return (Array.Empty<FileScanTask>(), new ScanMetrics());
        var metadata = _table.Metadata;
        var schema = TableSchema;
        var io = _table.Io;
        var manifests = ManifestListReader.Read(io, _snapshot.ManifestList);
        var skippedManifests = 0;
        var totalFiles = 0;
        var skippedFiles = 0;
        var dataFiles = new List<(DataFile File, long Sequence)>();
        var deletes = new DeleteFileIndex();
        var manifestEvaluators = new Dictionary<int, ManifestEvaluator>();
        var partitionEvaluators = new Dictionary<int, PartitionEvaluator>();
        var metricsEvaluator = new InclusiveMetricsEvaluator(_filter);

        foreach (var manifest in manifests)
        {
            var spec = metadata.SpecOf(manifest, _snapshot.ManifestList);
            if (!manifestEvaluators.TryGetValue(spec.SpecId, out var manifestEvaluator))
            {
                manifestEvaluator = new ManifestEvaluator(_filter, spec, schema);
                manifestEvaluators[spec.SpecId] = manifestEvaluator;
                partitionEvaluators[spec.SpecId] = new PartitionEvaluator(_filter, spec, schema);
            }
            // A data manifest whose files were all deleted (what an overwrite leaves behind) has nothing to plan;
            // Java skips it the same way.
            if (manifest.Content == ManifestContent.Data && manifest.AddedFilesCount == 0 && manifest.ExistingFilesCount == 0)
            {
                skippedManifests++;
                continue;
            }
            if (manifest.Partitions is not null && !manifestEvaluator.MayMatch(manifest.Partitions))
            {
                skippedManifests++;
                continue;
            }
            var partitionEvaluator = partitionEvaluators[spec.SpecId];
            foreach (var entry in ManifestReader.Read(io, manifest, metadata.SpecById, schema))
            {
                if (entry.Status == ManifestEntryStatus.Deleted) continue;
                var file = entry.DataFile;
                var sequence = entry.SequenceNumber ?? 0;
                if (file.Content == FileContent.Data)
                {
                    totalFiles++;
                    if (!partitionEvaluator.MayMatch(file.Partition) || !metricsEvaluator.MayMatch(file))
                    {
                        skippedFiles++;
                        continue;
                    }
                    dataFiles.Add((file, sequence));
                }
                else if (partitionEvaluator.MayMatch(file.Partition))
                {
                    deletes.Add(file, sequence);
                }
            }
        }

        var tasks = new List<FileScanTask>(dataFiles.Count);
        var usedDeletes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, sequence) in dataFiles)
        {
            var applicable = deletes.For(file, sequence);
            foreach (var d in applicable) usedDeletes.Add(d.FilePath);
            tasks.Add(new FileScanTask(file, sequence, applicable));
        }
        return (tasks, new ScanMetrics
        {
            TotalManifests = manifests.Count,
            SkippedManifests = skippedManifests,
            TotalDataFiles = totalFiles,
            SkippedDataFiles = skippedFiles,
            DeleteFiles = usedDeletes.Count,
        });
    }
}
