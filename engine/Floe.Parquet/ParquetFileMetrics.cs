using Floe.Core.Types;

namespace Floe.Parquet;

/// <summary>
/// The Iceberg metrics of a written Parquet file, keyed by field id. Bounds are CLR values in the engine's
/// representation (see <see cref="PrimitiveType"/>); string/binary bounds are already truncated
/// (<c>truncate(16)</c>). Serialize them with <see cref="Conversions.ToBytes"/>; Iceberg turns them into a data-file record.
/// </summary>
public sealed record ParquetFileMetrics(
    long RecordCount,
    long FileSizeInBytes,
    IReadOnlyDictionary<int, long> ColumnSizes,
    IReadOnlyDictionary<int, long> ValueCounts,
    IReadOnlyDictionary<int, long> NullValueCounts,
    IReadOnlyDictionary<int, long> NanValueCounts,
    IReadOnlyDictionary<int, object> LowerBounds,
    IReadOnlyDictionary<int, object> UpperBounds,
    IReadOnlyList<long> SplitOffsets)
{
}
