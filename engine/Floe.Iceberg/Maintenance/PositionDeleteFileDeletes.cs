using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Writing;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Maintenance;

/// <summary>Merge-on-read on a format-v2 table: one Parquet position delete file per partition touched.</summary>
internal sealed class PositionDeleteFileDeletes : MergeOnReadDeletes
{
    private readonly PositionDeleteWriter _writer;
    private IReadOnlyList<DataFile>? _files;

    public PositionDeleteFileDeletes(Table table, TableScan scan, Expression filter, bool serializable)
        : base(table, scan, filter, serializable)
    {
        _writer = new PositionDeleteWriter(table);
    }

    protected override void Mark(FileScanTask task, List<long> matched) => _writer.Delete(task.File, matched);

    protected override IReadOnlyList<DataFile> WriteDeleteFiles()
    {
        if (_files is not null) return _files;
        _files = _writer.Complete();
        DeleteFilesWritten = _files.Count;
        foreach (var f in _files) BytesWritten += f.FileSizeInBytes;
        return _files;
    }

    public override void Abort() => _writer.Abort();
}
