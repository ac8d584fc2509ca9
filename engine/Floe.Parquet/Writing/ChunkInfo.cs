namespace Floe.Parquet.Writing;

/// <summary>Footer facts of one encoded column chunk.</summary>
internal readonly record struct ChunkInfo(
    long NumValues,
    long NullCount,
    long UncompressedSize,
    long CompressedSize,
    bool HasStatistics,
    byte[] Min,
    byte[] Max,
    int DictionaryPageLength, // -1 when the chunk has no dictionary page
    int ValueEncoding, // the thrift Encoding of the data pages' values when there is no dictionary page
    PageIndexEntry[]? Pages, // null when the chunk gets no page index (repeated columns)
    bool HasColumnIndex, // false when some page's bounds are unknown (all NaN, a type without page bounds)
    bool HasFallbackPages = false, // dictionary-encoded pages followed by ValueEncoding pages (the dictionary was dropped mid-chunk)
    bool HasPlainPagesToo = false); // some pages not dictionary encoded are PLAIN, the others ValueEncoding (the split trial changed its mind)
