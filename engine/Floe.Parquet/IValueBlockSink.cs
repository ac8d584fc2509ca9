namespace Floe.Parquet;

/// <summary>
/// Receives a column's values block by block from <see cref="ParquetDataReader.FoldColumn"/>, in row order, so an
/// aggregate can reduce them without the column being built as one array.
/// </summary>
public interface IValueBlockSink
{
    /// <summary>
    /// The next <paramref name="count"/> non-null values of the column (nulls are left out: they contribute to no
    /// aggregate), in the Arrow layout of the column's type (4 bytes each for int, date and float, 8 for the rest);
    /// <paramref name="mask"/> has one bit per value (least significant first, as Arrow validity), set for values
    /// whose rows the selection keeps, or is empty when it keeps them all. The spans are only valid during the call.
    /// </summary>
    void Add(ReadOnlySpan<byte> values, ReadOnlySpan<ulong> mask, int count);
}
