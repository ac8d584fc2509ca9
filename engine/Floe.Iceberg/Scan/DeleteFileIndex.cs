using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Scan;

/// <summary>
/// Matches delete files to data files by the spec's rules: a position delete applies to data files with a data
/// sequence number ≤ its own, an equality delete to those strictly below its own; both only within the same
/// partition unless the delete file's spec is unpartitioned (global deletes).
/// </summary>
internal sealed class DeleteFileIndex
{
    private readonly List<(DataFile File, long Sequence)> _global = new();
    private readonly Dictionary<(int SpecId, PartitionData Partition), List<(DataFile File, long Sequence)>> _byPartition = new();

    public void Add(DataFile file, long sequence)
    {
        if (file.Partition.Count == 0)
        {
            _global.Add((file, sequence));
            return;
        }
        var key = (file.SpecId, file.Partition);
        if (!_byPartition.TryGetValue(key, out var list))
        {
            list = new List<(DataFile, long)>();
            _byPartition[key] = list;
        }
        list.Add((file, sequence));
    }

    public IReadOnlyList<DataFile> For(DataFile data, long dataSequence)
    {
        List<DataFile>? result = null;
        Collect(_global, data, dataSequence, ref result);
        if (_byPartition.TryGetValue((data.SpecId, data.Partition), out var list)) Collect(list, data, dataSequence, ref result);
        return result ?? (IReadOnlyList<DataFile>)Array.Empty<DataFile>();
    }

    private static void Collect(List<(DataFile File, long Sequence)> candidates, DataFile data, long dataSequence, ref List<DataFile>? result)
    {
        foreach (var (file, sequence) in candidates)
        {
            var applies = file.Content == FileContent.PositionDeletes
                ? dataSequence <= sequence && (file.ReferencedDataFile is null || file.ReferencedDataFile == data.FilePath)
                : dataSequence < sequence;
            if (applies) (result ??= new List<DataFile>()).Add(file);
        }
    }
}
