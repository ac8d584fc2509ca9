namespace Floe.Parquet;

/// <summary>
/// What a Parquet footer proves about one row group, keyed by field id: its row count, null counts, and min/max
/// already in Iceberg's single-value serialisation (only for columns whose plain encoding is that serialisation).
/// </summary>
/// <param name="RecordCount">Rows in the row group.</param>
/// <param name="NullValueCounts">Null count per field id, where the footer records one.</param>
/// <param name="LowerBounds">Serialised lower bound per field id.</param>
/// <param name="UpperBounds">Serialised upper bound per field id.</param>
public sealed record RowGroupStatistics(
    long RecordCount,
    IReadOnlyDictionary<int, long> NullValueCounts,
    IReadOnlyDictionary<int, byte[]> LowerBounds,
    IReadOnlyDictionary<int, byte[]> UpperBounds);
