using Apache.Arrow;
using Floe.Core.Types;
using Floe.Parquet.Reading;
using Floe.Parquet.Thrift;

namespace Floe.Parquet;

public sealed partial class ParquetDataReader
{
    /// <summary>
    /// The pages of the column of top-level field <paramref name="fieldId"/> in row group <paramref name="rowGroup"/>
    /// from the file's page index, or null when the file has no OffsetIndex for it (or the field is not a flat
    /// column of <see cref="Projection"/>). Bounds come from the ColumnIndex where there is one and the column's PLAIN
    /// encoding is Iceberg's serialisation; pages of nulls only get no bounds and a null count equal to their rows.
    /// </summary>
    /// <exception cref="Floe.Core.Errors.FloeException">InvalidData naming the file when the index is corrupt.</exception>
    public IReadOnlyList<ParquetPage>? PageIndex(int rowGroup, int fieldId)
    {
        if ((uint)rowGroup >= (uint)RowGroupCount) throw new ArgumentOutOfRangeException(nameof(rowGroup));
        if (FlatLeaf(rowGroup, fieldId) is not var (leaf, type, chunk)) return null;
        if (chunk.OffsetIndexOffset is not { } offsetAt || chunk.OffsetIndexLength is not { } offsetLength) return null;
        try
        {
            var rows = _reader.Metadata!.RowGroups[rowGroup].NumRows;
            var firstRows = ReadOffsetIndex(ReadRange(offsetAt, offsetLength), out _, out _);
            if (firstRows.Length == 0 || firstRows[0] != 0) throw new InvalidDataException($"column '{leaf.Name}': offset index does not start at row 0");
            bool[]? nullPages = null;
            byte[][]? mins = null, maxs = null;
            long[]? nullCounts = null;
            if (chunk.ColumnIndexOffset is { } indexAt && chunk.ColumnIndexLength is { } indexLength)
            {
                ReadColumnIndex(ReadRange(indexAt, indexLength), out nullPages, out mins, out maxs, out nullCounts);
                if (nullPages.Length != firstRows.Length) throw new InvalidDataException($"column '{leaf.Name}': column index has {nullPages.Length} pages, offset index {firstRows.Length}");
            }
            var pages = new ParquetPage[firstRows.Length];
            for (var i = 0; i < pages.Length; i++)
            {
                var end = i + 1 < firstRows.Length ? firstRows[i + 1] : rows;
                if (end < firstRows[i] || end > rows) throw new InvalidDataException($"column '{leaf.Name}': offset index rows out of order");
                var count = end - firstRows[i];
                long? nulls = nullCounts is not null && nullCounts.Length == pages.Length ? nullCounts[i] : null;
                byte[]? lower = null, upper = null;
                if (nullPages is not null && nullPages[i])
                {
                    nulls = count;
                }
                else if (mins is not null && maxs is not null && SameSerialisation(leaf, type, mins[i].Length) && maxs[i].Length == mins[i].Length
                    && !IsNaN(leaf, mins[i]) && !IsNaN(leaf, maxs[i]))
                {
                    lower = mins[i];
                    upper = maxs[i];
                }
                pages[i] = new ParquetPage(firstRows[i], count, nulls, lower, upper);
            }
            return pages;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw ParquetFileCheck.Wrap(Location, e);
        }
    }

    /// <summary>
    /// Decodes pages [<paramref name="firstPage"/>, <paramref name="endPage"/>) of field <paramref name="fieldId"/>'s
    /// column in row group <paramref name="rowGroup"/> (numbered as in <see cref="PageIndex"/>) into one array of their
    /// rows; reads only the dictionary page and those pages. Null when the column's layout needs the general reader.
    /// </summary>
    public IArrowArray? ReadPages(int rowGroup, int fieldId, int firstPage, int endPage) => ReadPages(rowGroup, fieldId, firstPage, endPage, null);

    /// <summary>
    /// Like <see cref="ReadPages(int, int, int, int)"/>, but returns only the rows at <paramref name="rows"/>
    /// (ascending, counted from the first row of <paramref name="firstPage"/>), gathering no other value: a scan's
    /// late materialisation of the columns its filter does not read. Null when the layout needs the general reader.
    /// </summary>
    public IArrowArray? ReadPageRows(int rowGroup, int fieldId, int firstPage, int endPage, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ReadPages(rowGroup, fieldId, firstPage, endPage, rows);
    }

    private IArrowArray? ReadPages(int rowGroup, int fieldId, int firstPage, int endPage, int[]? selected)
    {
        if ((uint)rowGroup >= (uint)RowGroupCount) throw new ArgumentOutOfRangeException(nameof(rowGroup));
        if (FlatLeaf(rowGroup, fieldId) is not var (leaf, type, chunk) || chunk.MetaData is not { } meta) return null;
        if (chunk.OffsetIndexOffset is not { } offsetAt || chunk.OffsetIndexLength is not { } offsetLength) return null;
        if (!FlatColumnReader.CanRead(leaf, type, meta.Codec)) return null;
        try
        {
            var rows = _reader.Metadata!.RowGroups[rowGroup].NumRows;
            var firstRows = ReadOffsetIndex(ReadRange(offsetAt, offsetLength), out var offsets, out var sizes);
            if (firstPage < 0 || endPage > firstRows.Length || firstPage >= endPage) throw new ArgumentOutOfRangeException(nameof(firstPage));
            var rowEnd = endPage < firstRows.Length ? firstRows[endPage] : rows;
            var pageRows = checked((int)(rowEnd - firstRows[firstPage]));
            var chunkStart = meta.DictionaryPageOffset is > 0 && meta.DictionaryPageOffset < meta.DataPageOffset ? meta.DictionaryPageOffset.Value : meta.DataPageOffset;
            // The dictionary page sits before the first data page; the selected pages are contiguous.
            var dictionaryLength = checked((int)(offsets[0] - chunkStart));
            var pagesStart = offsets[firstPage];
            var pagesLength = checked((int)(offsets[endPage - 1] + sizes[endPage - 1] - pagesStart));
            if (dictionaryLength < 0 || pagesLength < 0) throw new InvalidDataException($"column '{leaf.Name}': offset index points outside its chunk");
            if (selected is not null && selected.Length > 0 && (selected[0] < 0 || selected[^1] >= pageRows)) throw new ArgumentOutOfRangeException(nameof(selected));
            var length = dictionaryLength + pagesLength;
            var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
            try
            {
                _stream.Seek(chunkStart, SeekOrigin.Begin);
                _stream.ReadExactly(bytes, 0, dictionaryLength);
                _stream.Seek(pagesStart, SeekOrigin.Begin);
                _stream.ReadExactly(bytes, dictionaryLength, pagesLength);
                var span = bytes.AsSpan(0, length);
                return selected is null ? FlatColumnReader.TryRead(span, leaf, meta, type, pageRows) : FlatColumnReader.TryReadSelected(span, leaf, meta, type, pageRows, selected);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw ParquetFileCheck.Wrap(Location, e);
        }
    }

    /// <summary>
    /// Evaluates a predicate on field <paramref name="fieldId"/>'s column of row group <paramref name="rowGroup"/> once
    /// per dictionary entry instead of once per row: <paramref name="predicate"/> gets the dictionary as an Arrow array
    /// (one null entry appended last, standing for the column's nulls) and says which entries match; then
    /// <paramref name="keep"/>[i] is set for each row i of the row group whose entry matched, and the number of
    /// such rows is returned. -1 when the column is not dictionary-encoded throughout (or needs the general reader),
    /// so the caller decodes it.
    /// </summary>
    public long FilterDictionary(int rowGroup, int fieldId, Func<IArrowArray, bool[]> predicate, bool[] keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        return FilterDictionary(rowGroup, fieldId, predicate, keep.Length, (chunk, leaf, meta, type, rows) => FlatColumnReader.TryFilterDictionary(chunk, leaf, meta, type, rows, predicate, keep));
    }

    /// <summary>
    /// Like <see cref="FilterDictionary(int, int, Func{IArrowArray, bool[]}, bool[])"/>, but marks the matching rows in
    /// the bitmap <paramref name="selection"/> (row i is bit i % 64 of word i / 64; the row group's words are
    /// overwritten, so it needs at least (rows + 63) / 64 words): each dictionary index is mapped to its entry's
    /// verdict as it is unpacked, with no per-row index or bool. Returns the number of matching rows, or -1 as the
    /// other overload does (the bitmap's content is then undefined).
    /// </summary>
    public long FilterDictionary(int rowGroup, int fieldId, Func<IArrowArray, bool[]> predicate, ulong[] selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return FilterDictionary(rowGroup, fieldId, predicate, (long)selection.Length * 64, (chunk, leaf, meta, type, rows) => FlatColumnReader.TryFilterDictionaryBits(chunk, leaf, meta, type, rows, predicate, selection));
    }

    private delegate int ChunkFilter(ReadOnlySpan<byte> chunk, FileSchemaNode leaf, global::Parquet.Meta.ColumnMetaData meta, PrimitiveType type, int rows);

    private long FilterDictionary(int rowGroup, int fieldId, Func<IArrowArray, bool[]> predicate, long capacity, ChunkFilter filter)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        if ((uint)rowGroup >= (uint)RowGroupCount) throw new ArgumentOutOfRangeException(nameof(rowGroup));
        if (FlatLeaf(rowGroup, fieldId) is not var (leaf, type, chunk) || chunk.MetaData is not { } meta) return -1;
        if (!FlatColumnReader.CanRead(leaf, type, meta.Codec) || meta.DictionaryPageOffset is not > 0) return -1;
        var rows = checked((int)_metadata.RowGroups[rowGroup].NumRows);
        if (meta.NumValues != rows || capacity < rows) return -1;
        try
        {
            byte[]? bytes = null;
            FlatColumnReader.ReadChunk(_stream, meta, ref bytes, out var length);
            return filter(bytes.AsSpan(0, length), leaf, meta, type, rows);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw ParquetFileCheck.Wrap(Location, e);
        }
    }

    private (FileSchemaNode Leaf, PrimitiveType Type, global::Parquet.Meta.ColumnChunk Chunk)? FlatLeaf(int rowGroup, int fieldId)
    {
        if (_constants.ContainsKey(fieldId)) return null;
        NestedField? field = null;
        foreach (var f in Projection.Fields)
        {
            if (f.Id == fieldId) field = f;
        }
        if (field?.Type is not PrimitiveType type) return null;
        var probe = new ColumnAssembler(new Dictionary<int, LeafColumn>(), _byId);
        var columns = _reader.Metadata!.RowGroups[rowGroup].Columns;
        if (probe.Match(_root, field) is not { IsLeaf: true, RepetitionLevel: 0 } leaf || leaf.LeafIndex >= columns.Count) return null;
        return (leaf, type, columns[leaf.LeafIndex]);
    }

    private byte[] ReadRange(long offset, int length)
    {
        if (offset < 0 || length <= 0 || offset + length > _stream.Length) throw new InvalidDataException($"page index at {offset} (+{length}) lies outside the file");
        var bytes = new byte[length];
        _stream.Seek(offset, SeekOrigin.Begin);
        _stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Parses an OffsetIndex: each page's first row, file offset and size (header included).</summary>
    private static long[] ReadOffsetIndex(ReadOnlySpan<byte> data, out long[] offsets, out int[] sizes)
    {
        var r = new ThriftCompactReader(data);
        long[] firstRows = System.Array.Empty<long>();
        offsets = System.Array.Empty<long>();
        sizes = System.Array.Empty<int>();
        while (r.NextField(out var id, out var type))
        {
            if (id != 1 || type != ThriftCompactReader.TypeList)
            {
                r.Skip(type);
                continue;
            }
            var count = r.ReadListHeader(out var element);
            if (element != ThriftCompactReader.TypeStruct) throw new InvalidDataException("offset index page locations are not structs");
            firstRows = new long[count];
            offsets = new long[count];
            sizes = new int[count];
            for (var i = 0; i < count; i++)
            {
                var saved = r.BeginStruct();
                while (r.NextField(out var fid, out var ftype))
                {
                    switch (fid)
                    {
                        case 1 when ftype == ThriftCompactReader.TypeI64: offsets[i] = r.ReadI64(); break;
                        case 2 when ftype == ThriftCompactReader.TypeI32: sizes[i] = r.ReadI32(); break;
                        case 3 when ftype == ThriftCompactReader.TypeI64: firstRows[i] = r.ReadI64(); break;
                        default: r.Skip(ftype); break;
                    }
                }
                r.EndStruct(saved);
                if (sizes[i] <= 0 || offsets[i] < 0 || (i > 0 && (firstRows[i] < firstRows[i - 1] || offsets[i] < offsets[i - 1] + sizes[i - 1])))
                {
                    throw new InvalidDataException("offset index page locations out of order");
                }
            }
        }
        return firstRows;
    }

    /// <summary>Parses a ColumnIndex: null-page flags, PLAIN min/max and null counts per page.</summary>
    private static void ReadColumnIndex(ReadOnlySpan<byte> data, out bool[] nullPages, out byte[][] mins, out byte[][] maxs, out long[] nullCounts)
    {
        var r = new ThriftCompactReader(data);
        nullPages = System.Array.Empty<bool>();
        mins = maxs = System.Array.Empty<byte[]>();
        nullCounts = System.Array.Empty<long>();
        while (r.NextField(out var id, out var type))
        {
            if (type != ThriftCompactReader.TypeList || id is not (1 or 2 or 3 or 5))
            {
                r.Skip(type);
                continue;
            }
            var count = r.ReadListHeader(out var element);
            switch (id)
            {
                case 1:
                    nullPages = new bool[count];
                    for (var i = 0; i < count; i++) nullPages[i] = r.ReadBoolElement();
                    break;
                case 2:
                case 3:
                    {
                        if (element != ThriftCompactReader.TypeBinary) throw new InvalidDataException("column index bounds are not binary");
                        var values = new byte[count][];
                        for (var i = 0; i < count; i++) values[i] = r.ReadBinary().ToArray();
                        if (id == 2) mins = values;
                        else maxs = values;
                        break;
                    }
                default:
                    if (element != ThriftCompactReader.TypeI64) throw new InvalidDataException("column index null counts are not i64");
                    nullCounts = new long[count];
                    for (var i = 0; i < count; i++) nullCounts[i] = r.ReadI64();
                    break;
            }
        }
        if (mins.Length != nullPages.Length || maxs.Length != nullPages.Length) throw new InvalidDataException("column index lists differ in length");
    }
}
