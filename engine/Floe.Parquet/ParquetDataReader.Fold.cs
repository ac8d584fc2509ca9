using System.Buffers;
using Floe.Parquet.Reading;

namespace Floe.Parquet;

public sealed partial class ParquetDataReader
{
    /// <summary>
    /// Decodes field <paramref name="fieldId"/>'s column of row group <paramref name="rowGroup"/> into
    /// <paramref name="sink"/> block by block (see <see cref="IValueBlockSink"/>), restricted to the rows set in
    /// <paramref name="selection"/> (one bit per row of the row group; null: every row), without building the column:
    /// a scan aggregate's full-scan path. False, before or after some blocks reached the sink, when the column is not a
    /// flat fixed-width column this reader decodes (strings, decimals, nested, missing or constant columns, other
    /// encodings); the caller then discards what the sink saw and reads the column with <see cref="ReadColumns"/>.
    /// </summary>
    /// <exception cref="Floe.Core.Errors.FloeException">InvalidData naming the file and column when the data is corrupt.</exception>
    public bool FoldColumn(int rowGroup, int fieldId, ulong[]? selection, IValueBlockSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if ((uint)rowGroup >= (uint)RowGroupCount) throw new ArgumentOutOfRangeException(nameof(rowGroup));
        if (FlatLeaf(rowGroup, fieldId) is not var (leaf, type, chunk) || chunk.MetaData is not { } meta) return false;
        var rows = checked((int)_metadata.RowGroups[rowGroup].NumRows);
        if (meta.NumValues != rows || !FlatColumnReader.CanFold(leaf, type, meta.Codec)) return false;
        if (selection is not null && selection.Length < (rows + 63) >> 6) throw new ArgumentException($"selection has {selection.Length} words for {rows} rows", nameof(selection));
        var length = checked((int)meta.TotalCompressedSize);
        // Pooled: a full scan reads every chunk once, and a fresh large array per chunk made garbage of the whole file.
        var bytes = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var start = meta.DictionaryPageOffset is > 0 && meta.DictionaryPageOffset < meta.DataPageOffset ? meta.DictionaryPageOffset.Value : meta.DataPageOffset;
            _stream.Seek(start, SeekOrigin.Begin);
            _stream.ReadExactly(bytes, 0, length);
            return FlatColumnReader.TryFold(bytes, length, leaf, meta, type, rows, selection, sink);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw ParquetFileCheck.Wrap(Location, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
