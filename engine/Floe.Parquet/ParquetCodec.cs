namespace Floe.Parquet;

/// <summary>Compression codec of Parquet data pages (Iceberg property <c>write.parquet.compression-codec</c>).</summary>
public enum ParquetCodec
{
    /// <summary>zstd (the default; level from <see cref="ParquetWriterOptions.ZstdLevel"/>).</summary>
    Zstd,
    /// <summary>snappy</summary>
    Snappy,
    /// <summary>gzip</summary>
    Gzip,
    /// <summary>no compression</summary>
    Uncompressed,
}
