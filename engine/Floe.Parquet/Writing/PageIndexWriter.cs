using Floe.Parquet.Thrift;

namespace Floe.Parquet.Writing;

/// <summary>Where one column chunk's ColumnIndex and OffsetIndex landed in the file (offset -1: not written).</summary>
internal readonly record struct PageIndexLocation(long ColumnIndexOffset, int ColumnIndexLength, long OffsetIndexOffset, int OffsetIndexLength)
{
    public static readonly PageIndexLocation None = new(-1, 0, -1, 0);
}

/// <summary>
/// Encodes the Parquet page index of a finished file: every chunk's ColumnIndex (per-page null flags, min/max,
/// null counts, boundary order), then every chunk's OffsetIndex (page offsets, sizes, first rows), the layout
/// parquet-mr writes between the last row group and the footer.
/// </summary>
internal static class PageIndexWriter
{
    private const int Unordered = 0;
    private const int Ascending = 1;
    private const int Descending = 2;

    /// <summary>Writes the indexes through <paramref name="write"/> starting at file offset <paramref name="position"/>; returns each chunk's locations.</summary>
    public static PageIndexLocation[][] Write(IReadOnlyList<RowGroupInfo> rowGroups, IReadOnlyList<ColumnDescriptor> columns, long position, Action<ReadOnlySpan<byte>> write)
    {
        var w = new ThriftCompactWriter(1024);
        var locations = new PageIndexLocation[rowGroups.Count][];
        for (var g = 0; g < rowGroups.Count; g++)
        {
            locations[g] = new PageIndexLocation[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                locations[g][c] = PageIndexLocation.None;
                var chunk = rowGroups[g].Chunks[c];
                if (chunk.Pages is not { Length: > 0 } pages || !chunk.HasColumnIndex) continue;
                w.Reset();
                WriteColumnIndex(w, pages, columns[c].Kind);
                write(w.WrittenSpan);
                locations[g][c] = locations[g][c] with { ColumnIndexOffset = position, ColumnIndexLength = w.Length };
                position += w.Length;
            }
        }
        for (var g = 0; g < rowGroups.Count; g++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var chunk = rowGroups[g].Chunks[c];
                if (chunk.Pages is not { Length: > 0 } pages) continue;
                w.Reset();
                WriteOffsetIndex(w, pages, rowGroups[g].ChunkOffsets[c]);
                write(w.WrittenSpan);
                locations[g][c] = locations[g][c] with { OffsetIndexOffset = position, OffsetIndexLength = w.Length };
                position += w.Length;
            }
        }
        return locations;
    }

    private static void WriteColumnIndex(ThriftCompactWriter w, PageIndexEntry[] pages, ColumnKind kind)
    {
        var nullPages = new bool[pages.Length];
        var mins = new byte[pages.Length][];
        var maxs = new byte[pages.Length][];
        var nullCounts = new long[pages.Length];
        for (var i = 0; i < pages.Length; i++)
        {
            nullPages[i] = pages[i].NullPage;
            mins[i] = pages[i].Min;
            maxs[i] = pages[i].Max;
            nullCounts[i] = pages[i].NullCount;
        }
        w.BeginStruct();
        w.FieldListOfBool(1, nullPages);
        w.FieldListOfBinary(2, mins);
        w.FieldListOfBinary(3, maxs);
        w.FieldI32(4, BoundaryOrder(pages, kind));
        w.FieldListOfI64(5, nullCounts);
        w.EndStruct();
    }

    private static void WriteOffsetIndex(ThriftCompactWriter w, PageIndexEntry[] pages, long chunkOffset)
    {
        w.BeginStruct();
        w.FieldListOfStruct(1, pages.Length);
        foreach (var page in pages)
        {
            w.BeginStruct();
            w.FieldI64(1, chunkOffset + page.OffsetInChunk);
            w.FieldI32(2, page.CompressedPageSize);
            w.FieldI64(3, page.FirstRowIndex);
            w.EndStruct();
        }
        w.EndStruct();
    }

    /// <summary>Ascending when every non-null page's min and max are at least the previous one's, descending likewise, else unordered.</summary>
    private static int BoundaryOrder(PageIndexEntry[] pages, ColumnKind kind)
    {
        bool ascending = true, descending = true;
        var previous = -1;
        for (var i = 0; i < pages.Length; i++)
        {
            if (pages[i].NullPage) continue;
            if (previous >= 0)
            {
                var minOrder = Compare(pages[i].Min, pages[previous].Min, kind);
                var maxOrder = Compare(pages[i].Max, pages[previous].Max, kind);
                if (minOrder < 0 || maxOrder < 0) ascending = false;
                if (minOrder > 0 || maxOrder > 0) descending = false;
            }
            previous = i;
        }
        return ascending ? Ascending : descending ? Descending : Unordered;
    }

    private static int Compare(byte[] a, byte[] b, ColumnKind kind) => kind switch
    {
        ColumnKind.Int32 => BitConverter.ToInt32(a).CompareTo(BitConverter.ToInt32(b)),
        ColumnKind.Int64 => BitConverter.ToInt64(a).CompareTo(BitConverter.ToInt64(b)),
        ColumnKind.Float => BitConverter.ToSingle(a).CompareTo(BitConverter.ToSingle(b)),
        ColumnKind.Double => BitConverter.ToDouble(a).CompareTo(BitConverter.ToDouble(b)),
        _ => 0,
    };
}
