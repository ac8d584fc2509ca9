using System.Globalization;
using Floe.Core.Errors;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transactions;
using Floe.Iceberg.Writing;
using Floe.Parquet;

namespace Floe.Iceberg.Maintenance;

/// <summary>
/// Compaction (Iceberg's rewrite_data_files, bin-pack): in each partition the filter may select, the live data
/// files smaller than the minimum size are read (deletes applied) and rewritten into files of the target size, and
/// one <c>replace</c> snapshot swaps them, changing no row. The filter only chooses files: the files chosen are read
/// whole, never row-filtered, so a filter on a source column of a coarser partition transform cannot drop rows.
/// A partition is rewritten only when it has at least <see cref="MinInputFiles"/> small files (or one with deletes).
/// Deletes are applied: the new files omit deleted rows, and the position delete files and deletion vectors left with
/// nothing to apply to are removed in the same snapshot.
/// </summary>
public sealed class RewriteDataFiles
{
    private readonly Table _table;
    private Expression _filter = AlwaysTrue.Instance;
    private long? _targetFileSize;
    private long? _minFileSize;
    private int _minInputFiles = 2;

    /// <summary>Prepares a compaction of <paramref name="table"/>'s main branch.</summary>
    public RewriteDataFiles(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
    }

    /// <summary>Restricts the rewrite to files that may hold rows matching <paramref name="filter"/> (normally on partition columns).</summary>
    public RewriteDataFiles Filter(Expression filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        _filter = Expression.And(_filter, filter);
        return this;
    }

    /// <summary>Size of the files written (default <c>write.target-file-size-bytes</c>, else 512 MiB).</summary>
    public RewriteDataFiles TargetFileSizeBytes(long bytes)
    {
        if (bytes <= 0) throw Errors.InvalidArgument($"target file size must be positive, got {bytes}");
        _targetFileSize = bytes;
        return this;
    }

    /// <summary>Files smaller than this are compacted (default 75% of the target size, as Java).</summary>
    public RewriteDataFiles MinFileSizeBytes(long bytes)
    {
        if (bytes <= 0) throw Errors.InvalidArgument($"minimum file size must be positive, got {bytes}");
        _minFileSize = bytes;
        return this;
    }

    /// <summary>How many small files a partition needs before it is rewritten (default 2).</summary>
    public RewriteDataFiles MinInputFiles(int count)
    {
        if (count < 1) throw Errors.InvalidArgument($"min input files must be at least 1, got {count}");
        _minInputFiles = count;
        return this;
    }

    /// <summary>Rewrites and commits; returns what changed.</summary>
    public RewriteDataFilesResult Execute()
    {
        var metadata = _table.Refresh().Metadata;
        if (metadata.CurrentSnapshot is null) return new RewriteDataFilesResult(null, 0, 0, 0, 0, 0, 0);
        var target = _targetFileSize ??
                     (metadata.Properties.TryGetValue("write.target-file-size-bytes", out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) && t > 0
                         ? t
                         : 512L * 1024 * 1024);
        var minSize = _minFileSize ?? target * 3 / 4;

        var (tasks, _) = new TableScan(_table).Filter(_filter).PlanFiles();
        var groups = new List<List<FileScanTask>>();
        foreach (var group in tasks.GroupBy(task => (task.File.SpecId, task.File.Partition)))
        {
            var small = group.Where(task => task.File.FileSizeInBytes < minSize || task.Deletes.Count > 0).ToList();
            if (small.Count >= _minInputFiles || small.Any(task => task.Deletes.Count > 0)) groups.Add(small);
        }
        if (groups.Count == 0) return new RewriteDataFilesResult(null, 0, 0, 0, 0, 0, 0);

        // The writer sizes files by the table property; a view of the table with the target in its properties
        // gives it this rewrite's target without a second sizing rule.
        var props = new Dictionary<string, string>(metadata.Properties, StringComparer.Ordinal)
        {
            ["write.target-file-size-bytes"] = target.ToString(CultureInfo.InvariantCulture),
        };
        var writeTable = new Table(_table.Operations, metadata with { Properties = props }, _table.MetadataLocation);
        // No filter on the read: chosen files are copied whole. In v3 rows keep their row ids and last-updated
        // sequence numbers: compaction moves rows without changing them (spec "Row Lineage").
        var lineage = metadata.FormatVersion >= 3;
        var reader = lineage ? new TableScan(_table).SelectWithRowLineage() : new TableScan(_table);
        var added = new List<DataFile>();
        long rows = 0;
        try
        {
            foreach (var group in groups)
            {
                using var writer = new PartitionedWriter(writeTable, lineage);
                try
                {
                    foreach (var batch in reader.ReadBatches(group)) writer.Write(batch);
                    added.AddRange(writer.Complete());
                    rows += writer.RowsWritten;
                }
                catch
                {
                    writer.Abort();
                    throw;
                }
            }

            var rewrite = new RewriteFiles(_table);
            foreach (var task in groups.SelectMany(g => g)) rewrite.DeleteFile(task.File);
            foreach (var file in added) rewrite.AddFile(file);
            var rewritten = groups.SelectMany(g => g).ToList();
            var obsolete = ObsoleteDeletes(rewritten);
            foreach (var delete in obsolete) rewrite.RemoveDeletes(delete);
            var snapshot = rewrite.Commit();
            return new RewriteDataFilesResult(snapshot.SnapshotId, groups.Count, rewritten.Count, added.Count,
                rewritten.Sum(task => task.File.FileSizeInBytes), added.Sum(f => f.FileSizeInBytes), rows, obsolete.Count);
        }
        catch
        {
            foreach (var file in added) _table.Io.Delete(file.FilePath);
            throw;
        }
    }

    /// <summary>
    /// The position delete files and deletion vectors the rewrite makes obsolete: those whose every live data file is
    /// being rewritten (the new files hold none of the deleted rows, and by sequence number no older delete applies to
    /// them). A deletion vector or single-file delete names its file; a partition's position delete file is read for the
    /// paths it names. Equality deletes may match rows of files outside the rewrite and stay.
    /// </summary>
    private List<DataFile> ObsoleteDeletes(IReadOnlyList<FileScanTask> rewritten)
    {
        var rewrittenPaths = rewritten.Select(t => t.File.FilePath).ToHashSet(StringComparer.Ordinal);
        var result = new List<DataFile>();
        var seen = new HashSet<(string, long?)>();
        HashSet<string>? live = null;
        foreach (var task in rewritten)
        {
            foreach (var delete in task.Deletes)
            {
                if (delete.Content != FileContent.PositionDeletes || !seen.Add((delete.FilePath, delete.ContentOffset))) continue;
                if (delete.ReferencedDataFile is { } referenced)
                {
                    if (rewrittenPaths.Contains(referenced)) result.Add(delete);
                    continue;
                }
                live ??= new TableScan(_table).PlanFiles().Tasks.Select(t => t.File.FilePath).ToHashSet(StringComparer.Ordinal);
                var named = PositionDeleteReader.Read(_table.Io, delete.FilePath).Keys;
                if (named.All(path => rewrittenPaths.Contains(path) || !live.Contains(path))) result.Add(delete);
            }
        }
        return result;
    }
}
