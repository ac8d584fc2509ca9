namespace Floe.Parquet;

/// <summary>Parquet physical types (thrift <c>Type</c>).</summary>
internal enum ParquetPhysicalType
{
    Boolean = 0,
    Int32 = 1,
    Int64 = 2,
    Int96 = 3,
    Float = 4,
    Double = 5,
    ByteArray = 6,
    FixedLenByteArray = 7,
}
