namespace Floe.Parquet.Writing;

/// <summary>How a column's Arrow values become PLAIN-encoded Parquet values.</summary>
internal enum ColumnKind
{
    Boolean,
    Int32,
    Int64,
    Float,
    Double,
    DecimalInt32,
    DecimalInt64,
    DecimalFixed,
    ByteArray,
    Fixed,
}
