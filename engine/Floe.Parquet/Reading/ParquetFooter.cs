using System.Buffers.Binary;
using Floe.Parquet.Thrift;
using Parquet.Meta;

namespace Floe.Parquet.Reading;

/// <summary>
/// A foreign Parquet file's footer, read and checked by Floe alone before any decoder sees it: magic numbers,
/// footer length, the Thrift structure (<see cref="FooterReader"/>), a schema tree whose counts add up and whose
/// nesting is bounded, and row groups whose column chunks match the schema's leaves and lie inside the file's
/// data. Every failure is an <see cref="InvalidDataException"/> (or <see cref="NotSupportedException"/> for
/// encrypted or multi-file layouts) that the caller turns into an error naming the file.
/// </summary>
internal sealed class ParquetFooter
{
    /// <summary>How deeply a file's schema may nest groups (Iceberg's readers recurse along it).</summary>
    public const int MaxSchemaDepth = 64;

    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    private ParquetFooter(FileMetaData metadata, long dataLength)
    {
        Metadata = metadata;
        DataLength = dataLength;
    }

    /// <summary>The decoded footer.</summary>
    public FileMetaData Metadata { get; }

    /// <summary>Bytes before the footer (leading magic and column chunks).</summary>
    public long DataLength { get; }

    /// <summary>Reads and checks the footer of <paramref name="stream"/> (which must be seekable).</summary>
    public static ParquetFooter Read(Stream stream)
    {
        var length = stream.Length;
        if (length < 12) throw new InvalidDataException($"{length} bytes is too short for a Parquet file");
        Span<byte> head = stackalloc byte[4];
        Span<byte> tail = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(head);
        stream.Position = length - 8;
        stream.ReadExactly(tail);
        if (head.SequenceEqual("PARE"u8) || tail[4..].SequenceEqual("PARE"u8)) throw new NotSupportedException("encrypted Parquet files are not supported");
        if (!head.SequenceEqual(Magic) || !tail[4..].SequenceEqual(Magic)) throw new InvalidDataException("the PAR1 magic number is missing at the start or end");
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length - 12) throw new InvalidDataException($"footer length {footerLength} does not fit a file of {length} bytes");
        var bytes = new byte[footerLength];
        stream.Position = length - 8 - footerLength;
        stream.ReadExactly(bytes);
        stream.Position = 0;
        var metadata = FooterReader.Read(bytes);
        var dataLength = length - 8 - footerLength;
        Check(metadata, dataLength);
        return new ParquetFooter(metadata, dataLength);
    }

    /// <summary>
    /// A view of <paramref name="stream"/> whose footer is Floe's canonical re-encoding of <see cref="Metadata"/>,
    /// for the decoder that still reads some pages; the file's own footer bytes never reach it.
    /// </summary>
    public FooterSubstitutedStream CanonicalView(Stream stream) => new FooterSubstitutedStream(stream, DataLength, FooterEncoder.Encode(Metadata));

    private static void Check(FileMetaData m, long dataLength)
    {
        if (m.NumRows < 0) throw new InvalidDataException($"the footer gives {m.NumRows} rows");
        var repeatedLeaves = CheckSchema(m.Schema);
        foreach (var group in m.RowGroups)
        {
            if (group.NumRows < 0) throw new InvalidDataException($"a row group has {group.NumRows} rows");
            // A row group is read as one batch of arrays (and offsets one longer), so it cannot hold more rows than an array.
            if (group.NumRows >= Array.MaxLength) throw new InvalidDataException($"a row group of {group.NumRows} rows is more than one batch can hold");
            if (group.Columns.Count != repeatedLeaves.Count) throw new InvalidDataException($"a row group has {group.Columns.Count} column chunks for {repeatedLeaves.Count} leaf columns");
            for (var c = 0; c < group.Columns.Count; c++) CheckChunk(group.Columns[c], group.NumRows, repeatedLeaves[c], dataLength);
        }
    }

    // Walks the flattened schema without recursion, so a hostile nesting depth is refused before anyone recurses on it.
    // Returns, per leaf column in order, whether it is repeated (it or a group above it, the root aside, is REPEATED:
    // a repetition level above 0, as FileSchemaNode computes it).
    private static List<bool> CheckSchema(List<SchemaElement> schema)
    {
        if (schema.Count == 0) throw new InvalidDataException("the footer has an empty schema");
        // Per open group: children still to come, and whether the group is repeated or inside a repeated group.
        var pending = new Stack<(int Children, bool Repeated)>();
        var leaves = new List<bool>();
        for (var i = 0; i < schema.Count; i++)
        {
            var e = schema[i];
            var repeated = false;
            if (i > 0)
            {
                if (pending.Count == 0) throw new InvalidDataException($"schema element '{e.Name}' is not a child of any group");
                var parent = pending.Pop();
                pending.Push((parent.Children - 1, parent.Repeated));
                repeated = parent.Repeated || e.RepetitionType == FieldRepetitionType.REPEATED;
            }
            var children = e.NumChildren ?? 0;
            if (children < 0) throw new InvalidDataException($"schema element '{e.Name}' has {children} children");
            if (children > 0)
            {
                if (children > schema.Count - i - 1) throw new InvalidDataException($"schema element '{e.Name}' claims {children} children but the list ends");
                if (pending.Count >= MaxSchemaDepth) throw new InvalidDataException($"the schema nests groups deeper than {MaxSchemaDepth} levels");
                pending.Push((children, repeated));
            }
            else if (i > 0)
            {
                if (e.Type is null) throw new InvalidDataException($"schema element '{e.Name}' has neither a type nor children");
                if (e.TypeLength is < 0) throw new InvalidDataException($"schema element '{e.Name}' has type length {e.TypeLength}");
                leaves.Add(repeated);
            }
            while (pending.Count > 0 && pending.Peek().Children == 0) pending.Pop();
        }
        if (pending.Count > 0) throw new InvalidDataException("the schema list ends before its groups' children");
        return leaves;
    }

    // A chunk holds one level entry per value slot, nulls included: exactly one per row for a column that is not
    // repeated, at least one per row (an empty or null list still has one) for a repeated one. The readers size their
    // arrays by the row group's row count, so a count the chunks do not back (one field of a 1 KB file claiming 2^30
    // rows) made them allocate and fill gigabytes before the first value was missed (4-13 s and 2-5 GB, or an
    // OutOfMemoryException at 2^31 - 1): it is refused here, before any allocation.
    private static void CheckChunk(ColumnChunk chunk, long rows, bool repeated, long dataLength)
    {
        if (chunk.FilePath is not null) throw new NotSupportedException("column chunks in other files are not supported");
        var meta = chunk.MetaData ?? throw new InvalidDataException("a column chunk has no metadata");
        var column = string.Join('.', meta.PathInSchema);
        if (meta.NumValues < 0) throw new InvalidDataException($"column '{column}' has {meta.NumValues} values");
        if (repeated ? meta.NumValues < rows : meta.NumValues != rows)
        {
            throw new InvalidDataException($"column '{column}' has {meta.NumValues} values in a row group of {rows} rows");
        }
        var start = meta.DictionaryPageOffset is > 0 && meta.DictionaryPageOffset < meta.DataPageOffset ? meta.DictionaryPageOffset.Value : meta.DataPageOffset;
        if (start < 4 || meta.TotalCompressedSize < 0 || meta.TotalCompressedSize > dataLength - start)
        {
            throw new InvalidDataException($"column '{column}' claims {meta.TotalCompressedSize} bytes at offset {start}, outside the file's data");
        }
    }
}
