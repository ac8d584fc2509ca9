namespace Floe.Iceberg.Puffin;

/// <summary>One blob listed in a Puffin file's footer.</summary>
/// <param name="Type">Blob type, e.g. <c>deletion-vector-v1</c>.</param>
/// <param name="Offset">Byte offset of the blob in the file.</param>
/// <param name="Length">Blob length in bytes.</param>
/// <param name="CompressionCodec">Codec name, or null when the blob is stored uncompressed.</param>
/// <param name="Properties">Blob properties (for deletion vectors: referenced-data-file, cardinality).</param>
public sealed record PuffinBlob(string Type, long Offset, long Length, string? CompressionCodec, IReadOnlyDictionary<string, string> Properties);
