using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Core.Errors;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Schema = Floe.Core.Types.Schema;
using Floe.Iceberg.Transforms;
using Floe.Iceberg.Tables;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Writing;

/// <summary>
/// Writes Arrow batches of the table schema into Parquet data files under the table's default spec: rows are
/// routed to one open file per partition (hidden partitioning: the partition values are computed, never supplied),
/// and a file rolls over once it reaches <c>write.target-file-size-bytes</c>. Nothing is committed here: the
/// returned <see cref="DataFile"/>s go to an append or overwrite. <see cref="Abort"/> deletes what was written.
/// </summary>
public sealed class PartitionedWriter : IDisposable
{
    private readonly Table _table;
    private readonly Schema _schema;
    private readonly PartitionSpec _spec;
    private readonly PartitionKeyer _keyer;
    private readonly ParquetWriterOptions _options;
    private readonly string _schemaJson;
    private readonly long _targetFileSize;
    private readonly long _bufferBudget;
    private readonly Dictionary<int, (ParquetDataWriter Writer, string Location)> _open = new();
    private readonly List<DataFile> _completed = new();
    private readonly List<string> _written = new();
    private readonly string _writeId = Guid.NewGuid().ToString("N")[..12];
    private int _fileCounter;
    private int[] _ordinals = System.Array.Empty<int>();
    private int[] _permutation = System.Array.Empty<int>();
    private readonly TakeBuffers _takeBuffers = new();

    /// <summary>Creates a writer for the table's current schema and default spec.</summary>
    public PartitionedWriter(Table table)
        : this(table, withRowLineage: false)
    {
    }

    /// <summary>
    /// Creates a writer for the table's current schema and default spec. With <paramref name="withRowLineage"/>
    /// batches carry two more columns after the table's, <c>_row_id</c> and <c>_last_updated_sequence_number</c>
    /// (as a scan selecting them returns them), and the files keep them under their reserved field ids: rows a
    /// rewrite moves keep their row ids (spec "Row Lineage").
    /// </summary>
    public PartitionedWriter(Table table, bool withRowLineage)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        var tableSchema = table.Metadata.CurrentSchema;
        _schema = withRowLineage
            ? new Schema(tableSchema.SchemaId, [.. tableSchema.Fields, MetadataColumns.RowId, MetadataColumns.LastUpdatedSequenceNumber])
            : tableSchema;
        _spec = table.Metadata.DefaultSpec;
        _keyer = new PartitionKeyer(_spec, tableSchema);
        _options = ParquetWriterOptions.FromTableProperties(table.Metadata.Properties);
        _schemaJson = SchemaParser.ToJson(_schema);
        _targetFileSize = table.Metadata.Properties.TryGetValue("write.target-file-size-bytes", out var s) && long.TryParse(s, out var t) && t > 0
            ? t
            : 512L * 1024 * 1024;
        _bufferBudget = table.Metadata.Properties.TryGetValue(BufferBudgetProperty, out var b) && long.TryParse(b, out var budget) && budget > 0
            ? budget
            : DefaultBufferBudget;
    }

    /// <summary>Table property bounding the bytes buffered across all open files (default <see cref="DefaultBufferBudget"/>).</summary>
    public const string BufferBudgetProperty = "write.floe.buffer-budget-bytes";

    /// <summary>
    /// Default budget of memory held by the open files of one write for their buffered rows (16 MiB): with pages
    /// compressed as they fill, it keeps the 10M-event bench's 30 day files in 31 row groups (bench/RESULTS.md).
    /// </summary>
    public const long DefaultBufferBudget = 16L << 20;

    /// <summary>
    /// Memory the open files hold for their buffered rows (buffer capacities and dictionary tables): after each
    /// <see cref="Write"/> it is at most the table's <see cref="BufferBudgetProperty"/>.
    /// </summary>
    public long RetainedBytes
    {
        get
        {
            long total = 0;
            foreach (var (writer, _) in _open.Values) total += writer.RetainedBytes;
            return total;
        }
    }

    /// <summary>Rows written so far.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>Writes one batch (columns in table-schema order, then the row lineage columns when the writer keeps them).</summary>
    public void Write(RecordBatch batch)
    {
        if (batch.ColumnCount != _schema.Fields.Count)
        {
            throw Errors.InvalidData($"batch has {batch.ColumnCount} columns but the files of table '{_table.Identifier}' have {_schema.Fields.Count}");
        }
        if (batch.Length == 0) return;
        if (_ordinals.Length < batch.Length) _ordinals = new int[batch.Length];
        var ordinals = _ordinals.AsSpan(0, batch.Length);
        _keyer.Assign(batch, ordinals);

        // Counting sort of row indices by partition ordinal, then one gather per column; each partition's rows
        // are a contiguous slice of the gathered batch.
        var partitions = _keyer.Partitions.Count;
        var counts = new int[partitions + 1];
        var single = true;
        for (var i = 0; i < ordinals.Length; i++)
        {
            counts[ordinals[i] + 1]++;
            single &= ordinals[i] == ordinals[0];
        }
        if (single)
        {
            WriteSlice(ordinals[0], batch, 0, batch.Length);
            RowsWritten += batch.Length;
            EnforceBufferBudget();
            return;
        }
        for (var p = 0; p < partitions; p++) counts[p + 1] += counts[p];
        var starts = (int[])counts.Clone();
        if (_permutation.Length < ordinals.Length) _permutation = new int[ordinals.Length];
        var permutation = _permutation.AsSpan(0, ordinals.Length);
        for (var i = 0; i < ordinals.Length; i++) permutation[counts[ordinals[i]]++] = i;
        // The gathered batch is copied into the files' column buffers before the next one is taken, so the take
        // reuses one set of buffers instead of allocating a batch's worth of arrays per batch.
        var sorted = ArrowTake.Take(batch, permutation, _takeBuffers);
        for (var p = 0; p < partitions; p++)
        {
            var length = starts[p + 1] - starts[p];
            if (length > 0) WriteSlice(p, sorted, starts[p], length);
        }
        RowsWritten += batch.Length;
        EnforceBufferBudget();
    }

    /// <summary>
    /// Every open file buffers a row group until it fills; with many partitions open that is most of the input.
    /// Once the open files together hold more than the budget, the rows they still hold raw (the page each column
    /// is filling) are encoded into compressed pages, largest first, which keeps their row groups open at a fraction
    /// of the memory; when compressed pages alone pass the budget, the largest files are written out as row groups
    /// and their buffers released (largest first, so row groups stay as big as the budget allows). The budget counts
    /// what the files hold in memory (buffer capacities, compressed pages, dictionary tables), not only the bytes in
    /// use, so it bounds the process's memory and not half of it.
    /// </summary>
    private void EnforceBufferBudget()
    {
        if (_open.Count == 0) return;
        var total = RetainedBytes;
        while (total > _bufferBudget)
        {
            ParquetDataWriter? rawest = null, largest = null;
            long rawestBytes = 0, largestBytes = 0;
            foreach (var (writer, _) in _open.Values)
            {
                if (writer.BufferedRows == 0) continue;
                var raw = writer.UnencodedBytes;
                if (raw > rawestBytes)
                {
                    rawest = writer;
                    rawestBytes = raw;
                }
                var bytes = writer.RetainedBytes;
                if (bytes > largestBytes)
                {
                    largest = writer;
                    largestBytes = bytes;
                }
            }
            if (largest is null) return;
            // Each pass either encodes a file's raw rows (it has none left after) or writes a row group, so this ends.
            var target = rawest ?? largest;
            var before = target.RetainedBytes;
            if (rawest is not null) rawest.EncodeBufferedPages();
            else largest.FlushRowGroupNow();
            total -= before - target.RetainedBytes;
        }
    }

    /// <summary>Closes every open file and returns the data files written.</summary>
    public IReadOnlyList<DataFile> Complete()
    {
        // Closing a file encodes and compresses its buffered row group, usually most of the write's work: files
        // close in parallel (each writer stays on one thread) and their data files are listed in partition order.
        var ordinals = _open.Keys.Order().ToArray();
        var metrics = new ParquetFileMetrics[ordinals.Length];
        try
        {
            Parallel.For(0, ordinals.Length, i => metrics[i] = _open[ordinals[i]].Writer.Close());
        }
        catch (AggregateException e)
        {
            // Surface the first file's own error (a FloeException naming it), as a sequential close would.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        for (var i = 0; i < ordinals.Length; i++)
        {
            var (_, location) = _open[ordinals[i]];
            _completed.Add(metrics[i].ToDataFile(location, _schema, _keyer.Partitions[ordinals[i]], _spec.SpecId));
        }
        _open.Clear();
        return _completed;
    }

    /// <summary>Deletes every file this writer created (for a failed write).</summary>
    public void Abort()
    {
        foreach (var (writer, _) in _open.Values)
        {
            try { writer.Dispose(); } catch (IOException) { }
        }
        _open.Clear();
        foreach (var location in _written) _table.Io.Delete(location);
        _completed.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (writer, _) in _open.Values) writer.Dispose();
        _open.Clear();
    }

    private void WriteSlice(int ordinal, RecordBatch batch, int start, int length)
    {
        if (!_open.TryGetValue(ordinal, out var open))
        {
            var location = NewFileLocation(_keyer.Partitions[ordinal]);
            _written.Add(location);
            open = (new ParquetDataWriter(_table.Io, location, _schema, _schemaJson, _options), location);
            _open[ordinal] = open;
        }
        open.Writer.Write(batch, start, length);
        if (open.Writer.EstimatedFileSize >= _targetFileSize) CloseFile(ordinal);
    }

    private void CloseFile(int ordinal)
    {
        var (writer, location) = _open[ordinal];
        _open.Remove(ordinal);
        var metrics = writer.Close();
        _completed.Add(metrics.ToDataFile(location, _schema, _keyer.Partitions[ordinal], _spec.SpecId));
    }

    private string NewFileLocation(PartitionData partition)
    {
        var dataDir = _table.Metadata.Properties.TryGetValue("write.data.path", out var p) ? p.TrimEnd('/') : _table.Metadata.Location.TrimEnd('/') + "/data";
        var partitionPath = _spec.Fields.Count == 0 ? "" : TransformFunctions.PartitionPath(_spec, _schema, partition) + "/";
        return $"{dataDir}/{partitionPath}{_fileCounter++:D5}-{_writeId}.parquet";
    }
}
