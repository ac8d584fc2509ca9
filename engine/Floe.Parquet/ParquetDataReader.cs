using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Arrow;
using Floe.Core.Io;
using Floe.Parquet.Reading;
using Floe.Core.Types;
using Parquet;
using Parquet.Meta;
using Parquet.Schema;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Parquet;

/// <summary>
/// Reads a Parquet data file into Arrow record batches (one per row group) projected to an Iceberg schema.
/// Columns are matched by Parquet field id (by name when the file has no ids); fields the file lacks get their
/// <c>initial-default</c> or nulls; <c>constants</c> (field id → CLR value) replace columns outright (identity
/// partition values that writers left out of the file). Types are promoted as Iceberg allows (int→long,
/// float→double, decimal precision); timestamps come back in µs (ns for the _ns types), INT96 included.
/// Not thread-safe.
/// </summary>
public sealed partial class ParquetDataReader : IDisposable
{
    private readonly Stream _stream;
    // What Parquet.Net reads: the file with Floe's canonical footer, narrowed to one chunk while it decodes that chunk.
    private readonly FooterSubstitutedStream _view;
    private readonly ParquetReader _reader;
    private readonly FileMetaData _metadata;
    private readonly FileSchemaNode _root;
    private readonly List<FileSchemaNode> _leaves;
    private readonly IReadOnlyList<DataField> _dataFields;
    private readonly IReadOnlyDictionary<int, object?> _constants;
    private readonly bool _byId;
    private readonly long[] _rowGroupStarts;
    // Large-page decompression buffers, reused by the row groups this reader decodes (a row group's columns at once).
    private readonly PageBuffers _pages = new(8);

    private ParquetDataReader(ParquetDataReader other, Schema projection)
        : this(other.Location, other._stream, other._view, other._reader, other._metadata, projection, other._constants)
    {
    }

    private ParquetDataReader(string location, Stream stream, FooterSubstitutedStream view, ParquetReader reader, FileMetaData metadata, Schema projection, IReadOnlyDictionary<int, object?>? constants)
    {
        Location = location;
        _stream = stream;
        _view = view;
        _reader = reader;
        _metadata = metadata;
        Projection = projection;
        _constants = constants ?? new Dictionary<int, object?>();
        _root = FileSchemaNode.Build(metadata.Schema, out _leaves);
        _dataFields = reader.Schema.DataFields;
        if (_dataFields.Count != _leaves.Count)
        {
            throw new InvalidDataException($"footer has {_leaves.Count} leaf columns but the page decoder sees {_dataFields.Count}");
        }
        _byId = _root.HasFieldIds();
        ArrowSchema = ArrowSchemas.ToArrow(projection);
        RecordCount = metadata.NumRows;
        _rowGroupStarts = new long[metadata.RowGroups.Count + 1];
        for (var i = 0; i < metadata.RowGroups.Count; i++)
        {
            _rowGroupStarts[i + 1] = _rowGroupStarts[i] + metadata.RowGroups[i].NumRows;
        }
        var keyValues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in metadata.KeyValueMetadata ?? new List<KeyValue>()) keyValues[kv.Key] = kv.Value ?? string.Empty;
        KeyValueMetadata = keyValues;
    }

    /// <summary>The file location.</summary>
    public string Location { get; }

    /// <summary>The schema batches are projected to.</summary>
    public Schema Projection { get; }

    /// <summary>The Arrow schema of the batches (field ids in <see cref="ArrowSchemas.FieldIdKey"/> metadata).</summary>
    public Apache.Arrow.Schema ArrowSchema { get; }

    /// <summary>Rows in the file (from the footer).</summary>
    public long RecordCount { get; }

    /// <summary>Number of row groups (= batches).</summary>
    public int RowGroupCount => _metadata.RowGroups.Count;

    /// <summary>The footer's key/value metadata (e.g. <c>iceberg.schema</c>).</summary>
    public IReadOnlyDictionary<string, string> KeyValueMetadata { get; }

    /// <summary>An Iceberg schema derived from the file's own schema (its field ids, or ids assigned in order when it has none).</summary>
    public Schema FileSchema => SchemaInference.ToIceberg(_root);

    /// <summary>True when columns are matched by field id (false: the file has no ids and names are used).</summary>
    public bool MatchesByFieldId => _byId;

    /// <summary>Opens a file to read it in its own schema (see <see cref="FileSchema"/>).</summary>
    public static ParquetDataReader Open(IFileIO io, string location)
    {
        var probe = Open(io, location, new Schema(0, System.Array.Empty<NestedField>()));
        try
        {
            return new ParquetDataReader(probe, probe.FileSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            probe.Dispose();
            throw ParquetFileCheck.Wrap(location, e);
        }
    }

    /// <summary>
    /// Opens <paramref name="location"/> and reads its footer.
    /// </summary>
    /// <param name="io">Storage.</param>
    /// <param name="location">The data file.</param>
    /// <param name="projection">The Iceberg schema (or projection) to read; batches have exactly its top-level fields.</param>
    /// <param name="constants">Field id → CLR value (engine representation) that replaces a top-level column.</param>
    /// <exception cref="FloeException">NotFound when absent; InvalidData naming the file when it is not valid Parquet.</exception>
    public static ParquetDataReader Open(IFileIO io, string location, Schema projection, IReadOnlyDictionary<int, object?>? constants = null)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(projection);
        var stream = Seekable(io.OpenRead(location));
        try
        {
            // Floe reads and checks the footer itself; Parquet.Net (still decoding some pages) only ever sees Floe's
            // canonical re-encoding of it, never the file's own footer bytes.
            var footer = ParquetFooter.Read(stream);
            var view = footer.CanonicalView(stream);
            var reader = ParquetReader.CreateAsync(view, leaveStreamOpen: true).GetAwaiter().GetResult();
            try
            {
                return new ParquetDataReader(location, stream, view, reader, footer.Metadata, projection, constants);
            }
            catch
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
        }
        catch (Exception e) when (e is not FloeException && e is not OutOfMemoryException)
        {
            stream.Dispose();
            throw ParquetFileCheck.Wrap(location, e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static Stream Seekable(Stream stream)
    {
        if (stream.CanSeek) return stream;
        using (stream)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            return copy;
        }
    }

    /// <summary>Reads one row group as a batch.</summary>
    /// <exception cref="FloeException">InvalidData naming the file and column when the data is corrupt or does not match the projection.</exception>
    public ParquetBatch ReadRowGroup(int index) => ReadRowGroupAsync(index).GetAwaiter().GetResult();

    /// <summary>Reads every row group in order.</summary>
    public IEnumerable<ParquetBatch> ReadAll()
    {
        for (var i = 0; i < RowGroupCount; i++)
        {
            yield return ReadRowGroup(i);
        }
    }

    /// <summary>Reads one row group as a batch.</summary>
    public async Task<ParquetBatch> ReadRowGroupAsync(int index, CancellationToken cancellationToken = default)
    {
        var columns = await ReadColumnsAsync(index, null, cancellationToken).ConfigureAwait(false);
        return new ParquetBatch(new RecordBatch(ArrowSchema, columns!, checked((int)_metadata.RowGroups[index].NumRows)), _rowGroupStarts[index]);
    }

    /// <summary>The file position of row group <paramref name="rowGroup"/>'s first row.</summary>
    public long RowGroupFirstRow(int rowGroup)
    {
        if ((uint)rowGroup >= (uint)RowGroupCount) throw new ArgumentOutOfRangeException(nameof(rowGroup));
        return _rowGroupStarts[rowGroup];
    }

    /// <summary>Rows in row group <paramref name="rowGroup"/>.</summary>
    public int RowGroupRows(int rowGroup)
    {
        if ((uint)rowGroup >= (uint)RowGroupCount) throw new ArgumentOutOfRangeException(nameof(rowGroup));
        return checked((int)_metadata.RowGroups[rowGroup].NumRows);
    }

    /// <summary>
    /// Decodes only the top-level fields of <see cref="Projection"/> whose <paramref name="include"/> entry is true
    /// in row group <paramref name="rowGroup"/> (the rest of the chunk bytes are not read); the result is aligned
    /// with <see cref="Projection"/>'s fields, null where not included. Lets a scan decode its filter's columns
    /// first and the others only when rows match.
    /// </summary>
    /// <exception cref="FloeException">InvalidData naming the file and column when the data is corrupt.</exception>
    public IArrowArray?[] ReadColumns(int rowGroup, IReadOnlyList<bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        if (include.Count != Projection.Fields.Count) throw new ArgumentException($"include has {include.Count} entries for {Projection.Fields.Count} fields", nameof(include));
        return ReadColumnsAsync(rowGroup, include, CancellationToken.None).GetAwaiter().GetResult();
    }

    private async Task<IArrowArray?[]> ReadColumnsAsync(int index, IReadOnlyList<bool>? include, CancellationToken cancellationToken)
    {
        if ((uint)index >= (uint)RowGroupCount) throw new ArgumentOutOfRangeException(nameof(index));
        try
        {
            using var rowGroup = _reader.OpenRowGroupReader(index);
            var rows = checked((int)_metadata.RowGroups[index].NumRows);
            var needed = new Dictionary<int, PrimitiveType?>();
            var matches = new FileSchemaNode?[Projection.Fields.Count];
            var probe = new ColumnAssembler(new Dictionary<int, LeafColumn>(), _byId);
            for (var f = 0; f < Projection.Fields.Count; f++)
            {
                var field = Projection.Fields[f];
                if (_constants.ContainsKey(field.Id) || (include is not null && !include[f])) continue;
                matches[f] = probe.Match(_root, field);
            }
            var fast = ReadFlatColumns(_metadata.RowGroups[index], matches, rows);
            for (var f = 0; f < Projection.Fields.Count; f++)
            {
                if (fast[f] is null && matches[f] is { } node) CollectLeaves(probe, Projection.Fields[f].Type, node, needed);
            }
            var leaves = new Dictionary<int, LeafColumn>(needed.Count);
            foreach (var (leafIndex, target) in needed)
            {
                var leafNode = _leaves[leafIndex];
                var topLevel = _root.Children.Contains(leafNode);
                leaves[leafIndex] = await LeafColumn.ReadAsync(rowGroup, leafNode, _dataFields[leafIndex], target, topLevel, _stream, _view, cancellationToken).ConfigureAwait(false);
            }
            var assembler = new ColumnAssembler(leaves, _byId);
            var columns = new IArrowArray?[Projection.Fields.Count];
            for (var f = 0; f < columns.Length; f++)
            {
                var field = Projection.Fields[f];
                if (include is not null && !include[f]) continue;
                if (fast[f] is { } decoded)
                {
                    columns[f] = decoded;
                }
                else if (_constants.TryGetValue(field.Id, out var constant))
                {
                    columns[f] = ArrowArrays.Constant(field.Type, constant, rows);
                }
                else if (matches[f] is { } node)
                {
                    columns[f] = assembler.Build(field, node, assembler.TopLevelSlots(node, rows), rows);
                }
                else
                {
                    columns[f] = ColumnAssembler.Missing(field, rows);
                }
            }
            return columns;
        }
        catch (FloeException e) when (!e.Message.StartsWith(Location, StringComparison.Ordinal))
        {
            throw new FloeException(e.Code, $"{Location}: row group {index}: {e.Message}", e);
        }
        catch (Exception e) when (e is not FloeException && e is not OutOfMemoryException && e is not OperationCanceledException)
        {
            var wrapped = ParquetFileCheck.Wrap(Location, e);
            throw new FloeException(wrapped.Code, wrapped.Message.Replace("corrupt Parquet (", $"corrupt Parquet (row group {index}: ", StringComparison.Ordinal), e);
        }
    }

    /// <summary>
    /// Decodes the projected top-level primitive columns that <see cref="FlatColumnReader"/> covers, straight into
    /// Arrow arrays: chunks are read one after another from the file, then decoded in parallel. Entries stay null
    /// for the columns left to the general reader.
    /// </summary>
    private IArrowArray?[] ReadFlatColumns(global::Parquet.Meta.RowGroup rowGroup, FileSchemaNode?[] matches, int rows)
    {
        var result = new IArrowArray?[matches.Length];
        var work = new List<(int Field, FileSchemaNode Leaf, global::Parquet.Meta.ColumnMetaData Meta, PrimitiveType Target, byte[] Chunk, int Length)>();
        for (var f = 0; f < matches.Length; f++)
        {
            if (matches[f] is not { IsLeaf: true } leaf || Projection.Fields[f].Type is not PrimitiveType target) continue;
            if (leaf.LeafIndex >= rowGroup.Columns.Count || rowGroup.Columns[leaf.LeafIndex].MetaData is not { } meta) continue;
            if (meta.NumValues != rows || !FlatColumnReader.CanRead(leaf, target, meta.Codec)) continue;
            byte[]? chunk = null;
            FlatColumnReader.ReadChunk(_stream, meta, ref chunk, out var length);
            work.Add((f, leaf, meta, target, chunk!, length));
        }
        if (work.Count == 1)
        {
            var w = work[0];
            result[w.Field] = FlatColumnReader.TryRead(w.Chunk.AsSpan(0, w.Length), w.Leaf, w.Meta, w.Target, rows, _pages);
        }
        else if (work.Count > 1)
        {
            try
            {
                Parallel.For(0, work.Count, i =>
                {
                    var w = work[i];
                    result[w.Field] = FlatColumnReader.TryRead(w.Chunk.AsSpan(0, w.Length), w.Leaf, w.Meta, w.Target, rows, _pages);
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // Surface the column's own error (named file/column) rather than the wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        return result;
    }

    private static void CollectLeaves(ColumnAssembler probe, IcebergType type, FileSchemaNode node, Dictionary<int, PrimitiveType?> needed)
    {
        if (type is PrimitiveType p)
        {
            if (node.IsLeaf) needed[node.LeafIndex] = p;
            return;
        }
        if (node.IsLeaf) return;
        needed.TryAdd(node.FirstLeaf().LeafIndex, null);
        switch (type)
        {
            case Floe.Core.Types.StructType s:
                foreach (var child in s.Fields)
                {
                    if (probe.Match(node, child) is { } childNode) CollectLeaves(probe, child.Type, childNode, needed);
                }
                break;
            case Floe.Core.Types.ListType l when node.Children.Count == 1:
                {
                    var repeated = node.Children[0];
                    var twoLevel = repeated.IsLeaf || repeated.Children.Count > 1 || repeated.Name == "array" || repeated.Name == node.Name + "_tuple";
                    CollectLeaves(probe, l.ElementType, twoLevel ? repeated : repeated.Children[0], needed);
                    break;
                }
            case Floe.Core.Types.MapType m when node.Children.Count == 1 && node.Children[0].Children.Count == 2:
                CollectLeaves(probe, m.KeyType, node.Children[0].Children[0], needed);
                CollectLeaves(probe, m.ValueType, node.Children[0].Children[1], needed);
                break;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Dispose();
    }
}
