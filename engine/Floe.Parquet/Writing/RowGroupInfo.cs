namespace Floe.Parquet.Writing;

/// <summary>One finished row group: where each column chunk landed and its footer facts.</summary>
internal sealed record RowGroupInfo(long FileOffset, long NumRows, long TotalByteSize, long TotalCompressedSize, long[] ChunkOffsets, ChunkInfo[] Chunks);
