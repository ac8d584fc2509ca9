namespace Floe.Parquet.Writing;

/// <summary>
/// One data page of a column chunk as the Parquet page index records it: where the page starts (relative to the
/// chunk), its size with header, its first row, and, for the ColumnIndex, its null count and PLAIN-encoded min/max
/// (empty for a page of nulls only).
/// </summary>
internal readonly record struct PageIndexEntry(
    long OffsetInChunk,
    int CompressedPageSize,
    long FirstRowIndex,
    long NullCount,
    bool NullPage,
    byte[] Min,
    byte[] Max);
