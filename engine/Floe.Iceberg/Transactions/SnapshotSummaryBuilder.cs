using System.Globalization;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Accumulates the spec's snapshot summary metrics (added-data-files, deleted-records, total-records, ...)
/// for one commit, deriving totals from the parent snapshot's summary.
/// </summary>
internal sealed class SnapshotSummaryBuilder
{
    private long _addedDataFiles, _addedDeleteFiles, _addedRecords, _addedFilesSize, _addedPositionDeletes, _addedEqualityDeletes;
    private long _deletedDataFiles, _removedDeleteFiles, _deletedRecords, _removedFilesSize, _removedPositionDeletes, _removedEqualityDeletes;
    private long _addedDvs, _removedDvs, _addedPositionDeleteFiles, _removedPositionDeleteFiles;
    private readonly HashSet<PartitionData> _changedPartitions = new();

    /// <summary>A v3 deletion vector is a blob in a Puffin file, counted apart from position delete files (as Java does).</summary>
    private static bool IsDeletionVector(DataFile file) => string.Equals(file.FileFormat, "PUFFIN", StringComparison.OrdinalIgnoreCase);

    public void Added(DataFile file)
    {
        _changedPartitions.Add(file.Partition);
        _addedFilesSize += file.FileSizeInBytes;
        switch (file.Content)
        {
            case FileContent.Data:
                _addedDataFiles++;
                _addedRecords += file.RecordCount;
                break;
            case FileContent.PositionDeletes:
                _addedDeleteFiles++;
                if (IsDeletionVector(file)) _addedDvs++;
                else _addedPositionDeleteFiles++;
                _addedPositionDeletes += file.RecordCount;
                break;
            default:
                _addedDeleteFiles++;
                _addedEqualityDeletes += file.RecordCount;
                break;
        }
    }

    public void Removed(DataFile file)
    {
        _changedPartitions.Add(file.Partition);
        _removedFilesSize += file.FileSizeInBytes;
        switch (file.Content)
        {
            case FileContent.Data:
                _deletedDataFiles++;
                _deletedRecords += file.RecordCount;
                break;
            case FileContent.PositionDeletes:
                _removedDeleteFiles++;
                if (IsDeletionVector(file)) _removedDvs++;
                else _removedPositionDeleteFiles++;
                _removedPositionDeletes += file.RecordCount;
                break;
            default:
                _removedDeleteFiles++;
                _removedEqualityDeletes += file.RecordCount;
                break;
        }
    }

    public Dictionary<string, string> Build(string operation, Snapshot? parent, IReadOnlyDictionary<string, string> extra)
    {
        var s = new Dictionary<string, string>(StringComparer.Ordinal) { ["operation"] = operation };
        Put(s, "added-data-files", _addedDataFiles);
        Put(s, "added-delete-files", _addedDeleteFiles);
        Put(s, "added-records", _addedRecords);
        Put(s, "added-files-size", _addedFilesSize);
        Put(s, "added-position-deletes", _addedPositionDeletes);
        Put(s, "added-equality-deletes", _addedEqualityDeletes);
        Put(s, "added-position-delete-files", _addedPositionDeleteFiles);
        Put(s, "added-dvs", _addedDvs);
        Put(s, "deleted-data-files", _deletedDataFiles);
        Put(s, "removed-delete-files", _removedDeleteFiles);
        Put(s, "deleted-records", _deletedRecords);
        Put(s, "removed-files-size", _removedFilesSize);
        Put(s, "removed-position-deletes", _removedPositionDeletes);
        Put(s, "removed-equality-deletes", _removedEqualityDeletes);
        Put(s, "removed-position-delete-files", _removedPositionDeleteFiles);
        Put(s, "removed-dvs", _removedDvs);
        s["changed-partition-count"] = _changedPartitions.Count.ToString(CultureInfo.InvariantCulture);
        Total(s, parent, "total-records", _addedRecords - _deletedRecords);
        Total(s, parent, "total-files-size", _addedFilesSize - _removedFilesSize);
        Total(s, parent, "total-data-files", _addedDataFiles - _deletedDataFiles);
        Total(s, parent, "total-delete-files", _addedDeleteFiles - _removedDeleteFiles);
        Total(s, parent, "total-position-deletes", _addedPositionDeletes - _removedPositionDeletes);
        Total(s, parent, "total-equality-deletes", _addedEqualityDeletes - _removedEqualityDeletes);
        foreach (var (k, v) in extra) s[k] = v;
        return s;
    }

    private static void Put(Dictionary<string, string> s, string key, long value)
    {
        if (value != 0) s[key] = value.ToString(CultureInfo.InvariantCulture);
    }

    private static void Total(Dictionary<string, string> s, Snapshot? parent, string key, long delta)
    {
        long previous = 0;
        if (parent is not null && parent.Summary.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p))
        {
            previous = p;
        }
        s[key] = (previous + delta).ToString(CultureInfo.InvariantCulture);
    }
}
