using System.Buffers.Binary;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Parquet.Thrift;
using Floe.Parquet.Writing;
using Floe.Core.Threading;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet;

/// <summary>
/// Writes Arrow record batches into one Parquet data file for an Iceberg table and computes the file's Iceberg
/// metrics. The file carries field ids on every schema node, Parquet logical types (timestamps as
/// TIMESTAMP(MICROS|NANOS, isAdjustedToUTC)), row-group statistics in the column's own units and the
/// <c>iceberg.schema</c> key/value entry. Values go in v1 data pages with RLE definition levels, compressed with
/// zstd level 3 by default: string, binary, int, long, float, double, date, time, timestamp and int-backed decimal
/// columns are dictionary encoded (a PLAIN dictionary page plus RLE_DICTIONARY pages) while that pays, the rest PLAIN.
/// <para>Batch columns are matched to the schema's top-level fields by position; Arrow types must be the ones
/// <see cref="Floe.Core.Arrow.ArrowSchemas.ToArrowType"/> gives. Struct, list and map fields (nested to any depth) are written
/// as groups with definition and repetition levels, lists in the three-level form and maps as key_value groups.
/// Not thread-safe: one writer belongs to one thread (it parallelizes across columns internally).</para>
/// </summary>
public sealed class ParquetDataWriter : IDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly IFileIO? _io;
    private readonly Stream _output;
    private readonly ColumnWriter[] _columns;
    private readonly PageBlocks _blocks = new();
    private readonly TopField[] _fields;
    private readonly SchemaNode[] _schemaNodes;
    private readonly ParquetWriterOptions _options;
    private readonly string _schemaJson;
    private readonly List<RowGroupInfo> _rowGroups = new();
    private long _position;
    private long _compressedSoFar;
    private long _uncompressedSoFar;
    private int _bufferedRows;
    private ParquetFileMetrics? _metrics;
    private bool _disposed;
    private readonly Action<ReadOnlySpan<byte>> _writeRaw;

    /// <summary>
    /// Creates <paramref name="location"/> through <paramref name="io"/> and starts a Parquet file for
    /// <paramref name="schema"/>; <paramref name="icebergSchemaJson"/> is stored under the footer key <c>iceberg.schema</c>.
    /// </summary>
    /// <exception cref="FloeException">Unsupported when a field's type cannot be written.</exception>
    public ParquetDataWriter(IFileIO io, string location, Schema schema, string icebergSchemaJson, ParquetWriterOptions? options = null)
        : this(Open(io, location), location, schema, icebergSchemaJson, options)
    {
        _io = io;
    }

    /// <summary>Writes to a caller-owned, writable stream (disposed by this writer); <paramref name="location"/> names it in errors.</summary>
    public ParquetDataWriter(Stream output, string location, Schema schema, string icebergSchemaJson, ParquetWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        _writeRaw = WriteRaw;
        Location = location;
        Schema = schema;
        _output = output;
        _schemaJson = icebergSchemaJson ?? throw new ArgumentNullException(nameof(icebergSchemaJson));
        _options = options ?? new ParquetWriterOptions();
        if (_options.KeyValueMetadata is { } extra)
        {
            foreach (var kv in extra)
            {
                if (kv.Key == "iceberg.schema") throw Errors.InvalidArgument($"{location}: footer key 'iceberg.schema' is reserved");
            }
        }
        try
        {
            var columns = new List<ColumnWriter>(schema.Fields.Count);
            _columns = System.Array.Empty<ColumnWriter>();
            _fields = new TopField[schema.Fields.Count];
            _schemaNodes = new SchemaNode[schema.Fields.Count];
            for (var i = 0; i < _fields.Length; i++)
            {
                var field = schema.Fields[i];
                if (field.Type is PrimitiveType)
                {
                    var descriptor = ColumnDescriptor.For(field);
                    _schemaNodes[i] = new SchemaNode(field.Name, field.Id, field.Required ? SchemaNode.Required : SchemaNode.Optional, SchemaNode.GroupNone, descriptor);
                    _fields[i] = new TopField(columns.Count, 1, null);
                    columns.Add(new ColumnWriter(descriptor, _options, location, _blocks));
                    continue;
                }
                var shredder = new LevelShredder(field, location);
                _schemaNodes[i] = shredder.Schema;
                var first = columns.Count;
                foreach (var leaf in shredder.Leaves) columns.Add(new ColumnWriter(leaf, _options, location, _blocks));
                _fields[i] = new TopField(first, columns.Count - first, shredder);
            }
            _columns = columns.ToArray();
            WriteRaw(Magic);
        }
        catch
        {
            DisposeColumns();
            _output.Dispose();
            throw;
        }
    }

    /// <summary>The file location.</summary>
    public string Location { get; }

    /// <summary>The Iceberg schema written.</summary>
    public Schema Schema { get; }

    /// <summary>Rows written so far.</summary>
    public long RecordCount { get; private set; }

    /// <summary>
    /// Estimated final size: bytes already written, the row group's compressed pages, and its raw page rows scaled
    /// by the compression ratio seen so far (used to roll files at <c>write.target-file-size-bytes</c>).
    /// </summary>
    public long EstimatedFileSize
    {
        get
        {
            long raw = 0, encoded = 0, encodedRaw = 0;
            foreach (var c in _columns)
            {
                raw += c.RawBytes;
                encoded += c.EncodedBytes;
                encodedRaw += c.BufferedBytes - c.RawBytes;
            }
            // Before any page is compressed the ratio is unknown; assuming none keeps files from overshooting.
            var ratio = _uncompressedSoFar > 0 ? (double)_compressedSoFar / _uncompressedSoFar
                : encodedRaw > 0 ? (double)encoded / encodedRaw : 1.0;
            return _position + encoded + (long)(raw * ratio);
        }
    }

    /// <summary>Appends all rows of <paramref name="batch"/>.</summary>
    /// <exception cref="FloeException">InvalidArgument naming the column when the batch does not match the schema.</exception>
    public void Write(RecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Write(batch, 0, batch.Length);
    }

    /// <summary>Appends rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of <paramref name="batch"/>.</summary>
    /// <exception cref="FloeException">InvalidArgument naming the column when the batch does not match the schema.</exception>
    public void Write(RecordBatch batch, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, batch.Length);
        ThrowIfClosed();
        if (batch.ColumnCount != _fields.Length)
        {
            throw Errors.InvalidArgument($"{Location}: batch has {batch.ColumnCount} columns, schema has {_fields.Length}");
        }
        for (var c = 0; c < _fields.Length; c++)
        {
            // A nested field's shape is checked here; its required values only as they are shredded.
            var f = _fields[c];
            if (f.Shredder is null) _columns[f.FirstColumn].Validate(batch.Column(c));
            else f.Shredder.Validate(batch.Column(c), _columns.AsSpan(f.FirstColumn, f.ColumnCount));
        }
        var offset = start;
        var end = start + length;
        while (offset < end)
        {
            var take = Math.Min(end - offset, _options.RowGroupRows - _bufferedRows);
            // Cap by bytes too, at the average row size so far (8 bytes a column before any row): appending a large
            // batch whole would buffer far past RowGroupBytes before the check below could flush.
            long buffered = BufferedBytes();
            long rowBytes = Math.Max(1, _bufferedRows > 0 ? buffered / _bufferedRows : 8L * _columns.Length);
            take = (int)Math.Min(take, Math.Max(4096, (_options.RowGroupBytes - buffered) / rowBytes));
            AppendColumns(batch, offset, take);
            offset += take;
            _bufferedRows += take;
            RecordCount += take;
            if (_bufferedRows >= _options.RowGroupRows || BufferedBytes() >= _options.RowGroupBytes)
            {
                FlushRowGroup();
            }
        }
    }

    /// <summary>Finishes the file (footer, close) and returns its metrics. Idempotent.</summary>
    public ParquetFileMetrics Close()
    {
        if (_metrics is not null) return _metrics;
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            if (_bufferedRows > 0) FlushRowGroup();
            WriteFooter();
            _output.Flush();
            _output.Dispose();
        }
        catch (IOException e)
        {
            throw Errors.Io(Location, e);
        }
        _metrics = BuildMetrics();
        DisposeColumns();
        _disposed = true;
        return _metrics;
    }

    /// <summary>Closes without finishing when <see cref="Close"/> was not called, deleting the partial file when it was created through an <see cref="IFileIO"/>.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DisposeColumns();
        _output.Dispose();
        if (_metrics is null) _io?.Delete(Location);
    }

    private static Stream Open(IFileIO io, string location)
    {
        ArgumentNullException.ThrowIfNull(io);
        return io.Create(location);
    }

    private void ThrowIfClosed()
    {
        if (_metrics is not null || _disposed) throw new InvalidOperationException($"{Location}: writer is closed");
    }

    private long BufferedBytes()
    {
        long total = 0;
        foreach (var c in _columns) total += c.BufferedBytes;
        return total;
    }

    /// <summary>Uncompressed bytes of the row group not yet written (its encoded pages' raw sizes, the raw rows and dictionaries of every column).</summary>
    public long BufferedRowGroupBytes => _metrics is not null || _disposed ? 0 : BufferedBytes();

    /// <summary>
    /// Memory the open file holds for its columns, used or not (raw page buffers, compressed pages, dictionaries and
    /// their hash tables): what a caller that keeps many files open counts against its memory budget. Zero once closed.
    /// </summary>
    public long RetainedBytes
    {
        get
        {
            if (_metrics is not null || _disposed) return 0;
            long total = _blocks.Bytes;
            foreach (var c in _columns) total += c.RetainedBytes;
            return total;
        }
    }

    /// <summary>
    /// Bytes of rows not yet encoded into pages (each column buffers the page it is filling raw): what
    /// <see cref="EncodeBufferedPages"/> would compress. Zero once closed.
    /// </summary>
    public long UnencodedBytes
    {
        get
        {
            if (_metrics is not null || _disposed) return 0;
            long total = 0;
            foreach (var c in _columns) total += c.RawBytes;
            return total;
        }
    }

    /// <summary>Rows held for the row group not yet written.</summary>
    public int BufferedRows => _bufferedRows;

    /// <summary>
    /// Writes the buffered rows as a row group now (no-op when none are buffered), releasing their memory; callers
    /// that keep many files open use it to bound memory.
    /// </summary>
    public void FlushRowGroupNow()
    {
        ThrowIfClosed();
        if (_bufferedRows > 0) FlushRowGroup(release: true);
    }

    /// <summary>
    /// Encodes and compresses the rows each column still holds raw into (smaller) data pages of the open row group,
    /// and gives the raw buffers back: the rows then take their compressed size in memory while the row group stays
    /// open. Callers that keep many files open use it before <see cref="FlushRowGroupNow"/>, which cuts row groups.
    /// </summary>
    public void EncodeBufferedPages()
    {
        ThrowIfClosed();
        foreach (var c in _columns) c.SealPages(release: true);
    }

    private void AppendColumns(RecordBatch batch, int offset, int count)
    {
        // Small batches stay on the caller's thread: spreading them costs more than the copy.
        if (count >= 16384 && _fields.Length > 1 && _options.MaxParallelism != 1)
        {
            SharedWork.For(_fields.Length, ColumnWorkers, c => AppendField(batch, c, offset, count));
        }
        else
        {
            for (var c = 0; c < _fields.Length; c++) AppendField(batch, c, offset, count);
        }
    }

    // The column loops run on SharedWork: the caller takes every column no helper has started, rather than waiting for
    // a helper queued behind other work (a feature job's kernels beside its writer: bench/RESULTS.md, branch polars1m).
    private int ColumnWorkers => _options.MaxParallelism > 0 ? _options.MaxParallelism : Environment.ProcessorCount;

    private void AppendField(RecordBatch batch, int field, int offset, int count)
    {
        var f = _fields[field];
        if (f.Shredder is null) _columns[f.FirstColumn].Append(batch.Column(field), offset, count);
        else f.Shredder.Append(batch.Column(field), offset, count, _columns.AsSpan(f.FirstColumn, f.ColumnCount));
    }

    private void FlushRowGroup(bool release = false)
    {
        var start = _position;
        var offsets = new long[_columns.Length];
        var chunks = new ChunkInfo[_columns.Length];
        try
        {
            if (_columns.Length > 1 && _options.MaxParallelism != 1)
            {
                // Each chunk goes into the file once it and the chunks before it are encoded, by whichever column
                // thread gets there: the write (page-cache copies, on one thread) runs beside the other columns'
                // compression instead of alone after the last (bench/RESULTS.md, branch write28).
                var writes = new InOrderWrites(_columns.Length, c => WriteColumnChunk(c, offsets, chunks, release));
                SharedWork.For(_columns.Length, ColumnWorkers, c =>
                {
                    _columns[c].EncodeChunk();
                    writes.Ready(c);
                });
            }
            else
            {
                foreach (var c in _columns) c.EncodeChunk();
                for (var c = 0; c < _columns.Length; c++) WriteColumnChunk(c, offsets, chunks, release);
            }
        }
        catch (IOException e)
        {
            throw Errors.Io(Location, e);
        }
        long uncompressed = 0, compressed = 0;
        foreach (var chunk in chunks)
        {
            uncompressed += chunk.UncompressedSize;
            compressed += chunk.CompressedSize;
        }
        // A caller bounding memory gets the blocks back now; otherwise the next row group reuses them.
        if (release) _blocks.Release();
        _rowGroups.Add(new RowGroupInfo(start, _bufferedRows, uncompressed, compressed, offsets, chunks));
        _uncompressedSoFar += uncompressed;
        _compressedSoFar += compressed;
        _bufferedRows = 0;
    }

    /// <summary>Writes column <paramref name="c"/>'s encoded chunk at the file's end and forgets its row group.</summary>
    private void WriteColumnChunk(int c, long[] offsets, ChunkInfo[] chunks, bool release)
    {
        offsets[c] = _position;
        chunks[c] = _columns[c].LastChunk;
        _columns[c].WriteChunk(_writeRaw);
        _columns[c].ResetRowGroup(release);
    }

    private void WriteFooter()
    {
        var w = new ThriftCompactWriter(4096);
        var descriptors = new ColumnDescriptor[_columns.Length];
        for (var i = 0; i < descriptors.Length; i++) descriptors[i] = _columns[i].Descriptor;
        var keyValues = new List<KeyValuePair<string, string>> { new("iceberg.schema", _schemaJson) };
        if (_options.KeyValueMetadata is { } extra) keyValues.AddRange(extra);
        var codec = new PageCompressor(_options.Codec, _options.ZstdLevel).ThriftCodec;
        var pageIndex = PageIndexWriter.Write(_rowGroups, descriptors, _position, WriteRaw);
        FooterWriter.Write(w, _schemaNodes, descriptors, _rowGroups, pageIndex, RecordCount, keyValues, "Floe version 0.1.0", codec);
        WriteRaw(w.WrittenSpan);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(trailer, w.Length);
        Magic.CopyTo(trailer[4..]);
        WriteRaw(trailer);
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        _position += bytes.Length;
    }

    private ParquetFileMetrics BuildMetrics()
    {
        var sizes = new Dictionary<int, long>();
        var values = new Dictionary<int, long>();
        var nulls = new Dictionary<int, long>();
        var nans = new Dictionary<int, long>();
        var lower = new Dictionary<int, object>();
        var upper = new Dictionary<int, object>();
        foreach (var c in _columns)
        {
            var id = c.Descriptor.Field.Id;
            sizes[id] = c.FileCompressedBytes;
            values[id] = c.FileValueCount;
            nulls[id] = c.FileNullCount;
            if (c.Descriptor.Kind is ColumnKind.Float or ColumnKind.Double) nans[id] = c.FileNanCount;
            // As Iceberg Java: no bounds for leaves inside a list or map, whose values are not one per row.
            if (c.Descriptor.MaxRepetition == 0 && c.TryGetBounds(_options.BoundsTruncateLength, out var lo, out var hi))
            {
                if (lo is not null) lower[id] = lo;
                if (hi is not null) upper[id] = hi;
            }
        }
        var splits = new long[_rowGroups.Count];
        for (var i = 0; i < splits.Length; i++) splits[i] = _rowGroups[i].FileOffset;
        return new ParquetFileMetrics(RecordCount, _position, sizes, values, nulls, nans, lower, upper, splits);
    }

    /// <summary>A top-level field: one flat column, or a nested field's leaf columns fed by its shredder.</summary>
    private sealed record TopField(int FirstColumn, int ColumnCount, LevelShredder? Shredder);

    private void DisposeColumns()
    {
        if (_columns is not null)
        {
            foreach (var c in _columns) c?.Dispose();
        }
        _blocks.Release();
    }
}
